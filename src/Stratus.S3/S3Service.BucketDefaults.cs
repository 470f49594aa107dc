using Stratus.Core;
using Stratus.S3.Responses;

namespace Stratus.S3;

/// <summary>
/// The answers S3 gives for bucket settings nobody has configured. Stratus cannot configure these yet (their Put
/// operations answer NotImplemented), so every bucket truly has none of them; tools that read them all before they do
/// anything (Terraform's aws_s3_bucket, the console) get the same answers AWS gives for a fresh bucket. The settings
/// that can be configured (CORS, public access block, ownership, ACLs, encryption, notifications, lifecycle, Object
/// Lock, website) answer their reads in their own files.
/// </summary>
public sealed partial class S3Service
{
    private void RegisterBucketDefaults()
    {
        Absent("GetBucketReplication", "s3:GetReplicationConfiguration", "ReplicationConfigurationNotFoundError", "The replication configuration was not found");

        Fixed("GetBucketAccelerateConfiguration", "s3:GetAccelerateConfiguration", "AccelerateConfiguration", static (_, _) => { });
        Fixed("GetBucketLogging", "s3:GetBucketLogging", "BucketLoggingStatus", static (_, _) => { });
        Fixed("GetBucketRequestPayment", "s3:GetBucketRequestPayment", "RequestPaymentConfiguration", static (w, _) => w.WriteElementString("Payer", "BucketOwner"));
    }

    // A setting the bucket does not have: S3's own 404 for it.
    private void Absent(string operation, string action, string code, string message) =>
        Register<string, XmlResponse>(
            operation,
            static input => Label(input, "Bucket"),
            (bucket, _) => OnBucket(action, bucket),
            (bucket, _, _) =>
            {
                RequireBucket(bucket);
                throw new AwsException(code, message, 404) { Details = [new("BucketName", bucket)] };
            });

    // A setting every bucket has the same value of until it can be configured.
    private void Fixed(string operation, string action, string root, Action<System.Xml.XmlWriter, string> content) =>
        Register<string, XmlResponse>(
            operation,
            static input => Label(input, "Bucket"),
            (bucket, _) => OnBucket(action, bucket),
            (bucket, _, _) =>
            {
                var owner = RequireBucket(bucket).Owner;
                return ValueTask.FromResult(new XmlResponse(root, w => content(w, owner)));
            });
}
