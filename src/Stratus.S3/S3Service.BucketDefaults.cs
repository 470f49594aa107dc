using Stratus.Core;
using Stratus.S3.Responses;

namespace Stratus.S3;

/// <summary>
/// The answer S3 gives for a bucket setting nobody has configured, for the one Stratus cannot configure yet
/// (replication: its Put answers NotImplemented), so every bucket truly has none; tools that read every setting before
/// they do anything (Terraform's aws_s3_bucket, the console) get the answer AWS gives for a fresh bucket. The settings
/// that can be configured (CORS, public access block, ownership, ACLs, encryption, notifications, lifecycle, Object
/// Lock, website, logging, acceleration, request payment) answer their reads in their own files.
/// </summary>
public sealed partial class S3Service
{
    private void RegisterBucketDefaults()
    {
        Absent("GetBucketReplication", "s3:GetReplicationConfiguration", "ReplicationConfigurationNotFoundError", "The replication configuration was not found");
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
}
