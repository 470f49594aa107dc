using System.Xml.Linq;
using Stratus.Core;
using Stratus.Protocol.Pipeline;
using Stratus.S3.Metadata;

namespace Stratus.S3;

/// <summary>
/// Bucket settings that Stratus keeps for the tools that manage them but does not act on: server access logging (no
/// log objects are written), transfer acceleration (there is no accelerate endpoint), request payment (nobody is
/// billed) and replication (nothing is copied: there is one Stratus). Each is validated as S3 validates it, stored
/// (<see cref="StoredXml"/>) and echoed; unset, each reads as a fresh bucket's does in S3.
/// </summary>
public sealed partial class S3Service
{
    private void RegisterBucketOptions()
    {
        XmlSetting("BucketLogging", BucketSettingKeys.Logging, "BucketLoggingStatus", ("s3:PutBucketLogging", "s3:GetBucketLogging", null), CheckLogging);
        XmlSetting("BucketAccelerateConfiguration", BucketSettingKeys.Accelerate, "AccelerateConfiguration", ("s3:PutAccelerateConfiguration", "s3:GetAccelerateConfiguration", null), CheckAccelerate);
        XmlSetting("BucketRequestPayment", BucketSettingKeys.RequestPayment, "RequestPaymentConfiguration", ("s3:PutBucketRequestPayment", "s3:GetBucketRequestPayment", null), CheckRequestPayment,
            unset: static w => w.WriteElementString("Payer", "BucketOwner"));
        XmlSetting("BucketReplication", BucketSettingKeys.Replication, "ReplicationConfiguration", ("s3:PutReplicationConfiguration", "s3:GetReplicationConfiguration", "s3:PutReplicationConfiguration"), CheckReplication,
            absent: ("ReplicationConfigurationNotFoundError", "The replication configuration was not found"));
    }

    /// <summary>
    /// A replication configuration: the source versioned, a Role, 1 to 1,000 Rules, each Enabled or Disabled with a
    /// Destination naming by ARN a versioned bucket that exists.
    /// </summary>
    private void CheckReplication(BucketRecord bucket, XElement root)
    {
        if (bucket.Versioning != VersioningEnabled)
        {
            throw S3Errors.InvalidRequest("Versioning must be 'Enabled' on the bucket to apply a replication configuration");
        }

        AllowOnly(root, "Role", "Rule");
        var rules = Elements(root, "Rule").ToList();
        if (string.IsNullOrEmpty(OnlyChild(root, "Role")) || rules.Count is 0 or > 1000)
        {
            throw ProtocolErrors.MalformedXml("a ReplicationConfiguration has a Role and 1 to 1000 Rules.");
        }

        foreach (var rule in rules)
        {
            if (OnlyChild(rule, "Status") is not ("Enabled" or "Disabled"))
            {
                throw ProtocolErrors.MalformedXml("every replication Rule has a Status of Enabled or Disabled.");
            }

            var destination = (Element(rule, "Destination") is { } element ? OnlyChild(element, "Bucket") : null)
                ?? throw ProtocolErrors.MalformedXml("every replication Rule has a Destination with a Bucket.");
            var name = destination.StartsWith("arn:aws:s3:::", StringComparison.Ordinal) ? destination["arn:aws:s3:::".Length..] : null;
            if (string.IsNullOrEmpty(name) || name.Contains('/', StringComparison.Ordinal))
            {
                throw S3Errors.InvalidArgument("Invalid bucket ARN.", "Destination", destination);
            }

            var target = FindBucket(name) ?? throw S3Errors.InvalidRequest("Destination bucket must exist.");
            if (target.Versioning != VersioningEnabled)
            {
                throw S3Errors.InvalidRequest("Destination bucket must have versioning enabled.");
            }
        }
    }

    /// <summary>
    /// An empty BucketLoggingStatus turns logging off; a LoggingEnabled names a target bucket of the same owner (S3's
    /// <c>InvalidTargetBucketForLogging</c> otherwise) and a prefix, with optional grants and key format.
    /// </summary>
    private void CheckLogging(BucketRecord bucket, XElement root)
    {
        AllowOnly(root, "LoggingEnabled");
        if (Element(root, "LoggingEnabled") is not { } enabled)
        {
            return;
        }

        AllowOnly(enabled, "TargetBucket", "TargetPrefix", "TargetGrants", "TargetObjectKeyFormat");
        var target = OnlyChild(enabled, "TargetBucket");
        if (string.IsNullOrEmpty(target) || OnlyChild(enabled, "TargetPrefix") is null)
        {
            throw ProtocolErrors.MalformedXml("LoggingEnabled needs a TargetBucket and a TargetPrefix.");
        }

        var targetRecord = FindBucket(target)
            ?? throw new AwsException("InvalidTargetBucketForLogging", "The target bucket for logging does not exist", 400) { Details = [new("TargetBucket", target)] };
        if (targetRecord.Owner != bucket.Owner)
        {
            throw new AwsException("InvalidTargetBucketForLogging", "The owner for the bucket to be logged and the target bucket must be the same.", 400) { Details = [new("TargetBucket", target)] };
        }
    }

    private static void CheckAccelerate(BucketRecord bucket, XElement root)
    {
        AllowOnly(root, "Status");
        if (OnlyChild(root, "Status") is not ("Enabled" or "Suspended"))
        {
            throw ProtocolErrors.MalformedXml("an AccelerateConfiguration's Status is Enabled or Suspended.");
        }

        if (bucket.Name.Contains('.', StringComparison.Ordinal))
        {
            throw S3Errors.InvalidRequest("S3 Transfer Acceleration is not supported for buckets with periods (.) in their names");
        }
    }

    private static void CheckRequestPayment(BucketRecord bucket, XElement root)
    {
        AllowOnly(root, "Payer");
        if (OnlyChild(root, "Payer") is not ("BucketOwner" or "Requester"))
        {
            throw ProtocolErrors.MalformedXml("a RequestPaymentConfiguration's Payer is BucketOwner or Requester.");
        }
    }
}
