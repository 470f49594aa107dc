using Stratus.Core;

namespace Stratus.S3;

/// <summary>Every error S3 answers with, in one place: code, status and message as S3 words them.</summary>
internal static partial class S3Errors
{
    public static AwsException NoSuchBucket(string bucket) =>
        new("NoSuchBucket", "The specified bucket does not exist", 404) { Details = [new("BucketName", bucket)] };

    public static AwsException NoSuchKey(string key) =>
        new("NoSuchKey", "The specified key does not exist.", 404) { Details = [new("Key", key)] };

    public static AwsException BucketAlreadyOwnedByYou(string bucket) =>
        new("BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.", 409) { Details = [new("BucketName", bucket)] };

    public static AwsException BucketAlreadyExists(string bucket) =>
        new("BucketAlreadyExists", "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.", 409)
        {
            Details = [new("BucketName", bucket)],
        };

    public static AwsException BucketNotEmpty(string bucket) =>
        new("BucketNotEmpty", "The bucket you tried to delete is not empty", 409) { Details = [new("BucketName", bucket)] };

    public static AwsException InvalidBucketName(string bucket, string why) =>
        new("InvalidBucketName", $"The specified bucket is not valid: {why}", 400) { Details = [new("BucketName", bucket)] };

    public static AwsException InvalidRequest(string message) => new("InvalidRequest", message, 400);

    public static AwsException InvalidStorageClass(string storageClass) =>
        new("InvalidStorageClass", "The storage class you specified is not valid", 400) { Details = [new("StorageClassRequested", storageClass)] };

    public static AwsException InvalidArgument(string message, string name, string value) =>
        new("InvalidArgument", message, 400) { Details = [new("ArgumentName", name), new("ArgumentValue", value)] };

    public static AwsException InvalidLocationConstraint(string region) =>
        new("InvalidLocationConstraint", $"The specified location-constraint '{region}' is not valid", 400);

    public static AwsException IllegalLocationConstraint(string requested, string endpointRegion) =>
        new("IllegalLocationConstraintException", $"The {requested} location constraint is incompatible for the region specific endpoint this request was sent to ({endpointRegion}).", 400);

    public static AwsException InvalidRange(long size, string range) =>
        new("InvalidRange", "The requested range is not satisfiable", 416)
        {
            Details = [new("RangeRequested", range), new("ActualObjectSize", size.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            Headers = [new("Content-Range", $"bytes */{size}")],
        };

    public static AwsException PreconditionFailed(string condition) =>
        new("PreconditionFailed", "At least one of the pre-conditions you specified did not hold", 412) { Details = [new("Condition", condition)] };

    public static AwsException ConditionalRequestConflict() =>
        new("ConditionalRequestConflict", "A conflicting conditional operation is currently in progress against this resource. Please try again.", 409);

    public static AwsException BadDigest(string what) =>
        new("BadDigest", $"The {what} you specified did not match the calculated checksum.", 400);

    public static AwsException InvalidDigest(string what) =>
        new("InvalidDigest", $"The {what} you specified is not valid.", 400);

    public static AwsException EntityTooLarge(long max) =>
        new("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size", 400)
        {
            Details = [new("MaxSizeAllowed", max.ToString(System.Globalization.CultureInfo.InvariantCulture))],
        };

    public static AwsException KeyTooLong() =>
        new("KeyTooLongError", "Your key is too long", 400);

    public static AwsException MetadataTooLarge() =>
        new("MetadataTooLarge", "Your metadata headers exceed the maximum allowed metadata size.", 400)
        {
            Details = [new("MaxSizeAllowed", "2048")],
        };

    public static AwsException MissingContentLength() =>
        new("MissingContentLength", "You must provide the Content-Length HTTP header.", 411);
}
