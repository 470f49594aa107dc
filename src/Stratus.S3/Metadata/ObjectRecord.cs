using System.Text.Json.Serialization;

namespace Stratus.S3.Metadata;

/// <summary>What S3 keeps about an object: its headers, hashes and where its bytes are (the object layer's manifest).</summary>
internal sealed class ObjectRecord
{
    public required string Key { get; init; }

    public long Size { get; init; }

    /// <summary>The ETag without quotes: MD5 hex of the content for a single PUT.</summary>
    public required string ETag { get; init; }

    /// <summary>Last-modified time, Unix milliseconds.</summary>
    public long LastModified { get; init; }

    public string? ContentType { get; init; }

    public string? ContentEncoding { get; init; }

    public string? ContentDisposition { get; init; }

    public string? ContentLanguage { get; init; }

    public string? CacheControl { get; init; }

    public string? Expires { get; init; }

    public string StorageClass { get; init; } = "STANDARD";

    /// <summary>The <c>x-amz-meta-*</c> headers, names lower-cased without the prefix.</summary>
    public Dictionary<string, string>? UserMetadata { get; init; }

    /// <summary>Checksums by S3 algorithm name (CRC32, CRC32C, CRC64NVME, SHA1, SHA256), base64.</summary>
    public Dictionary<string, string>? Checksums { get; init; }

    /// <summary>The owning account.</summary>
    public required string Owner { get; init; }

    /// <summary>
    /// Where the bytes are, in order: one part for a single PUT, one per part for a completed multipart upload. Each holds
    /// the object layer's manifest (shard layout, hashes, Merkle root, or the inline bytes).
    /// </summary>
    public required List<ObjectPart> Parts { get; init; }

    /// <summary>The version id; null for the <c>null</c> version (written while versioning is off or suspended).</summary>
    public string? VersionId { get; set; }

    /// <summary>
    /// Where this version sorts among its key's versions (<see cref="VersionIds"/>, newest first): its id for a real
    /// version, a fresh one for the null version. Null only for records written before versioning existed.
    /// </summary>
    public string? Stamp { get; set; }

    /// <summary>True for a delete marker: a version with no data that hides the versions below it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool DeleteMarker { get; init; }

    /// <summary>The object's tags (up to 10), in the order they were given.</summary>
    public Dictionary<string, string>? Tags { get; set; }

    /// <summary>The version id as S3 answers it: the id, or <c>null</c>.</summary>
    [JsonIgnore]
    public string VersionIdText => VersionId ?? "null";

    /// <summary>The object's ACL when one was set and the bucket's ownership lets ACLs count; null means owner-only.</summary>
    public AccessControlList? Acl { get; set; }

    /// <summary>Server-side encryption other than the default SSE-S3 (AES256, which null stands for).</summary>
    public ServerSideEncryption? Encryption { get; init; }

    /// <summary>For an archived version (GLACIER, DEEP_ARCHIVE): until when (Unix milliseconds) its restored copy can be read.</summary>
    public long? RestoredUntil { get; set; }

    /// <summary>The version's Object Lock retention and legal hold, if any.</summary>
    public ObjectLock? Lock { get; set; }
}
