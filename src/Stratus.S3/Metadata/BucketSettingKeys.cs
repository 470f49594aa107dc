using System.Text;

namespace Stratus.S3.Metadata;

/// <summary>
/// Where each configurable bucket setting lives in the LSM engine: <c>s3/cfg/{setting}/{bucket}</c>, one value per
/// setting (JSON of its record type, see <see cref="BucketSettingsJsonContext"/>). DeleteBucket removes them all.
/// </summary>
internal static class BucketSettingKeys
{
    public const string Cors = "cors";
    public const string PublicAccessBlock = "pab";
    public const string Ownership = "own";
    public const string Acl = "acl";
    public const string Encryption = "sse";
    public const string Notifications = "notify";
    public const string Lifecycle = "lifecycle";
    public const string ObjectLock = "lock";
    public const string Website = "website";
    public const string Logging = "logging";
    public const string Accelerate = "accelerate";
    public const string RequestPayment = "payment";
    public const string Replication = "replication";

    /// <summary>Every setting, for DeleteBucket.</summary>
    public static readonly string[] All = [Cors, PublicAccessBlock, Ownership, Acl, Encryption, Notifications, Lifecycle, ObjectLock, Website, Logging, Accelerate, RequestPayment, Replication];

    public static byte[] Of(string setting, string bucket) => Encoding.UTF8.GetBytes("s3/cfg/" + setting + "/" + bucket);
}
