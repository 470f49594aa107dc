using Microsoft.AspNetCore.Http;
using Stratus.Core;
using Stratus.Protocol.Codecs;
using Stratus.Protocol.Pipeline;
using Stratus.Protocol.Services;
using Stratus.S3.Metadata;
using Stratus.S3.Objects;
using Stratus.S3.Responses;
using Stratus.Storage.Objects;

namespace Stratus.S3;

public sealed partial class S3Service
{
    private const int MaxDeleteKeys = 1000;

    private void RegisterBatch()
    {
        Register<(string Bucket, Stream Body, IHeaderDictionary Headers), XmlResponse>(
            "DeleteObjects",
            static input => (Label(input, "Bucket"), input.Body, input.Headers),
            // AWS checks s3:DeleteObject on each key and reports each refusal in the result, not as one 403.
            (request, _) => OnBucket("s3:DeleteObject", request.Bucket, "*") with { AuthorizedByOperation = true },
            DeleteObjectsAsync);
        Register<PutObjectRequest, XmlResponse>(
            "CopyObject",
            static input => new PutObjectRequest(Label(input, "Bucket"), ObjectKey(input), input.Body, input.Headers),
            (request, _) => OnPutWithTags(request),
            CopyObjectAsync);
    }

    private async ValueTask<XmlResponse> DeleteObjectsAsync((string Bucket, Stream Body, IHeaderDictionary Headers) request, RequestContext context, CancellationToken cancellationToken)
    {
        var owner = RequireBucket(request.Bucket).Owner;
        var document = await SafeXml.LoadAsync(request.Body, cancellationToken).ConfigureAwait(false);
        if (document.Root!.Name.LocalName != "Delete")
        {
            throw ProtocolErrors.MalformedXml($"expected Delete, found {document.Root.Name.LocalName}.");
        }

        var quiet = string.Equals(Child(document.Root, "Quiet"), "true", StringComparison.OrdinalIgnoreCase);
        var objects = document.Root.Elements().Where(e => e.Name.LocalName == "Object").Select(e => (Key: Child(e, "Key"), VersionId: Child(e, "VersionId"))).ToList();
        if (objects.Count == 0 || objects.Count > MaxDeleteKeys || objects.Any(o => o.Key is null))
        {
            throw ProtocolErrors.MalformedXml($"a Delete names 1 to {MaxDeleteKeys} objects, each with a Key.");
        }

        var deleted = new List<(string Key, string? VersionId, DeleteOutcome Outcome)>();
        var failed = new List<(string Key, string? VersionId, AwsException Error)>();
        foreach (var (key, versionId) in objects)
        {
            try
            {
                var action = versionId is null ? "s3:DeleteObject" : "s3:DeleteObjectVersion";
                var decision = context.Authorize(new AuthorizationRequest(action, [ObjectArn(request.Bucket, key!)]) { ResourceAccount = owner });
                if (!decision.Allowed)
                {
                    throw new AwsException("AccessDenied", "Access Denied", 403);
                }

                var bypass = versionId is not null && MayBypassGovernance(context, request.Bucket, key!);
                var outcome = await DeleteObjectAsync(request.Bucket, key!, versionId, context.Account, bypass).ConfigureAwait(false);
                deleted.Add((key!, versionId, outcome));
            }
            catch (AwsException error)
            {
                // A malformed version id is this entry's NoSuchVersion, as S3 reports it in a batch.
                failed.Add((key!, versionId, error.Code == "InvalidArgument" && versionId is not null ? S3Errors.NoSuchVersion(key!, versionId) : error));
            }
        }

        return new XmlResponse("DeleteResult", w =>
        {
            if (!quiet)
            {
                foreach (var (key, versionId, outcome) in deleted)
                {
                    w.WriteStartElement("Deleted");
                    w.WriteElementString("Key", key);
                    if (versionId is not null)
                    {
                        w.WriteElementString("VersionId", versionId);
                    }

                    if (outcome.DeleteMarker)
                    {
                        w.WriteElementString("DeleteMarker", "true");
                        w.WriteElementString("DeleteMarkerVersionId", outcome.VersionId);
                    }

                    w.WriteEndElement();
                }
            }

            foreach (var (key, versionId, error) in failed)
            {
                w.WriteStartElement("Error");
                w.WriteElementString("Key", key);
                if (versionId is not null)
                {
                    w.WriteElementString("VersionId", versionId);
                }

                w.WriteElementString("Code", error.Code);
                w.WriteElementString("Message", error.Message);
                w.WriteEndElement();
            }
        });
    }

    private async ValueTask<XmlResponse> CopyObjectAsync(PutObjectRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        RequireBucket(request.Bucket);
        var headers = request.Headers;
        var (sourceBucket, sourceKey, sourceVersionId, source) = CopySourceVersion(headers, context);
        var directive = headers["x-amz-metadata-directive"].ToString();
        if (directive.Length > 0 && directive is not ("COPY" or "REPLACE"))
        {
            throw S3Errors.InvalidArgument("Unknown metadata directive.", "x-amz-metadata-directive", directive);
        }

        var replace = directive == "REPLACE";
        var tags = CopyTags(headers, source);
        var objectLock = RequestedLock(request.Bucket, headers); // as S3: a copy does not take its source's lock
        if (!replace && sourceBucket == request.Bucket && sourceKey == request.Key
            && (sourceVersionId is null || FindObject(sourceBucket, sourceKey)?.Stamp == source.Stamp)
            && RequestedStorageClass(headers) is null)
        {
            throw S3Errors.InvalidRequest("This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
        }

        ObjectManifest manifest;
        await using (var content = OpenRange(source, 0, source.Size))
        {
            manifest = await _objects.PutAsync(content, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var (owner, acl) = ObjectOwner(request.Bucket, context.Account, ObjectAclForWrite(request.Bucket, headers, context));
            var record = new ObjectRecord
            {
                Key = request.Key,
                Size = manifest.Size,
                // A copy is stored as one part, so a multipart source's ETag is recomputed as a plain MD5 would be; S3 keeps the
                // source's only for copies of single-part objects, which is what this gives too.
                ETag = source.Parts.Count == 1 ? source.ETag : await Md5Async(manifest, cancellationToken).ConfigureAwait(false),
                LastModified = Now(),
                ContentType = replace ? (headers.ContentType.Count > 0 ? headers.ContentType.ToString() : null) : source.ContentType,
                ContentEncoding = replace ? Header(headers, "Content-Encoding") : source.ContentEncoding,
                ContentDisposition = replace ? Header(headers, "Content-Disposition") : source.ContentDisposition,
                ContentLanguage = replace ? Header(headers, "Content-Language") : source.ContentLanguage,
                CacheControl = replace ? Header(headers, "Cache-Control") : source.CacheControl,
                Expires = replace ? Header(headers, "Expires") : source.Expires,
                StorageClass = RequestedStorageClass(headers) ?? "STANDARD", // as S3: a copy is STANDARD unless it says otherwise
                UserMetadata = replace ? UserMetadata(headers) : source.UserMetadata,
                Checksums = source.Parts.Count == 1 ? source.Checksums : null,
                Owner = owner,
                Parts = [ObjectPart.For(manifest)],
                Tags = tags,
                Acl = acl,
                Encryption = ObjectEncryptionForWrite(request.Bucket, headers, context),
                Lock = objectLock,
            };
            await CommitObjectAsync(request.Bucket, record, PutConditions(headers), extra: null).ConfigureAwait(false);
            var responseHeaders = new List<KeyValuePair<string, string>>();
            if (sourceVersionId is not null || source.VersionId is not null)
            {
                responseHeaders.Add(new("x-amz-copy-source-version-id", source.VersionIdText));
            }

            if (record.VersionId is not null)
            {
                responseHeaders.Add(new("x-amz-version-id", record.VersionId));
            }

            return new XmlResponse("CopyObjectResult", w =>
            {
                w.WriteElementString("LastModified", S3Xml.Timestamp(record.LastModified));
                w.WriteElementString("ETag", S3Xml.Quoted(record.ETag));
            })
            { Headers = responseHeaders };
        }
        catch
        {
            _objects.Delete(manifest);
            throw;
        }
    }

    private async Task<string> Md5Async(ObjectManifest manifest, CancellationToken cancellationToken)
    {
        await using var content = _objects.OpenRead(manifest);
        return Convert.ToHexStringLower(await System.Security.Cryptography.MD5.HashDataAsync(content, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// The source of a CopyObject or UploadPartCopy: x-amz-copy-source's bucket, key and version (the current one when
    /// none is named), checked against the x-amz-copy-source-if-* conditions.
    /// </summary>
    private (string Bucket, string Key, string? VersionId, ObjectRecord Record) CopySourceVersion(IHeaderDictionary headers, RequestContext context)
    {
        var (sourceBucket, sourceKey, sourceVersionId) = CopySource(headers["x-amz-copy-source"].ToString());
        var bucket = RequireBucket(sourceBucket);

        // Copying also reads the source, which may be another account's (its bucket policy decides).
        var readAction = sourceVersionId is null ? "s3:GetObject" : "s3:GetObjectVersion";
        var read = context.Authorize(new AuthorizationRequest(readAction, [ObjectArn(sourceBucket, sourceKey)]) { ResourceAccount = bucket.Owner });
        if (!read.Allowed)
        {
            throw new AwsException("AccessDenied", read.Reason ?? "Access Denied", 403);
        }

        ObjectRecord source;
        try
        {
            source = ReadableVersion(bucket, sourceKey, sourceVersionId, "GET");
        }
        catch (AwsException error) when (error.Code == "MethodNotAllowed")
        {
            throw S3Errors.InvalidRequest("The source of a copy request may not specifically refer to a delete marker by version id.");
        }
        catch (AwsException error) when (error.Code == "NoSuchKey")
        {
            // The marker's headers describe the source, not the copy's answer.
            throw S3Errors.NoSuchKey(sourceKey);
        }

        RequireReadable(source);
        var conditions = new HeaderDictionary();
        foreach (var (from, to) in new[] { ("x-amz-copy-source-if-match", "If-Match"), ("x-amz-copy-source-if-none-match", "If-None-Match"), ("x-amz-copy-source-if-modified-since", "If-Modified-Since"), ("x-amz-copy-source-if-unmodified-since", "If-Unmodified-Since") })
        {
            if (headers.TryGetValue(from, out var value))
            {
                conditions[to] = value;
            }
        }

        if (Preconditions.Evaluate(conditions, S3Xml.Quoted(source.ETag), DateTimeOffset.FromUnixTimeMilliseconds(source.LastModified)) is not null)
        {
            throw S3Errors.PreconditionFailed("x-amz-copy-source-If-Match");
        }

        return (sourceBucket, sourceKey, sourceVersionId, source);
    }

    // x-amz-copy-source: "bucket/key" or "/bucket/key", URL-encoded, optionally "?versionId=…".
    private static (string Bucket, string Key, string? VersionId) CopySource(string header)
    {
        var question = header.IndexOf('?', StringComparison.Ordinal);
        var text = PercentDecoding.Decode((question < 0 ? header : header[..question]).TrimStart('/'));
        string? versionId = null;
        if (question >= 0)
        {
            foreach (var pair in header[(question + 1)..].Split('&'))
            {
                if (pair.StartsWith("versionId=", StringComparison.Ordinal))
                {
                    versionId = PercentDecoding.Decode(pair["versionId=".Length..]);
                }
            }

            if (versionId is null)
            {
                throw S3Errors.InvalidArgument("Invalid copy source object key", "x-amz-copy-source", header);
            }
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == text.Length - 1)
        {
            throw S3Errors.InvalidArgument("Invalid copy source object key", "x-amz-copy-source", header);
        }

        return (text[..slash], text[(slash + 1)..], versionId);
    }
}
