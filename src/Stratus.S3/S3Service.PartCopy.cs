using System.Globalization;
using Stratus.Core;
using Stratus.Protocol.Checksums;
using Stratus.Protocol.Pipeline;
using Stratus.S3.Metadata;
using Stratus.S3.Objects;
using Stratus.S3.Responses;
using Stratus.Storage.Objects;

namespace Stratus.S3;

/// <summary>UploadPartCopy: a part made from a version of another object, whole or the bytes x-amz-copy-source-range names.</summary>
public sealed partial class S3Service
{
    private async ValueTask<XmlResponse> UploadPartCopyAsync(UploadPartRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        var upload = RequireUpload(request.Bucket, request.Key, request.UploadId);
        var (_, _, sourceVersionId, source) = CopySourceVersion(request.Headers, context);
        var (offset, length) = CopySourceRange(request.Headers["x-amz-copy-source-range"].ToString(), source.Size);
        if (length > MaxSinglePut)
        {
            throw new AwsException("InvalidRequest", "The specified copy source is larger than the maximum allowable size for a copy source: 5368709120", 400);
        }

        var algorithms = new List<ChecksumAlgorithm>();
        if (upload.ChecksumAlgorithm is { } name && ChecksumCalculator.TryParseName(name, out var algorithm))
        {
            algorithms.Add(algorithm);
        }

        ObjectManifest manifest;
        byte[] md5;
        Dictionary<ChecksumAlgorithm, string> computed;
        await using (var content = length == 0 ? Stream.Null : OpenRange(source, offset, length))
        using (var hashing = new HashingReadStream(content, algorithms, MaxSinglePut))
        {
            manifest = await _objects.PutAsync(hashing, cancellationToken).ConfigureAwait(false);
            md5 = hashing.Md5();
            computed = hashing.Checksums();
        }

        try
        {
            var checksums = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (each, value) in computed)
            {
                checksums[ChecksumCalculator.Name(each)] = value;
            }

            var part = ObjectPart.For(manifest, Convert.ToHexStringLower(md5), checksums.Count > 0 ? checksums : null);
            await CommitPartAsync(request.Bucket, request.Key, request.UploadId, request.PartNumber, part, manifest).ConfigureAwait(false);
            var now = Now();
            return new XmlResponse("CopyPartResult", w =>
            {
                w.WriteElementString("ETag", S3Xml.Quoted(part.ETag!));
                w.WriteElementString("LastModified", S3Xml.Timestamp(now));
                foreach (var (each, value) in checksums)
                {
                    w.WriteElementString("Checksum" + each, value);
                }
            })
            {
                Headers = sourceVersionId is not null || source.VersionId is not null
                    ? [new("x-amz-copy-source-version-id", source.VersionIdText)]
                    : [],
            };
        }
        catch
        {
            _objects.Delete(manifest);
            throw;
        }
    }

    // x-amz-copy-source-range: exactly "bytes=first-last", inside the source; absent means the whole source.
    private static (long Offset, long Length) CopySourceRange(string range, long size)
    {
        if (range.Length == 0)
        {
            return (0, size);
        }

        var dash = range.IndexOf('-', StringComparison.Ordinal);
        if (!range.StartsWith("bytes=", StringComparison.Ordinal) || dash < 0
            || !long.TryParse(range.AsSpan(6, dash - 6), NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            || !long.TryParse(range.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var last)
            || first > last)
        {
            throw S3Errors.InvalidArgument(
                "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy",
                "x-amz-copy-source-range",
                range);
        }

        if (last >= size)
        {
            throw S3Errors.InvalidArgument($"Range specified is not valid for source object of size: {size}", "x-amz-copy-source-range", range);
        }

        return (first, last - first + 1);
    }
}
