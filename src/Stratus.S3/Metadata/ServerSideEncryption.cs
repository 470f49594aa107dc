namespace Stratus.S3.Metadata;

/// <summary>
/// How an object is (said to be) encrypted at rest, or a bucket's default: the algorithm (AES256, aws:kms,
/// aws:kms:dsse), the KMS key for the KMS ones, and whether an S3 Bucket Key is used. Stratus stores and echoes these;
/// the bytes themselves are protected by the object layer's checksums, not by a cipher.
/// </summary>
internal sealed class ServerSideEncryption
{
    public required string Algorithm { get; init; }

    public string? KmsKeyId { get; init; }

    public bool BucketKeyEnabled { get; init; }
}
