namespace Stratus.S3.Metadata;

/// <summary>A multipart upload in progress: what the object will be once completed.</summary>
internal sealed class UploadRecord
{
    public required string Bucket { get; init; }

    public required string Key { get; init; }

    public required string UploadId { get; init; }

    /// <summary>Initiation time, Unix milliseconds.</summary>
    public long Initiated { get; init; }

    public required string Owner { get; init; }

    public string? ContentType { get; init; }

    public string? ContentEncoding { get; init; }

    public string? ContentDisposition { get; init; }

    public string? ContentLanguage { get; init; }

    public string? CacheControl { get; init; }

    public string? Expires { get; init; }

    public string StorageClass { get; init; } = "STANDARD";

    public Dictionary<string, string>? UserMetadata { get; init; }

    /// <summary>The checksum algorithm the parts carry (x-amz-checksum-algorithm at creation), if any.</summary>
    public string? ChecksumAlgorithm { get; init; }

    /// <summary>The tags the completed object will carry (x-amz-tagging at creation).</summary>
    public Dictionary<string, string>? Tags { get; init; }

    /// <summary>The ACL the completed object gets (x-amz-acl or x-amz-grant-* at creation), if any.</summary>
    public AccessControlList? Acl { get; init; }

    /// <summary>The completed object's encryption, other than the default SSE-S3.</summary>
    public ServerSideEncryption? Encryption { get; init; }

    /// <summary>The Object Lock headers of CreateMultipartUpload, for the completed object.</summary>
    public ObjectLock? Lock { get; init; }
}
