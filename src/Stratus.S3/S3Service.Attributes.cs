using System.Globalization;
using Microsoft.AspNetCore.Http;
using Stratus.Protocol.Pipeline;
using Stratus.S3.Metadata;
using Stratus.S3.Responses;

namespace Stratus.S3;

/// <summary>GetObjectAttributes: what x-amz-object-attributes asks for (ETag, Checksum, ObjectParts, StorageClass, ObjectSize) of one version.</summary>
public sealed partial class S3Service
{
    private static readonly string[] ObjectAttributeNames = ["ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize"];

    private void RegisterAttributes() =>
        Register<AttributesRequest, XmlResponse>(
            "GetObjectAttributes",
            static input => AttributesRequest.From(input),
            (request, _) => OnObjectVersion("s3:GetObjectAttributes", "s3:GetObjectVersionAttributes", request.Bucket, request.Key, request.VersionId),
            (request, _, _) => ValueTask.FromResult(GetObjectAttributes(request)));

    private XmlResponse GetObjectAttributes(AttributesRequest request)
    {
        var bucket = RequireBucket(request.Bucket);
        var record = ReadableVersion(bucket, request.Key, request.VersionId, "GET");
        var headers = new List<KeyValuePair<string, string>> { new("Last-Modified", S3Xml.HttpDate(record.LastModified)) };
        AddVersionHeader(headers, bucket, record);
        var multipart = record.ETag.Contains('-', StringComparison.Ordinal);
        return new XmlResponse("GetObjectAttributesResponse", w =>
        {
            if (request.Wants("ETag"))
            {
                w.WriteElementString("ETag", record.ETag);
            }

            if (request.Wants("Checksum") && record.Checksums is { Count: > 0 } checksums)
            {
                w.WriteStartElement("Checksum");
                foreach (var (name, value) in checksums)
                {
                    w.WriteElementString("Checksum" + name, value);
                }

                w.WriteElementString("ChecksumType", multipart ? "COMPOSITE" : "FULL_OBJECT");
                w.WriteEndElement();
            }

            if (request.Wants("ObjectParts") && multipart)
            {
                var first = request.PartNumberMarker;
                var last = (int)Math.Min(record.Parts.Count, (long)first + request.MaxParts);
                w.WriteStartElement("ObjectParts");
                w.WriteElementString("PartsCount", record.Parts.Count.ToString(CultureInfo.InvariantCulture));
                w.WriteElementString("PartNumberMarker", first.ToString(CultureInfo.InvariantCulture));
                w.WriteElementString("NextPartNumberMarker", Math.Max(first, last).ToString(CultureInfo.InvariantCulture));
                w.WriteElementString("MaxParts", request.MaxParts.ToString(CultureInfo.InvariantCulture));
                w.WriteElementString("IsTruncated", last < record.Parts.Count ? "true" : "false");
                for (var number = first + 1; number <= last; number++)
                {
                    var part = record.Parts[number - 1];
                    w.WriteStartElement("Part");
                    w.WriteElementString("PartNumber", number.ToString(CultureInfo.InvariantCulture));
                    w.WriteElementString("Size", part.Size.ToString(CultureInfo.InvariantCulture));
                    foreach (var (name, value) in part.Checksums ?? [])
                    {
                        w.WriteElementString("Checksum" + name, value);
                    }

                    w.WriteEndElement();
                }

                w.WriteEndElement();
            }

            if (request.Wants("StorageClass"))
            {
                w.WriteElementString("StorageClass", record.StorageClass);
            }

            if (request.Wants("ObjectSize"))
            {
                w.WriteElementString("ObjectSize", record.Size.ToString(CultureInfo.InvariantCulture));
            }
        })
        { Headers = headers };
    }

    private sealed record AttributesRequest(string Bucket, string Key, string? VersionId, HashSet<string> Attributes, int MaxParts, int PartNumberMarker)
    {
        public bool Wants(string attribute) => Attributes.Contains(attribute);

        public static AttributesRequest From(OperationInput input)
        {
            var attributes = new HashSet<string>(StringComparer.Ordinal);
            foreach (var value in input.Headers["x-amz-object-attributes"])
            {
                foreach (var name in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    if (Array.IndexOf(ObjectAttributeNames, name) < 0)
                    {
                        throw S3Errors.InvalidArgument("Invalid attribute name specified.", "x-amz-object-attributes", name);
                    }

                    attributes.Add(name);
                }
            }

            if (attributes.Count == 0)
            {
                throw S3Errors.InvalidArgument("An object attribute must be specified.", "x-amz-object-attributes", "");
            }

            return new AttributesRequest(
                Label(input, "Bucket"),
                ObjectKey(input),
                input.Parameters.Get("versionId"),
                attributes,
                Math.Min(HeaderNumber(input.Headers, "x-amz-max-parts") ?? 1000, 1000),
                HeaderNumber(input.Headers, "x-amz-part-number-marker") ?? 0);
        }

        private static int? HeaderNumber(IHeaderDictionary headers, string name)
        {
            var text = headers[name].ToString();
            if (text.Length == 0)
            {
                return null;
            }

            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw S3Errors.InvalidArgument($"Provided {name} not an integer or within integer range", name, text);
        }
    }
}
