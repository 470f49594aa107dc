using System.Text.Json;
using Stratus.Core;
using Stratus.Protocol.Codecs;
using Stratus.Protocol.Pipeline;
using Stratus.S3.Metadata;
using Stratus.S3.Responses;
using Stratus.Storage.Lsm;

namespace Stratus.S3;

/// <summary>
/// The bucket's versioning state: never set (no element in the answer), then <c>Enabled</c> or <c>Suspended</c> (a
/// bucket never goes back to unversioned). MFA Delete cannot be turned on: Stratus has no MFA devices to check it with.
/// </summary>
public sealed partial class S3Service
{
    private const string VersioningEnabled = "Enabled";
    private const string VersioningSuspended = "Suspended";

    private void RegisterVersioning()
    {
        Register<(string Bucket, Stream Body, bool Mfa), HeadersResponse>(
            "PutBucketVersioning",
            static input => (Label(input, "Bucket"), input.Body, input.Headers.ContainsKey("x-amz-mfa")),
            (request, _) => OnBucket("s3:PutBucketVersioning", request.Bucket),
            async (request, _, cancellationToken) =>
            {
                RequireBucket(request.Bucket);
                var (status, mfaDelete) = ParseVersioning(await SafeXml.LoadAsync(request.Body, cancellationToken).ConfigureAwait(false));
                if (mfaDelete == VersioningEnabled)
                {
                    throw request.Mfa
                        ? new AwsException("NotImplemented", "MFA Delete is not supported: Stratus has no MFA devices to authenticate it.", 501, ErrorFault.Receiver)
                        : new AwsException("AccessDenied", "Mfa Authentication must be used for this request", 403);
                }

                if (status == VersioningSuspended && FindObjectLock(request.Bucket) is not null)
                {
                    throw new AwsException("InvalidBucketState", "An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.", 409);
                }

                if (status is not null)
                {
                    await SetVersioningAsync(request.Bucket, status).ConfigureAwait(false);
                }

                return new HeadersResponse(200);
            });
        Register<string, XmlResponse>(
            "GetBucketVersioning",
            static input => Label(input, "Bucket"),
            (bucket, _) => OnBucket("s3:GetBucketVersioning", bucket),
            (bucket, _, _) =>
            {
                var status = RequireBucket(bucket).Versioning;
                return ValueTask.FromResult(new XmlResponse("VersioningConfiguration", w =>
                {
                    if (status is not null)
                    {
                        // MfaDelete appears only once it has been configured, which Stratus never allows.
                        w.WriteElementString("Status", status);
                    }
                }));
            });
    }

    private async Task SetVersioningAsync(string bucket, string status)
    {
        var key = S3Keys.Bucket(bucket);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (!_kv.TryGet(key, out var before))
            {
                throw S3Errors.NoSuchBucket(bucket);
            }

            var record = JsonSerializer.Deserialize(before, S3JsonContext.Default.BucketRecord)!;
            record.Versioning = status;
            var batch = new WriteBatch().Put(key, JsonSerializer.SerializeToUtf8Bytes(record, S3JsonContext.Default.BucketRecord));
            if (WriteBucket(bucket, batch, new WriteCondition().ValueEquals(key, before)))
            {
                return;
            }
        }

        throw S3Errors.ConditionalRequestConflict();
    }

    private static (string? Status, string? MfaDelete) ParseVersioning(System.Xml.Linq.XDocument document)
    {
        if (document.Root!.Name.LocalName != "VersioningConfiguration")
        {
            throw ProtocolErrors.MalformedXml($"expected VersioningConfiguration, found {document.Root.Name.LocalName}.");
        }

        var status = OnlyChild(document.Root, "Status");
        var mfaDelete = OnlyChild(document.Root, "MfaDelete");
        if (status is not (null or VersioningEnabled or VersioningSuspended))
        {
            throw ProtocolErrors.MalformedXml("Status is Enabled or Suspended.");
        }

        if (mfaDelete is not (null or "Enabled" or "Disabled"))
        {
            throw ProtocolErrors.MalformedXml("MfaDelete is Enabled or Disabled.");
        }

        return (status, mfaDelete);
    }
}
