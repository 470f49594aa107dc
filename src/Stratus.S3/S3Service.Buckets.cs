using System.Text.Json;
using Stratus.Protocol.Codecs;
using Stratus.Protocol.Pipeline;
using Stratus.Protocol.Services;
using Stratus.S3.Metadata;
using Stratus.S3.Responses;
using Stratus.Storage.Lsm;
using Stratus.Storage.Objects;

namespace Stratus.S3;

public sealed partial class S3Service
{
    private void RegisterBuckets()
    {
        Register<CreateBucketRequest, HeadersResponse>(
            "CreateBucket",
            static input => new CreateBucketRequest(Label(input, "Bucket"), input.Body, HasBody(input), input.Headers),
            static (request, context) => new AuthorizationRequest("s3:CreateBucket", [BucketArn(request.Bucket)]) { ResourceAccount = context.Account },
            CreateBucketAsync);
        Register<string, HeadersResponse>(
            "HeadBucket",
            static input => Label(input, "Bucket"),
            (bucket, _) => OnBucket("s3:ListBucket", bucket),
            (bucket, _, _) =>
            {
                var record = RequireBucket(bucket);
                return ValueTask.FromResult(new HeadersResponse(200, new("x-amz-bucket-region", record.Region), new("x-amz-access-point-alias", "false")));
            });
        Register<string, HeadersResponse>(
            "DeleteBucket",
            static input => Label(input, "Bucket"),
            (bucket, _) => OnBucket("s3:DeleteBucket", bucket),
            DeleteBucketAsync);
        Register<ListBucketsRequest, XmlResponse>(
            "ListBuckets",
            static input => new ListBucketsRequest(
                input.Parameters.Get("prefix"),
                input.IntegerParameter("max-buckets", 1, 10000) ?? 10000,
                input.Parameters.Get("continuation-token"),
                input.Parameters.Get("bucket-region")),
            static (_, _) => AuthorizationRequest.ForAction("s3:ListAllMyBuckets"),
            (request, context, _) => ValueTask.FromResult(ListBuckets(request, context)));
        Register<string, XmlResponse>(
            "GetBucketLocation",
            static input => Label(input, "Bucket"),
            (bucket, _) => OnBucket("s3:GetBucketLocation", bucket),
            (bucket, _, _) =>
            {
                var region = RequireBucket(bucket).Region;
                return ValueTask.FromResult(new XmlResponse("LocationConstraint", w =>
                {
                    if (region != "us-east-1")
                    {
                        w.WriteString(region);
                    }
                }));
            });
    }

    private static string LegacyRegion(string region) => region switch
    {
        "US" => "us-east-1",
        "EU" => "eu-west-1",
        _ => region,
    };

    private async ValueTask<HeadersResponse> CreateBucketAsync(CreateBucketRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        var bucket = request.Bucket;
        BucketName.Validate(bucket);
        // "US" and "EU" are S3's legacy names of us-east-1 and eu-west-1, still sent by s3cmd (as a signing region too).
        var signingRegion = LegacyRegion(context.Region);
        var region = signingRegion;
        var body = request.HasBody ? await SafeXml.LoadAsync(request.Body, cancellationToken).ConfigureAwait(false) : null;
        if (body?.Root is { } root)
        {
            if (root.Name.LocalName != "CreateBucketConfiguration")
            {
                throw ProtocolErrors.MalformedXml($"expected CreateBucketConfiguration, found {root.Name.LocalName}.");
            }

            var constraint = root.Elements().FirstOrDefault(e => e.Name.LocalName == "LocationConstraint")?.Value;
            if (constraint is "US")
            {
                constraint = null;
            }

            if (constraint is { Length: > 0 })
            {
                constraint = LegacyRegion(constraint);
                if (constraint == "us-east-1" || !IsRegionName(constraint))
                {
                    throw S3Errors.InvalidLocationConstraint(constraint);
                }

                if (constraint != signingRegion && signingRegion != "us-east-1")
                {
                    throw S3Errors.IllegalLocationConstraint(constraint, signingRegion);
                }

                region = constraint;
            }
        }
        else if (signingRegion != "us-east-1")
        {
            // Outside us-east-1 S3 wants the region spelled out, as the SDKs do.
            throw S3Errors.IllegalLocationConstraint("unspecified", signingRegion);
        }

        if (FindBucket(bucket) is { } existing)
        {
            throw existing.Owner == context.Account ? S3Errors.BucketAlreadyOwnedByYou(bucket) : S3Errors.BucketAlreadyExists(bucket);
        }

        // A bucket made with Object Lock is versioned from the start, and stays so.
        var objectLock = request.Headers["x-amz-bucket-object-lock-enabled"].ToString() is { Length: > 0 } lockHeader
            && (bool.TryParse(lockHeader, out var enabled) ? enabled : throw S3Errors.InvalidArgument("x-amz-bucket-object-lock-enabled is true or false.", "x-amz-bucket-object-lock-enabled", lockHeader));
        var record = new BucketRecord { Name = bucket, Owner = context.Account, Region = region, Created = Now(), Versioning = objectLock ? VersioningEnabled : null };
        var key = S3Keys.Bucket(bucket);
        var batch = new WriteBatch().Put(key, JsonSerializer.SerializeToUtf8Bytes(record, S3JsonContext.Default.BucketRecord));
        AddCreationSettings(batch, bucket, request.Headers, context.Account);
        if (objectLock)
        {
            batch.Put(BucketSettingKeys.Of(BucketSettingKeys.ObjectLock, bucket), JsonSerializer.SerializeToUtf8Bytes(new ObjectLockSettings(), BucketSettingsJsonContext.Default.ObjectLockSettings));
        }
        if (!WriteBucket(bucket, batch, new WriteCondition().KeyAbsent(key)))
        {
            // Another request created it between our look and our write.
            throw FindBucket(bucket)?.Owner == context.Account ? S3Errors.BucketAlreadyOwnedByYou(bucket) : S3Errors.BucketAlreadyExists(bucket);
        }

        return new HeadersResponse(200, new KeyValuePair<string, string>("Location", "/" + bucket));
    }

    private async ValueTask<HeadersResponse> DeleteBucketAsync(string bucket, RequestContext context, CancellationToken cancellationToken)
    {
        // Alone: nothing can be added to the bucket between the scan that finds it empty and its deletion.
        using var alone = await _bucketWriters.EnterAloneAsync(bucket).ConfigureAwait(false);
        RequireBucket(bucket);

        // Versions and delete markers keep a bucket from being deleted, as its live objects do.
        foreach (var prefix in new[] { S3Keys.ObjectPrefix(bucket), S3Keys.VersionPrefix(bucket) })
        {
            using var iterator = _kv.NewIterator(ReadOptions.ForPrefix(prefix));
            iterator.SeekToFirst();
            if (iterator.Valid)
            {
                throw S3Errors.BucketNotEmpty(bucket);
            }
        }

        // Multipart uploads in progress do not: as in S3, they go with the bucket, their parts' shards once it is gone.
        var batch = DeleteBucketSettings(new WriteBatch(), bucket).Delete(S3Keys.Bucket(bucket)).Delete(S3Keys.Policy(bucket)).Delete(S3Keys.Tags(bucket));
        var freed = new List<ObjectManifest>();
        foreach (var upload in UploadsOf(bucket))
        {
            freed.AddRange(RemoveUpload(batch, bucket, upload.Key, upload.UploadId));
        }

        WriteBucket(bucket, batch);
        FreeAll(freed);
        return new HeadersResponse(204);
    }

    private XmlResponse ListBuckets(ListBucketsRequest request, RequestContext context)
    {
        var buckets = new List<BucketRecord>();
        string? next = null;
        var start = request.ContinuationToken ?? request.Prefix ?? "";
        using (var iterator = _kv.NewIterator(ReadOptions.ForPrefix(S3Keys.BucketPrefix)))
        {
            iterator.Seek(S3Keys.Bucket(start));
            for (; iterator.Valid; iterator.Next())
            {
                var record = JsonSerializer.Deserialize(iterator.Value, S3JsonContext.Default.BucketRecord)!;
                if (request.Prefix is not null && !record.Name.StartsWith(request.Prefix, StringComparison.Ordinal))
                {
                    break;
                }

                if (record.Owner != context.Account || (request.Region is not null && record.Region != request.Region) || record.Name == request.ContinuationToken)
                {
                    continue;
                }

                if (buckets.Count == request.MaxBuckets)
                {
                    next = buckets[^1].Name;
                    break;
                }

                buckets.Add(record);
            }
        }

        return new XmlResponse("ListAllMyBucketsResult", w =>
        {
            w.WriteStartElement("Owner");
            w.WriteElementString("ID", context.Account);
            w.WriteElementString("DisplayName", context.Account);
            w.WriteEndElement();
            w.WriteStartElement("Buckets");
            foreach (var bucket in buckets)
            {
                w.WriteStartElement("Bucket");
                w.WriteElementString("Name", bucket.Name);
                w.WriteElementString("CreationDate", S3Xml.Timestamp(bucket.Created));
                w.WriteElementString("BucketRegion", bucket.Region);
                w.WriteEndElement();
            }

            w.WriteEndElement();
            if (next is not null)
            {
                w.WriteElementString("ContinuationToken", next);
            }

            if (request.Prefix is not null)
            {
                w.WriteElementString("Prefix", request.Prefix);
            }
        });
    }

    private static bool IsRegionName(string region) =>
        region.Length is > 3 and < 32 && region.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-') && region.Contains('-', StringComparison.Ordinal);

    private static bool HasBody(OperationInput input) =>
        input.Context.Http.Request.ContentLength is > 0 || input.Context.Http.Request.Headers.TransferEncoding.Count > 0
        || input.Headers.ContainsKey("x-amz-decoded-content-length");

    private sealed record CreateBucketRequest(string Bucket, Stream Body, bool HasBody, Microsoft.AspNetCore.Http.IHeaderDictionary Headers);

    private sealed record ListBucketsRequest(string? Prefix, int MaxBuckets, string? ContinuationToken, string? Region);
}
