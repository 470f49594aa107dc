using System.Net;
using Microsoft.AspNetCore.Http;
using Stratus.Core;
using Stratus.Protocol.Codecs;
using Stratus.Protocol.Pipeline;
using Stratus.Protocol.Services;
using Stratus.S3.Metadata;
using Stratus.S3.Objects;
using Stratus.S3.Responses;

namespace Stratus.S3;

/// <summary>
/// Object tags: up to 10 per version, keys up to 128 characters and values up to 256, unique keys, no <c>aws:</c>
/// prefix. They live in the version's record, so each version has its own, and a copy or a completed upload takes them
/// from <c>x-amz-tagging</c>. Reads of an object expose them to authorization as <c>s3:ExistingObjectTag/&lt;key&gt;</c>.
/// </summary>
public sealed partial class S3Service
{
    private const int MaxObjectTags = 10;

    private void RegisterObjectTagging()
    {
        Register<ObjectTaggingRequest, HeadersResponse>(
            "PutObjectTagging",
            static input => ObjectTaggingRequest.From(input),
            (request, _) => OnObjectVersion("s3:PutObjectTagging", "s3:PutObjectVersionTagging", request.Bucket, request.Key, request.VersionId),
            async (request, _, cancellationToken) =>
            {
                var bucket = RequireBucket(request.Bucket);
                var tags = ObjectTags(ParseTagging(await SafeXml.LoadAsync(request.Body, cancellationToken).ConfigureAwait(false)));
                var record = await UpdateVersionAsync(bucket, request.Key, request.VersionId, "PUT", r => r.Tags = tags).ConfigureAwait(false);
                return new HeadersResponse(200, VersionHeaders(bucket, record));
            });
        Register<ObjectTaggingRequest, XmlResponse>(
            "GetObjectTagging",
            static input => ObjectTaggingRequest.From(input),
            (request, _) => OnObjectVersion("s3:GetObjectTagging", "s3:GetObjectVersionTagging", request.Bucket, request.Key, request.VersionId),
            (request, _, _) =>
            {
                var bucket = RequireBucket(request.Bucket);
                var record = ReadableVersion(bucket, request.Key, request.VersionId, "GET");
                return ValueTask.FromResult(new XmlResponse("Tagging", w =>
                {
                    w.WriteStartElement("TagSet");
                    foreach (var (key, value) in record.Tags ?? [])
                    {
                        w.WriteStartElement("Tag");
                        w.WriteElementString("Key", key);
                        w.WriteElementString("Value", value);
                        w.WriteEndElement();
                    }

                    w.WriteEndElement();
                })
                { Headers = VersionHeaders(bucket, record) });
            });
        Register<ObjectTaggingRequest, HeadersResponse>(
            "DeleteObjectTagging",
            static input => ObjectTaggingRequest.From(input),
            (request, _) => OnObjectVersion("s3:DeleteObjectTagging", "s3:DeleteObjectVersionTagging", request.Bucket, request.Key, request.VersionId),
            async (request, _, _) =>
            {
                var bucket = RequireBucket(request.Bucket);
                var record = await UpdateVersionAsync(bucket, request.Key, request.VersionId, "DELETE", r => r.Tags = null).ConfigureAwait(false);
                return new HeadersResponse(204, VersionHeaders(bucket, record));
            });
    }

    private static KeyValuePair<string, string>[] VersionHeaders(BucketRecord bucket, ObjectRecord record)
    {
        var headers = new List<KeyValuePair<string, string>>(1);
        AddVersionHeader(headers, bucket, record);
        return [.. headers];
    }

    /// <summary>
    /// The authorization of an action on one object version: the version action when a version is named, and the
    /// version's tags as <c>s3:ExistingObjectTag/&lt;key&gt;</c> condition keys (with <c>s3:versionid</c>), so a policy can
    /// grant or deny reads by tag.
    /// </summary>
    private AuthorizationRequest OnObjectVersion(string action, string versionAction, string bucket, string key, string? versionId) =>
        OnObjectVersion(action, versionAction, bucket, key, versionId, out _);

    // GetObject and HeadObject: the record authorization read is kept for the handler.
    private AuthorizationRequest OnObjectRead(GetObjectRequest request)
    {
        var authorization = OnObjectVersion("s3:GetObject", "s3:GetObjectVersion", request.Bucket, request.Key, request.VersionId, out var record);
        request.AuthorizedRecord = record;
        return authorization;
    }

    private AuthorizationRequest OnObjectVersion(string action, string versionAction, string bucket, string key, string? versionId, out byte[]? bytes)
    {
        var request = OnBucket(versionId is null ? action : versionAction, bucket, key);
        var keys = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (versionId is not null)
        {
            keys["s3:versionid"] = [versionId];
        }

        // Most objects have no tags: look at the stored bytes before paying for a parse on every read.
        bytes = null;
        if (versionId is null || versionId != "null")
        {
            bytes = _kv.TryGet(versionId is null ? S3Keys.Object(bucket, key) : S3Keys.Version(bucket, key, versionId), out var stored) ? stored : null;
        }
        else
        {
            bytes = FindVersion(bucket, key, versionId)?.Value;
        }

        var record = bytes is not null && bytes.AsSpan().IndexOf("\"Tags\":"u8) >= 0 ? ReadRecord(bytes) : null;
        foreach (var (name, value) in record?.Tags ?? [])
        {
            keys["s3:ExistingObjectTag/" + name] = [value];
        }

        return keys.Count == 0 ? request : request with { ConditionKeys = keys };
    }

    /// <summary>
    /// s3:PutObject for a write that may carry x-amz-tagging (PutObject, CopyObject, CreateMultipartUpload): the tags as
    /// <c>s3:RequestObjectTag/&lt;key&gt;</c> and their keys as <c>s3:RequestObjectTagKeys</c>, so a policy can require or
    /// forbid tags on new objects.
    /// </summary>
    private AuthorizationRequest OnPutWithTags(PutObjectRequest request)
    {
        var authorization = OnBucket("s3:PutObject", request.Bucket, request.Key);
        if (TaggingHeader(request.Headers) is not { } tags)
        {
            return authorization;
        }

        var keys = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { ["s3:RequestObjectTagKeys"] = [.. tags.Keys] };
        foreach (var (name, value) in tags)
        {
            keys["s3:RequestObjectTag/" + name] = [value];
        }

        return authorization with { ConditionKeys = keys };
    }

    // Tags parsed from a Tagging document, checked against the object limits.
    private static Dictionary<string, string>? ObjectTags(List<(string Key, string Value)> tags)
    {
        if (tags.Count > MaxObjectTags)
        {
            throw new AwsException("BadRequest", "Object tags cannot be greater than 10", 400);
        }

        if (tags.Count == 0)
        {
            return null;
        }

        var dictionary = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in tags)
        {
            dictionary[key] = value;
        }

        return dictionary;
    }

    /// <summary>The tags of <c>x-amz-tagging</c> (a URL-encoded query string), or null when the header is absent or empty.</summary>
    private static Dictionary<string, string>? TaggingHeader(IHeaderDictionary headers)
    {
        var text = headers["x-amz-tagging"].ToString();
        if (text.Length == 0)
        {
            return null;
        }

        var tags = new List<(string, string)>();
        foreach (var pair in text.Split('&'))
        {
            if (pair.Length == 0)
            {
                continue;
            }

            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = WebUtility.UrlDecode(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : WebUtility.UrlDecode(pair[(equals + 1)..]);
            if (tags.Exists(t => t.Item1 == key))
            {
                throw S3Errors.InvalidArgument(
                    "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.", "x-amz-tagging", text);
            }

            CheckTag(key, value);
            tags.Add((key, value));
        }

        return ObjectTags(tags);
    }

    private static void CheckTag(string key, string value)
    {
        if (key.Length is 0 or > 128)
        {
            throw InvalidTag("The TagKey you have provided is invalid");
        }

        if (value.Length > 256)
        {
            throw InvalidTag("The TagValue you have provided is too long, max 256");
        }

        if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
        {
            throw InvalidTag("Your TagKey cannot be prefixed with aws:");
        }
    }

    /// <summary>The tags a copy gets: the source's (x-amz-tagging-directive COPY, the default) or x-amz-tagging's (REPLACE).</summary>
    private static Dictionary<string, string>? CopyTags(IHeaderDictionary headers, ObjectRecord source)
    {
        var directive = headers["x-amz-tagging-directive"].ToString();
        return directive switch
        {
            "" or "COPY" => source.Tags,
            "REPLACE" => TaggingHeader(headers),
            _ => throw S3Errors.InvalidArgument("Unknown tagging directive.", "x-amz-tagging-directive", directive),
        };
    }

    private sealed record ObjectTaggingRequest(string Bucket, string Key, string? VersionId, Stream Body)
    {
        public static ObjectTaggingRequest From(OperationInput input) =>
            new(Label(input, "Bucket"), ObjectKey(input), input.Parameters.Get("versionId"), input.Body);
    }
}
