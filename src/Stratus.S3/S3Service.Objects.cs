using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Stratus.Core;
using Stratus.Protocol.Auth;
using Stratus.Protocol.Checksums;
using Stratus.Protocol.Codecs;
using Stratus.Protocol.Pipeline;
using Stratus.Protocol.Services;
using Stratus.S3.Metadata;
using Stratus.S3.Objects;
using Stratus.S3.Responses;
using Stratus.Storage.Lsm;
using Stratus.Storage.Objects;

namespace Stratus.S3;

public sealed partial class S3Service
{
    private const long MaxSinglePut = 5L * 1024 * 1024 * 1024;
    private const int MaxKeyBytes = 1024;
    private const int MaxUserMetadataBytes = 2048;

    private static readonly string[] StandardHeaders = ["Content-Type", "Content-Encoding", "Content-Disposition", "Content-Language", "Cache-Control", "Expires"];

    private void RegisterObjects()
    {
        Register<PutObjectRequest, HeadersResponse>(
            "PutObject",
            static input => new PutObjectRequest(Label(input, "Bucket"), ObjectKey(input), input.Body, input.Headers),
            (request, _) => OnPutWithTags(request),
            PutObjectAsync);
        Register<GetObjectRequest, IRestResponse>(
            "GetObject",
            static input => GetObjectRequest.From(input, head: false),
            (request, _) => OnObjectRead(request),
            (request, context, _) => ValueTask.FromResult(GetObject(request, context)));
        Register<GetObjectRequest, IRestResponse>(
            "HeadObject",
            static input => GetObjectRequest.From(input, head: true),
            (request, _) => OnObjectRead(request),
            (request, context, _) => ValueTask.FromResult(GetObject(request, context)));
        Register<(string Bucket, string Key, string? VersionId), HeadersResponse>(
            "DeleteObject",
            static input => (Label(input, "Bucket"), ObjectKey(input), input.Parameters.Get("versionId")),
            (request, _) => OnBucket(request.VersionId is null ? "s3:DeleteObject" : "s3:DeleteObjectVersion", request.Bucket, request.Key),
            async (request, context, _) =>
            {
                RequireBucket(request.Bucket);
                var bypass = request.VersionId is not null && MayBypassGovernance(context, request.Bucket, request.Key);
                var outcome = await DeleteObjectAsync(request.Bucket, request.Key, request.VersionId, context.Account, bypass).ConfigureAwait(false);
                var headers = new List<KeyValuePair<string, string>>();
                if (outcome.DeleteMarker)
                {
                    headers.Add(new("x-amz-delete-marker", "true"));
                }

                if (outcome.VersionId is not null)
                {
                    headers.Add(new("x-amz-version-id", outcome.VersionId));
                }

                return new HeadersResponse(204, [.. headers]);
            });
    }

    private static string ObjectKey(OperationInput input)
    {
        var key = Label(input, "Key");
        if (Encoding.UTF8.GetByteCount(key) > MaxKeyBytes)
        {
            throw S3Errors.KeyTooLong();
        }

        return key;
    }

    private async ValueTask<HeadersResponse> PutObjectAsync(PutObjectRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        var (record, checksums, encryption) = await StoreObjectAsync(request, context.Http.Request.ContentLength, context, checkSize: null, cancellationToken).ConfigureAwait(false);
        return WithEncryption(StoredResponse(record.ETag, checksums, record.VersionId), encryption);
    }

    /// <summary>
    /// Stores a new object from a body and the PutObject headers that describe it (a browser-form upload makes them from
    /// its fields), then commits it; <paramref name="checkSize"/> may refuse the stored length before the commit.
    /// </summary>
    private async Task<(ObjectRecord Record, Dictionary<string, string> Checksums, ServerSideEncryption? Encryption)> StoreObjectAsync(
        PutObjectRequest request, long? contentLength, RequestContext context, Action<long>? checkSize, CancellationToken cancellationToken)
    {
        RequireBucket(request.Bucket);
        var headers = request.Headers;
        var userMetadata = UserMetadata(headers);
        var tags = TaggingHeader(headers);
        var conditions = PutConditions(headers);
        var storageClass = RequestedStorageClass(headers) ?? "STANDARD";
        var (owner, acl) = ObjectOwner(request.Bucket, context.Account, ObjectAclForWrite(request.Bucket, headers, context));
        var encryption = ObjectEncryptionForWrite(request.Bucket, headers, context);
        var objectLock = RequestedLock(request.Bucket, headers);
        var (manifest, md5, checksums) = await StoreBodyAsync(request.Body, headers, contentLength, cancellationToken).ConfigureAwait(false);
        try
        {
            checkSize?.Invoke(manifest.Size);
            var record = new ObjectRecord
            {
                Key = request.Key,
                Size = manifest.Size,
                ETag = Convert.ToHexStringLower(md5),
                LastModified = Now(),
                ContentType = headers.ContentType.Count > 0 ? headers.ContentType.ToString() : null,
                ContentEncoding = StripAwsChunked(headers.ContentEncoding.ToString()),
                ContentDisposition = Header(headers, "Content-Disposition"),
                ContentLanguage = Header(headers, "Content-Language"),
                CacheControl = Header(headers, "Cache-Control"),
                Expires = Header(headers, "Expires"),
                StorageClass = storageClass,
                UserMetadata = userMetadata,
                Checksums = checksums.Count > 0 ? checksums : null,
                Owner = owner,
                Parts = [ObjectPart.For(manifest)],
                Tags = tags,
                Acl = acl,
                Encryption = encryption,
                Lock = objectLock,
            };
            await CommitObjectAsync(request.Bucket, record, conditions, extra: null).ConfigureAwait(false);
            return (record, checksums, encryption);
        }
        catch
        {
            _objects.Delete(manifest);
            throw;
        }
    }

    /// <summary>
    /// Streams a PUT or UploadPart body into the object store while hashing it, then checks its length, Content-MD5 and
    /// header or trailer checksums. Returns the stored shards' manifest, the MD5 and the verified checksums; on any
    /// failure the shards are deleted before the error leaves.
    /// </summary>
    private async Task<(ObjectManifest Manifest, byte[] Md5, Dictionary<string, string> Checksums)> StoreBodyAsync(
        Stream body, IHeaderDictionary headers, long? contentLength, CancellationToken cancellationToken)
    {
        var declaredLength = DeclaredLength(headers, contentLength);
        if (declaredLength > MaxSinglePut)
        {
            throw S3Errors.EntityTooLarge(MaxSinglePut);
        }

        var contentMd5 = ContentMd5(headers);
        var headerChecksums = HeaderChecksums(headers);
        ObjectManifest manifest;
        byte[] md5;
        Dictionary<ChecksumAlgorithm, string> computed;
        long bytesRead;
        using (var hashing = new HashingReadStream(body, AlgorithmsToCompute(headers, headerChecksums), MaxSinglePut))
        {
            manifest = await _objects.PutAsync(hashing, cancellationToken).ConfigureAwait(false);
            md5 = hashing.Md5();
            computed = hashing.Checksums();
            bytesRead = hashing.BytesRead;
        }

        try
        {
            if (declaredLength is { } expected && bytesRead != expected)
            {
                throw new AwsException("IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header.", 400);
            }

            if (contentMd5 is not null && !contentMd5.AsSpan().SequenceEqual(md5))
            {
                throw S3Errors.BadDigest("Content-MD5");
            }

            return (manifest, md5, VerifiedChecksums(body, headerChecksums, computed));
        }
        catch
        {
            _objects.Delete(manifest);
            throw;
        }
    }

    // The answer to a PUT or UploadPart: the ETag and the checksums stored with the data.
    private static HeadersResponse StoredResponse(string etag, Dictionary<string, string> checksums, string? versionId = null)
    {
        var response = new List<KeyValuePair<string, string>> { new("ETag", S3Xml.Quoted(etag)) };
        if (versionId is not null)
        {
            response.Add(new("x-amz-version-id", versionId));
        }

        foreach (var (name, value) in checksums)
        {
            response.Add(new("x-amz-checksum-" + name.ToLowerInvariant(), value));
        }

        return new HeadersResponse(200, [.. response]);
    }

    private IRestResponse GetObject(GetObjectRequest request, RequestContext context)
    {
        var bucket = RequireBucket(request.Bucket);
        var record = request.AuthorizedRecord is { } authorized && request.VersionId is null
            ? ReadRecord(authorized)
            : ReadableVersion(bucket, request.Key, request.VersionId, request.Head ? "HEAD" : "GET");
        if (!request.Head)
        {
            RequireReadable(record);
        }

        var etag = S3Xml.Quoted(record.ETag);
        var lastModified = DateTimeOffset.FromUnixTimeMilliseconds(record.LastModified);
        if (Preconditions.Evaluate(request.Headers, etag, lastModified) is { } status)
        {
            if (status == 304)
            {
                return new HeadersResponse(304, new("ETag", etag), new("Last-Modified", S3Xml.HttpDate(record.LastModified)));
            }

            throw S3Errors.PreconditionFailed(request.Headers.ContainsKey("If-Match") ? "If-Match" : "If-Unmodified-Since");
        }

        var headers = new List<KeyValuePair<string, string>>
        {
            new("ETag", etag),
            new("Last-Modified", S3Xml.HttpDate(record.LastModified)),
            new("Accept-Ranges", "bytes"),
            new("Content-Type", request.Override("response-content-type") ?? record.ContentType ?? "binary/octet-stream"),
        };
        AddIfPresent(headers, "Content-Encoding", request.Override("response-content-encoding") ?? record.ContentEncoding);
        AddIfPresent(headers, "Content-Disposition", request.Override("response-content-disposition") ?? record.ContentDisposition);
        AddIfPresent(headers, "Content-Language", request.Override("response-content-language") ?? record.ContentLanguage);
        AddIfPresent(headers, "Cache-Control", request.Override("response-cache-control") ?? record.CacheControl);
        AddIfPresent(headers, "Expires", request.Override("response-expires") ?? record.Expires);
        headers.AddRange(EncryptionHeaders(record.Encryption));
        if (record.StorageClass != "STANDARD")
        {
            headers.Add(new("x-amz-storage-class", record.StorageClass));
        }

        AddRestoreHeader(headers, record);
        AddLockHeaders(headers, record);
        AddVersionHeader(headers, bucket, record);
        if (record.Tags is { Count: > 0 } tags)
        {
            headers.Add(new("x-amz-tagging-count", tags.Count.ToString(CultureInfo.InvariantCulture)));
        }

        if (record.UserMetadata is not null)
        {
            foreach (var (name, value) in record.UserMetadata)
            {
                headers.Add(new("x-amz-meta-" + name, value));
            }
        }

        long offset = 0;
        var length = record.Size;
        var status200 = 200;
        var multipart = record.ETag.Contains('-', StringComparison.Ordinal);
        if (request.PartNumber is { } partNumber)
        {
            // A part of a multipart object is read as the range it occupies; a single PUT is its own part 1.
            if (partNumber > record.Parts.Count)
            {
                throw new AwsException("InvalidPartNumber", "The requested partnumber is not satisfiable", 416);
            }

            for (var i = 0; i < partNumber - 1; i++)
            {
                offset += record.Parts[i].Size;
            }

            length = record.Parts[partNumber - 1].Size;
            if (multipart)
            {
                status200 = 206;
                headers.Add(new("Content-Range", $"bytes {offset}-{offset + length - 1}/{record.Size}"));
            }

            headers.Add(new("x-amz-mp-parts-count", record.Parts.Count.ToString(CultureInfo.InvariantCulture)));
        }
        else if (request.Range is { } range && ByteRange.TryParse(range, record.Size, out var first, out var last, out var satisfiable))
        {
            if (!satisfiable)
            {
                throw S3Errors.InvalidRange(record.Size, range);
            }

            offset = first;
            length = last - first + 1;
            status200 = 206;
            headers.Add(new("Content-Range", $"bytes {first}-{last}/{record.Size}"));
        }
        else if (request.ChecksumMode && record.Checksums is not null)
        {
            foreach (var (name, value) in record.Checksums)
            {
                headers.Add(new("x-amz-checksum-" + name.ToLowerInvariant(), value));
            }

            headers.Add(new("x-amz-checksum-type", multipart ? "COMPOSITE" : "FULL_OBJECT"));
        }

        if (multipart && request.PartNumber is null)
        {
            headers.Add(new("x-amz-mp-parts-count", record.Parts.Count.ToString(CultureInfo.InvariantCulture)));
        }

        Func<Stream>? open = request.Head ? null : () => OpenRange(record, offset, length);
        return new ObjectResponse(status200, length, headers, open);
    }

    private static ObjectManifest ParseManifest(ObjectPart part, string key) =>
        ObjectManifest.TryParse(part.Manifest, out var manifest)
            ? manifest!
            : throw new InvalidDataException($"A manifest of object {key} is corrupt.");

    // Every stored run of bytes has a reference record holding its whole manifest: the scrubber, the healer and the orphan
    // sweep find shard sets through them, and a small object's bytes live there, once, while the records of its version
    // (current and in the versions range) carry only a detached manifest naming it.
    private static void Reference(WriteBatch batch, ObjectManifest manifest) =>
        manifest.WriteTo(batch.Put(S3Keys.Reference(manifest.ObjectId), manifest.EncodedLength));

    private static void Unreference(WriteBatch batch, ObjectManifest manifest) =>
        batch.Delete(S3Keys.Reference(manifest.ObjectId));

    // The manifest to read a part through: a detached one is swapped for the whole one under its reference.
    private ObjectManifest Readable(ObjectPart part, string key)
    {
        var manifest = ParseManifest(part, key);
        if (!manifest.IsDetached)
        {
            return manifest;
        }

        return _kv.TryGet(S3Keys.Reference(manifest.ObjectId), out var bytes) && ObjectManifest.TryParse(bytes, out var whole) && manifest.IsDetachedFrom(whole!)
            ? whole!
            : throw new InvalidDataException($"The bytes of object {key} ({manifest.ObjectId}) are missing or do not match its record.");
    }

    private static List<ObjectManifest> Manifests(ObjectRecord record) =>
        record.Parts.Select(part => ParseManifest(part, record.Key)).ToList();

    // The bytes [offset, offset + length) of an object, reading only the parts (and in them the blocks) the range touches.
    private Stream OpenRange(ObjectRecord record, long offset, long length)
    {
        var pieces = new List<Func<Stream>>();
        long start = 0;
        foreach (var part in record.Parts)
        {
            var end = start + part.Size;
            if (end > offset && start < offset + length && part.Size > 0)
            {
                var from = Math.Max(offset, start) - start;
                var to = Math.Min(offset + length, end) - start;
                var manifest = Readable(part, record.Key);
                pieces.Add(() => _objects.OpenRead(manifest, from, to - from));
            }

            start = end;
        }

        return pieces.Count == 1 ? pieces[0]() : new ConcatenatedReadStream(pieces);
    }

    private static long? DeclaredLength(IHeaderDictionary headers, long? contentLength)
    {
        var decoded = headers["x-amz-decoded-content-length"].ToString();
        if (decoded.Length > 0)
        {
            return long.TryParse(decoded, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw S3Errors.InvalidArgument("x-amz-decoded-content-length must be a number.", "x-amz-decoded-content-length", decoded);
        }

        return contentLength;
    }

    private static Dictionary<string, string>? UserMetadata(IHeaderDictionary headers)
    {
        Dictionary<string, string>? metadata = null;
        var size = 0;
        foreach (var (name, value) in headers)
        {
            if (!name.StartsWith("x-amz-meta-", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var key = name["x-amz-meta-".Length..].ToLowerInvariant();
            var text = value.ToString();
            // S3 counts the UTF-8 bytes of each key and value (Kestrel decodes header values as UTF-8).
            size += Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(text);
            (metadata ??= new Dictionary<string, string>(StringComparer.Ordinal))[key] = text;
        }

        return size > MaxUserMetadataBytes ? throw S3Errors.MetadataTooLarge() : metadata;
    }

    private static byte[]? ContentMd5(IHeaderDictionary headers)
    {
        var text = headers["Content-MD5"].ToString();
        if (text.Length == 0)
        {
            return null;
        }

        var bytes = new byte[16];
        return Convert.TryFromBase64String(text, bytes, out var written) && written == 16 ? bytes : throw S3Errors.InvalidDigest("Content-MD5");
    }

    // The checksum a PUT or UploadPart sent in a header: at most one, of an algorithm S3 knows, whose value is the
    // base64 of a digest of that algorithm's length (each refused as S3 refuses it, 400 InvalidRequest).
    private static List<(ChecksumAlgorithm Algorithm, string Value)> HeaderChecksums(IHeaderDictionary headers)
    {
        var list = new List<(ChecksumAlgorithm, string)>();
        Span<byte> digest = stackalloc byte[32];
        foreach (var (name, value) in headers)
        {
            if (!name.StartsWith("x-amz-checksum-", StringComparison.OrdinalIgnoreCase)
                || name.Equals("x-amz-checksum-algorithm", StringComparison.OrdinalIgnoreCase)
                || name.Equals("x-amz-checksum-mode", StringComparison.OrdinalIgnoreCase)
                || name.Equals("x-amz-checksum-type", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!ChecksumCalculator.TryParseHeaderName(name, out var algorithm))
            {
                throw S3Errors.InvalidRequest("The algorithm type you specified in x-amz-checksum- header is invalid.");
            }

            var text = value.ToString();
            if (!Convert.TryFromBase64String(text, digest, out var length) || length != DigestLength(algorithm))
            {
                throw S3Errors.InvalidRequest($"Value for {name.ToLowerInvariant()} header is invalid.");
            }

            list.Add((algorithm, text));
        }

        return list.Count > 1
            ? throw S3Errors.InvalidRequest("Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.")
            : list;
    }

    private static int DigestLength(ChecksumAlgorithm algorithm) => algorithm switch
    {
        ChecksumAlgorithm.Crc32 or ChecksumAlgorithm.Crc32C => 4,
        ChecksumAlgorithm.Crc64Nvme => 8,
        ChecksumAlgorithm.Sha1 => 20,
        _ => 32,
    };

    // The algorithms to compute while the body streams: those with a value in a header (to check), and the one the SDK
    // named in x-amz-sdk-checksum-algorithm when its value comes in a trailer (already checked by the chunked decoder).
    private static HashSet<ChecksumAlgorithm> AlgorithmsToCompute(IHeaderDictionary headers, List<(ChecksumAlgorithm Algorithm, string Value)> headerChecksums)
    {
        var algorithms = new HashSet<ChecksumAlgorithm>();
        foreach (var (algorithm, _) in headerChecksums)
        {
            algorithms.Add(algorithm);
        }

        var named = headers["x-amz-sdk-checksum-algorithm"].ToString();
        if (named.Length > 0 && !headers.ContainsKey("x-amz-trailer"))
        {
            if (!ChecksumCalculator.TryParseName(named, out var algorithm))
            {
                throw S3Errors.InvalidArgument($"Value for x-amz-sdk-checksum-algorithm header is invalid: {named}", "x-amz-sdk-checksum-algorithm", named);
            }

            // The SDK names the algorithm of the checksum it sends; a header of another one contradicts it.
            if (headerChecksums.Count > 0 && headerChecksums[0].Algorithm != algorithm)
            {
                throw S3Errors.InvalidRequest($"Value for x-amz-sdk-checksum-algorithm header is invalid: it names {named}, but the checksum sent is x-amz-checksum-{ChecksumCalculator.Name(headerChecksums[0].Algorithm).ToLowerInvariant()}.");
            }

            algorithms.Add(algorithm);
        }

        return algorithms;
    }

    private static PutCondition PutConditions(IHeaderDictionary headers)
    {
        var ifNoneMatch = headers.IfNoneMatch.ToString();
        if (ifNoneMatch.Length > 0 && ifNoneMatch != "*")
        {
            throw new AwsException("NotImplemented", "A header you provided implies functionality that is not implemented: If-None-Match on PUT takes only *.", 501, ErrorFault.Receiver)
            {
                Details = [new("Header", "If-None-Match")],
            };
        }

        var ifMatch = headers.IfMatch.ToString();
        return new PutCondition(ifNoneMatch == "*", ifMatch.Length > 0 ? ifMatch : null);
    }

    private static void CheckPutConditions(PutCondition conditions, ObjectRecord? existing, string key)
    {
        if (conditions.IfNoneMatchAny && existing is not null)
        {
            throw S3Errors.PreconditionFailed("If-None-Match");
        }

        if (conditions.IfMatch is { } wanted)
        {
            if (existing is null)
            {
                throw S3Errors.NoSuchKey(key);
            }

            if (wanted != "*" && wanted.Trim('"') != existing.ETag)
            {
                throw S3Errors.PreconditionFailed("If-Match");
            }
        }
    }

    private static string? StripAwsChunked(string contentEncoding)
    {
        if (contentEncoding.Length == 0)
        {
            return null;
        }

        var parts = contentEncoding.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !p.Equals("aws-chunked", StringComparison.OrdinalIgnoreCase))
            .ToArray();
        return parts.Length == 0 ? null : string.Join(',', parts);
    }

    // The storage classes a general purpose bucket takes (the model's enum lists directory-bucket, Outposts, Snow and FSx
    // classes too, which S3 refuses here).
    private static readonly string[] StorageClasses = ["STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER", "DEEP_ARCHIVE", "GLACIER_IR"];

    /// <summary>x-amz-storage-class, or null when absent; 400 InvalidStorageClass for one S3 does not have.</summary>
    private static string? RequestedStorageClass(IHeaderDictionary headers) =>
        Header(headers, "x-amz-storage-class") is not { } value ? null
        : StorageClasses.Contains(value, StringComparer.Ordinal) ? value
        : throw S3Errors.InvalidStorageClass(value);

    private static string? Header(IHeaderDictionary headers, string name) =>
        headers.TryGetValue(name, out var value) && value.Count > 0 ? value.ToString() : null;

    private static void AddIfPresent(List<KeyValuePair<string, string>> headers, string name, string? value)
    {
        if (value is not null)
        {
            headers.Add(new(name, value));
        }
    }

    private sealed record PutObjectRequest(string Bucket, string Key, Stream Body, IHeaderDictionary Headers);

    private readonly record struct PutCondition(bool IfNoneMatchAny, string? IfMatch);
}
