using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using Stratus.Core;
using Stratus.Protocol.Auth;
using Stratus.Protocol.Checksums;
using Stratus.Protocol.Codecs;
using Stratus.Protocol.Pipeline;
using Stratus.S3.Metadata;
using Stratus.S3.Objects;
using Stratus.S3.Responses;
using Stratus.Storage.Lsm;
using Stratus.Storage.Objects;

namespace Stratus.S3;

public sealed partial class S3Service
{
    private const long MinPartSize = 5L * 1024 * 1024;
    private const int MaxPartNumber = 10000;

    private void RegisterMultipart()
    {
        Register<PutObjectRequest, XmlResponse>(
            "CreateMultipartUpload",
            static input => new PutObjectRequest(Label(input, "Bucket"), ObjectKey(input), input.Body, input.Headers),
            (request, _) => OnPutWithTags(request),
            CreateMultipartUploadAsync);
        Register<UploadPartRequest, HeadersResponse>(
            "UploadPart",
            UploadPartRequest.From,
            (request, _) => OnBucket("s3:PutObject", request.Bucket, request.Key),
            UploadPartAsync);
        Register<UploadPartRequest, XmlResponse>(
            "UploadPartCopy",
            UploadPartRequest.From,
            (request, _) => OnBucket("s3:PutObject", request.Bucket, request.Key),
            UploadPartCopyAsync);
        Register<UploadRef, XmlResponse>(
            "CompleteMultipartUpload",
            static input => new UploadRef(Label(input, "Bucket"), ObjectKey(input), input.RequiredParameter("uploadId"), input.Body, input.Headers),
            (request, _) => OnBucket("s3:PutObject", request.Bucket, request.Key),
            CompleteMultipartUploadAsync);
        Register<UploadRef, HeadersResponse>(
            "AbortMultipartUpload",
            static input => new UploadRef(Label(input, "Bucket"), ObjectKey(input), input.RequiredParameter("uploadId"), input.Body, input.Headers),
            (request, _) => OnBucket("s3:AbortMultipartUpload", request.Bucket, request.Key),
            AbortMultipartUploadAsync);
        Register<UploadRef, XmlResponse>(
            "ListParts",
            static input => new UploadRef(Label(input, "Bucket"), ObjectKey(input), input.RequiredParameter("uploadId"), input.Body, input.Headers)
            {
                Marker = input.IntegerParameter("part-number-marker", 0, MaxPartNumber) ?? 0,
                Max = Math.Min(input.IntegerParameter("max-parts", 0, int.MaxValue) ?? 1000, 1000),
            },
            (request, _) => OnBucket("s3:ListMultipartUploadParts", request.Bucket, request.Key),
            (request, _, _) => ValueTask.FromResult(ListParts(request)));
        Register<(string Bucket, QueryParameters Query), XmlResponse>(
            "ListMultipartUploads",
            static input => (Label(input, "Bucket"), input.Parameters),
            (request, _) => OnBucket("s3:ListBucketMultipartUploads", request.Bucket),
            (request, _, _) => ValueTask.FromResult(ListMultipartUploads(request.Bucket, request.Query)));
    }

    private async ValueTask<XmlResponse> CreateMultipartUploadAsync(PutObjectRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        RequireBucket(request.Bucket);
        var headers = request.Headers;
        var algorithm = Header(headers, "x-amz-checksum-algorithm");
        if (algorithm is not null && !ChecksumCalculator.TryParseName(algorithm, out _))
        {
            throw S3Errors.InvalidArgument($"Checksum algorithm provided is unsupported: {algorithm}", "x-amz-checksum-algorithm", algorithm);
        }

        var upload = new UploadRecord
        {
            Bucket = request.Bucket,
            Key = request.Key,
            UploadId = NewUploadId(),
            Initiated = Now(),
            Owner = context.Account,
            Acl = ObjectAclForWrite(request.Bucket, headers, context),
            Encryption = ObjectEncryptionForWrite(request.Bucket, headers, context),
            ContentType = headers.ContentType.Count > 0 ? headers.ContentType.ToString() : null,
            ContentEncoding = Header(headers, "Content-Encoding"),
            ContentDisposition = Header(headers, "Content-Disposition"),
            ContentLanguage = Header(headers, "Content-Language"),
            CacheControl = Header(headers, "Cache-Control"),
            Expires = Header(headers, "Expires"),
            StorageClass = RequestedStorageClass(headers) ?? "STANDARD",
            UserMetadata = UserMetadata(headers),
            ChecksumAlgorithm = algorithm?.ToUpperInvariant(),
            Tags = TaggingHeader(headers),
            Lock = RequestedLock(request.Bucket, headers),
        };
        using (await _bucketWriters.EnterAsync(request.Bucket).ConfigureAwait(false))
        {
            RequireBucket(request.Bucket);
            await _kv.WriteAsync(new WriteBatch().Put(
                S3Keys.Upload(request.Bucket, request.Key, upload.UploadId),
                JsonSerializer.SerializeToUtf8Bytes(upload, S3JsonContext.Default.UploadRecord))).ConfigureAwait(false);
        }

        var responseHeaders = upload.ChecksumAlgorithm is null ? [] : new KeyValuePair<string, string>[] { new("x-amz-checksum-algorithm", upload.ChecksumAlgorithm) };
        return new XmlResponse("InitiateMultipartUploadResult", w =>
        {
            w.WriteElementString("Bucket", request.Bucket);
            w.WriteElementString("Key", request.Key);
            w.WriteElementString("UploadId", upload.UploadId);
        })
        { Headers = responseHeaders };
    }

    private async ValueTask<HeadersResponse> UploadPartAsync(UploadPartRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        RequireUpload(request.Bucket, request.Key, request.UploadId);
        var (manifest, md5, checksums) = await StoreBodyAsync(request.Body, request.Headers, context.Http.Request.ContentLength, cancellationToken).ConfigureAwait(false);
        try
        {
            var part = ObjectPart.For(manifest, Convert.ToHexStringLower(md5), checksums.Count > 0 ? checksums : null);
            await CommitPartAsync(request.Bucket, request.Key, request.UploadId, request.PartNumber, part, manifest).ConfigureAwait(false);
            return StoredResponse(part.ETag!, checksums);
        }
        catch
        {
            _objects.Delete(manifest);
            throw;
        }
    }

    // Records an uploaded part (replacing, and then freeing, an earlier upload of the same number) while the upload exists.
    // Under the object key's lock, which Complete and Abort also take, so that neither can read an upload's parts and
    // then commit while a part is added or replaced beside them (a part committed after their read would be deleted
    // with the upload while its shards stayed referenced; a part replaced after Complete's read would free shards the
    // new object refers to).
    private async Task CommitPartAsync(string bucket, string key, string uploadId, int partNumber, ObjectPart part, ObjectManifest manifest)
    {
        using var hold = await _bucketWriters.EnterAsync(bucket).ConfigureAwait(false);
        var gate = await LockKeyAsync(bucket, key).ConfigureAwait(false);
        try
        {
            await CommitPartLockedAsync(bucket, key, uploadId, partNumber, part, manifest).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task CommitPartLockedAsync(string bucket, string key, string uploadId, int partNumber, ObjectPart part, ObjectManifest manifest)
    {
        var partKey = S3Keys.Part(uploadId, partNumber);
        var uploadKey = S3Keys.Upload(bucket, key, uploadId);
        for (var attempt = 0; ; attempt++)
        {
            var previous = _kv.TryGet(partKey, out var previousBytes) ? JsonSerializer.Deserialize(previousBytes, S3JsonContext.Default.ObjectPart) : null;
            var batch = new WriteBatch()
                .Put(partKey, JsonSerializer.SerializeToUtf8Bytes(part, S3JsonContext.Default.ObjectPart));
            Reference(batch, manifest);
            var condition = new WriteCondition().KeyPresent(uploadKey);
            ObjectManifest? replaced = null;
            if (previous is null)
            {
                condition.KeyAbsent(partKey);
            }
            else
            {
                condition.ValueEquals(partKey, previousBytes);
                replaced = ParseManifest(previous, key);
                Unreference(batch, replaced);
            }

            if (await _kv.WriteAsync(batch, condition).ConfigureAwait(false))
            {
                if (replaced is not null)
                {
                    _objects.Delete(replaced);
                }

                return;
            }

            if (!_kv.ContainsKey(uploadKey))
            {
                throw NoSuchUpload(uploadId);
            }

            if (attempt == 8)
            {
                throw S3Errors.ConditionalRequestConflict();
            }
        }
    }

    private async ValueTask<XmlResponse> CompleteMultipartUploadAsync(UploadRef request, RequestContext context, CancellationToken cancellationToken)
    {
        var upload = RequireUpload(request.Bucket, request.Key, request.UploadId);
        var document = await SafeXml.LoadAsync(request.Body, cancellationToken).ConfigureAwait(false);
        if (document.Root!.Name.LocalName != "CompleteMultipartUpload")
        {
            throw ProtocolErrors.MalformedXml($"expected CompleteMultipartUpload, found {document.Root.Name.LocalName}.");
        }

        var requested = new List<(int Number, string ETag)>();
        foreach (var element in document.Root.Elements().Where(e => e.Name.LocalName == "Part"))
        {
            var numberText = Child(element, "PartNumber");
            var partETag = Child(element, "ETag");
            if (!int.TryParse(numberText, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || partETag is null)
            {
                throw ProtocolErrors.MalformedXml("every Part needs a PartNumber and an ETag.");
            }

            requested.Add((number, partETag.Trim('"')));
        }

        if (requested.Count == 0)
        {
            throw ProtocolErrors.MalformedXml("You must specify at least one part.");
        }

        var parts = new List<ObjectPart>();
        var partRecords = new List<(byte[] Key, byte[] Value)>();
        for (var i = 0; i < requested.Count; i++)
        {
            if (i > 0 && requested[i].Number <= requested[i - 1].Number)
            {
                throw new AwsException("InvalidPartOrder", "The list of parts was not in ascending order. The parts list must be specified in order by part number.", 400)
                {
                    Details = [new("UploadId", request.UploadId)],
                };
            }

            var partKey = S3Keys.Part(request.UploadId, requested[i].Number);
            if (!_kv.TryGet(partKey, out var bytes)
                || JsonSerializer.Deserialize(bytes, S3JsonContext.Default.ObjectPart) is not { } part
                || part.ETag != requested[i].ETag)
            {
                throw InvalidPart(request.UploadId, requested[i].Number, requested[i].ETag);
            }

            if (i < requested.Count - 1 && part.Size < MinPartSize)
            {
                throw new AwsException("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.", 400)
                {
                    Details =
                    [
                        new("ProposedSize", part.Size.ToString(CultureInfo.InvariantCulture)),
                        new("MinSizeAllowed", MinPartSize.ToString(CultureInfo.InvariantCulture)),
                        new("PartNumber", requested[i].Number.ToString(CultureInfo.InvariantCulture)),
                        new("ETag", requested[i].ETag),
                    ],
                };
            }

            parts.Add(part);
            partRecords.Add((partKey, bytes));
        }

        // The multipart ETag: MD5 of the concatenated binary part MD5s, then "-" and the part count.
        var md5s = new byte[16 * parts.Count];
        for (var i = 0; i < parts.Count; i++)
        {
            Convert.FromHexString(parts[i].ETag!).CopyTo(md5s, 16 * i);
        }

        var etag = Convert.ToHexStringLower(MD5.HashData(md5s)) + "-" + parts.Count.ToString(CultureInfo.InvariantCulture);
        var checksums = CompositeChecksums(upload, parts);
        var (owner, acl) = ObjectOwner(request.Bucket, upload.Owner, upload.Acl);
        var record = new ObjectRecord
        {
            Key = request.Key,
            Size = parts.Sum(p => p.Size),
            ETag = etag,
            LastModified = Now(),
            ContentType = upload.ContentType,
            ContentEncoding = upload.ContentEncoding,
            ContentDisposition = upload.ContentDisposition,
            ContentLanguage = upload.ContentLanguage,
            CacheControl = upload.CacheControl,
            Expires = upload.Expires,
            StorageClass = upload.StorageClass,
            UserMetadata = upload.UserMetadata,
            Checksums = checksums,
            Owner = owner,
            Acl = acl,
            Encryption = upload.Encryption,
            Parts = parts.Select(p => new ObjectPart { Size = p.Size, ETag = p.ETag, Checksums = p.Checksums, Manifest = p.Manifest }).ToList(),
            Tags = upload.Tags,
            Lock = upload.Lock,
        };

        var uploadKey = S3Keys.Upload(request.Bucket, request.Key, request.UploadId);
        List<(int Number, ObjectPart Part)> unused = [];
        await CommitObjectAsync(request.Bucket, record, PutConditions(request.Headers), (batch, condition) =>
        {
            // Run under the key's lock, which part uploads take too: the parts named are still the ones read above
            // (else the commit fails rather than free a part the object is made of), and the unused ones are all there are.
            condition.KeyPresent(uploadKey);
            for (var i = 0; i < partRecords.Count; i++)
            {
                var (partKey, bytes) = partRecords[i];
                if (!_kv.TryGet(partKey, out var now) || !now.AsSpan().SequenceEqual(bytes))
                {
                    // Uploaded again since it was read: the ETag the client named is no longer the part's.
                    throw InvalidPart(request.UploadId, requested[i].Number, requested[i].ETag);
                }

                condition.ValueEquals(partKey, bytes);
            }

            unused = UploadedParts(request.UploadId).Where(p => !requested.Any(r => r.Number == p.Number)).ToList();
            batch.Delete(uploadKey);
            batch.DeleteRange(S3Keys.PartPrefix(request.UploadId), S3Keys.PrefixEnd(S3Keys.PartPrefix(request.UploadId))!);
            foreach (var (_, part) in unused)
            {
                Unreference(batch, ParseManifest(part, request.Key));
            }
        }).ConfigureAwait(false);
        foreach (var (_, part) in unused)
        {
            _objects.Delete(ParseManifest(part, request.Key));
        }

        return new XmlResponse("CompleteMultipartUploadResult", w =>
        {
            w.WriteElementString("Location", $"/{request.Bucket}/{request.Key}");
            w.WriteElementString("Bucket", request.Bucket);
            w.WriteElementString("Key", request.Key);
            w.WriteElementString("ETag", S3Xml.Quoted(etag));
            foreach (var (name, value) in checksums ?? [])
            {
                w.WriteElementString("Checksum" + ChecksumElementSuffix(name), value);
            }
        })
        { Headers = record.VersionId is null ? [] : [new("x-amz-version-id", record.VersionId)] };
    }

    private async ValueTask<HeadersResponse> AbortMultipartUploadAsync(UploadRef request, RequestContext context, CancellationToken cancellationToken)
    {
        RequireUpload(request.Bucket, request.Key, request.UploadId);
        return await RemoveUploadAsync(request.Bucket, request.Key, request.UploadId).ConfigureAwait(false)
            ? new HeadersResponse(204)
            : throw NoSuchUpload(request.UploadId);
    }

    /// <summary>
    /// Removes an upload and its parts (AbortMultipartUpload, and the lifecycle's abort of a stale one) under the key's lock
    /// (see CommitPartAsync: no part can be added between the read of the parts and the commit), then frees the parts'
    /// shards. False when the upload is gone, completed or aborted meanwhile.
    /// </summary>
    private async Task<bool> RemoveUploadAsync(string bucket, string key, string uploadId)
    {
        var gate = await LockKeyAsync(bucket, key).ConfigureAwait(false);
        List<ObjectManifest> freed;
        try
        {
            if (!_kv.ContainsKey(S3Keys.Upload(bucket, key, uploadId)))
            {
                return false;
            }

            var batch = new WriteBatch();
            freed = RemoveUpload(batch, bucket, key, uploadId);
            await _kv.WriteAsync(batch).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }

        FreeAll(freed);
        return true;
    }

    /// <summary>
    /// Adds to <paramref name="batch"/> the removal of an upload: its record, its parts' records and their references.
    /// Returns the parts' manifests, whose shards the caller deletes (<see cref="FreeAll"/>) once the batch is committed.
    /// </summary>
    private List<ObjectManifest> RemoveUpload(WriteBatch batch, string bucket, string key, string uploadId)
    {
        var manifests = UploadedParts(uploadId).Select(part => ParseManifest(part.Part, key)).ToList();
        batch.Delete(S3Keys.Upload(bucket, key, uploadId))
            .DeleteRange(S3Keys.PartPrefix(uploadId), S3Keys.PrefixEnd(S3Keys.PartPrefix(uploadId))!);
        foreach (var manifest in manifests)
        {
            Unreference(batch, manifest);
        }

        return manifests;
    }

    private void FreeAll(List<ObjectManifest> manifests)
    {
        foreach (var manifest in manifests)
        {
            _objects.Delete(manifest);
        }
    }

    private XmlResponse ListParts(UploadRef request)
    {
        var upload = RequireUpload(request.Bucket, request.Key, request.UploadId);
        var all = UploadedParts(request.UploadId).Where(p => p.Number > request.Marker).ToList();
        var page = all.Take(request.Max).ToList();
        var truncated = all.Count > page.Count;
        return new XmlResponse("ListPartsResult", w =>
        {
            w.WriteElementString("Bucket", request.Bucket);
            w.WriteElementString("Key", request.Key);
            w.WriteElementString("UploadId", request.UploadId);
            w.WriteElementString("PartNumberMarker", request.Marker.ToString(CultureInfo.InvariantCulture));
            if (page.Count > 0)
            {
                w.WriteElementString("NextPartNumberMarker", page[^1].Number.ToString(CultureInfo.InvariantCulture));
            }

            w.WriteElementString("MaxParts", request.Max.ToString(CultureInfo.InvariantCulture));
            w.WriteElementString("IsTruncated", truncated ? "true" : "false");
            w.WriteElementString("StorageClass", upload.StorageClass);
            if (upload.ChecksumAlgorithm is not null)
            {
                w.WriteElementString("ChecksumAlgorithm", upload.ChecksumAlgorithm);
            }

            WriteOwner(w, "Initiator", upload.Owner);
            WriteOwner(w, "Owner", upload.Owner);
            foreach (var (number, part) in page)
            {
                w.WriteStartElement("Part");
                w.WriteElementString("PartNumber", number.ToString(CultureInfo.InvariantCulture));
                w.WriteElementString("LastModified", S3Xml.Timestamp(upload.Initiated));
                w.WriteElementString("ETag", S3Xml.Quoted(part.ETag!));
                w.WriteElementString("Size", part.Size.ToString(CultureInfo.InvariantCulture));
                foreach (var (name, value) in part.Checksums ?? [])
                {
                    w.WriteElementString("Checksum" + ChecksumElementSuffix(name), value);
                }

                w.WriteEndElement();
            }
        });
    }

    private XmlResponse ListMultipartUploads(string bucket, QueryParameters query)
    {
        RequireBucket(bucket);
        var prefix = query.Get("prefix") ?? "";
        var keyMarker = query.Get("key-marker");
        var uploadIdMarker = query.Get("upload-id-marker");
        var max = ListRequest.MaxItems(query, "max-uploads");

        var uploads = new List<UploadRecord>();
        var truncated = false;
        var uploadPrefix = S3Keys.UploadPrefix(bucket);
        using (var iterator = _kv.NewIterator(ReadOptions.ForPrefix(Concat(uploadPrefix, prefix))))
        {
            for (iterator.SeekToFirst(); iterator.Valid; iterator.Next())
            {
                var upload = JsonSerializer.Deserialize(iterator.Value, S3JsonContext.Default.UploadRecord)!;
                if (keyMarker is not null)
                {
                    var order = string.CompareOrdinal(upload.Key, keyMarker);
                    if (order < 0 || (order == 0 && (uploadIdMarker is null || string.CompareOrdinal(upload.UploadId, uploadIdMarker) <= 0)))
                    {
                        continue;
                    }
                }

                if (uploads.Count == max)
                {
                    truncated = true;
                    break;
                }

                uploads.Add(upload);
            }
        }

        return new XmlResponse("ListMultipartUploadsResult", w =>
        {
            w.WriteElementString("Bucket", bucket);
            w.WriteElementString("KeyMarker", keyMarker ?? "");
            w.WriteElementString("UploadIdMarker", uploadIdMarker ?? "");
            if (truncated && uploads.Count > 0)
            {
                w.WriteElementString("NextKeyMarker", uploads[^1].Key);
                w.WriteElementString("NextUploadIdMarker", uploads[^1].UploadId);
            }

            w.WriteElementString("Prefix", prefix);
            w.WriteElementString("MaxUploads", max.ToString(CultureInfo.InvariantCulture));
            w.WriteElementString("IsTruncated", truncated ? "true" : "false");
            foreach (var upload in uploads)
            {
                w.WriteStartElement("Upload");
                w.WriteElementString("Key", upload.Key);
                w.WriteElementString("UploadId", upload.UploadId);
                WriteOwner(w, "Initiator", upload.Owner);
                WriteOwner(w, "Owner", upload.Owner);
                w.WriteElementString("StorageClass", upload.StorageClass);
                w.WriteElementString("Initiated", S3Xml.Timestamp(upload.Initiated));
                if (upload.ChecksumAlgorithm is not null)
                {
                    w.WriteElementString("ChecksumAlgorithm", upload.ChecksumAlgorithm);
                }

                w.WriteEndElement();
            }
        });
    }

    private static AwsException InvalidPart(string uploadId, int partNumber, string etag) =>
        new("InvalidPart", "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.", 400)
        {
            Details = [new("UploadId", uploadId), new("PartNumber", partNumber.ToString(CultureInfo.InvariantCulture)), new("ETag", etag)],
        };

    private UploadRecord RequireUpload(string bucket, string key, string uploadId)
    {
        RequireBucket(bucket);
        return _kv.TryGet(S3Keys.Upload(bucket, key, uploadId), out var bytes)
            ? JsonSerializer.Deserialize(bytes, S3JsonContext.Default.UploadRecord)!
            : throw NoSuchUpload(uploadId);
    }

    /// <summary>The uploads in progress in <paramref name="bucket"/> whose keys start with <paramref name="keyPrefix"/>, in key order.</summary>
    private List<UploadRecord> UploadsOf(string bucket, string keyPrefix = "")
    {
        var uploads = new List<UploadRecord>();
        using var iterator = _kv.NewIterator(ReadOptions.ForPrefix(Concat(S3Keys.UploadPrefix(bucket), keyPrefix)));
        for (iterator.SeekToFirst(); iterator.Valid; iterator.Next())
        {
            uploads.Add(JsonSerializer.Deserialize(iterator.Value, S3JsonContext.Default.UploadRecord)!);
        }

        return uploads;
    }

    private List<(int Number, ObjectPart Part)> UploadedParts(string uploadId)
    {
        var prefix = S3Keys.PartPrefix(uploadId);
        var parts = new List<(int, ObjectPart)>();
        using var iterator = _kv.NewIterator(ReadOptions.ForPrefix(prefix));
        for (iterator.SeekToFirst(); iterator.Valid; iterator.Next())
        {
            var number = int.Parse(System.Text.Encoding.ASCII.GetString(iterator.Key[prefix.Length..]), CultureInfo.InvariantCulture);
            parts.Add((number, JsonSerializer.Deserialize(iterator.Value, S3JsonContext.Default.ObjectPart)!));
        }

        return parts;
    }

    // Each part's checksum, then a checksum of the concatenated binary checksums with "-N": S3's composite checksum.
    private static Dictionary<string, string>? CompositeChecksums(UploadRecord upload, List<ObjectPart> parts)
    {
        if (upload.ChecksumAlgorithm is not { } name || !ChecksumCalculator.TryParseName(name, out var algorithm))
        {
            return null;
        }

        using var combined = new MemoryStream();
        foreach (var part in parts)
        {
            if (part.Checksums is null || !part.Checksums.TryGetValue(name, out var value))
            {
                return null;
            }

            combined.Write(Convert.FromBase64String(value));
        }

        var composite = ChecksumCalculator.Compute(algorithm, combined.ToArray()) + "-" + parts.Count.ToString(CultureInfo.InvariantCulture);
        return new Dictionary<string, string>(StringComparer.Ordinal) { [name] = composite };
    }

    private static Dictionary<string, string> VerifiedChecksums(Stream body, List<(ChecksumAlgorithm Algorithm, string Value)> headerChecksums, Dictionary<ChecksumAlgorithm, string> computed)
    {
        var checksums = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (algorithm, value) in headerChecksums)
        {
            if (computed[algorithm] != value)
            {
                throw S3Errors.BadDigest(ChecksumCalculator.Name(algorithm));
            }

            checksums[ChecksumCalculator.Name(algorithm)] = value;
        }

        if (body is AwsChunkedStream chunked)
        {
            foreach (var (algorithm, value) in chunked.VerifiedChecksums)
            {
                checksums[ChecksumCalculator.Name(algorithm)] = value;
            }
        }

        foreach (var (algorithm, value) in computed)
        {
            checksums.TryAdd(ChecksumCalculator.Name(algorithm), value);
        }

        return checksums;
    }

    private static string ChecksumElementSuffix(string name) => name switch
    {
        "CRC32C" => "CRC32C",
        "CRC64NVME" => "CRC64NVME",
        _ => name,
    };

    private static void WriteOwner(System.Xml.XmlWriter w, string element, string account)
    {
        w.WriteStartElement(element);
        w.WriteElementString("ID", account);
        w.WriteElementString("DisplayName", account);
        w.WriteEndElement();
    }

    private static string? Child(XElement element, string name) => element.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

    // A child element that may appear at most once (a second one is MalformedXML, as S3's schema check makes it).
    private static string? OnlyChild(XElement element, string name) =>
        element.Elements().Where(e => e.Name.LocalName == name).Take(2).ToList() switch
        {
            [] => null,
            [var only] => only.Value,
            _ => throw ProtocolErrors.MalformedXml($"{element.Name.LocalName} may hold only one {name}."),
        };

    private static string NewUploadId() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(33)).Replace('+', '-').Replace('/', '_');

    private static AwsException NoSuchUpload(string uploadId) =>
        new("NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.", 404)
        {
            Details = [new("UploadId", uploadId)],
        };

    // UploadPart and UploadPartCopy take the same labels and parameters.
    private sealed record UploadPartRequest(string Bucket, string Key, string UploadId, int PartNumber, Stream Body, IHeaderDictionary Headers)
    {
        public static UploadPartRequest From(OperationInput input) => new(
            Label(input, "Bucket"),
            ObjectKey(input),
            input.RequiredParameter("uploadId"),
            input.IntegerParameter("partNumber", 1, MaxPartNumber) ?? throw ProtocolErrors.MissingParameter(input.Protocol, "partNumber"),
            input.Body,
            input.Headers);
    }

    private sealed record UploadRef(string Bucket, string Key, string UploadId, Stream Body, IHeaderDictionary Headers)
    {
        public int Marker { get; init; }

        public int Max { get; init; } = 1000;
    }
}
