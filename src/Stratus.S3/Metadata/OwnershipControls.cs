namespace Stratus.S3.Metadata;

/// <summary>
/// A bucket's object ownership setting once configured: BucketOwnerEnforced, BucketOwnerPreferred, ObjectWriter, or null
/// after DeleteBucketOwnershipControls. A bucket with no stored setting is BucketOwnerEnforced, AWS's default.
/// </summary>
internal sealed class OwnershipControls
{
    public string? ObjectOwnership { get; init; }
}
