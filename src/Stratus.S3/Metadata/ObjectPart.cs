using System.Text.Json.Serialization;
using Stratus.Storage.Objects;

namespace Stratus.S3.Metadata;

/// <summary>One stored run of an object's bytes: a single PUT's whole body, or one part of a multipart upload.</summary>
internal sealed class ObjectPart
{
    public long Size { get; init; }

    /// <summary>The part's MD5 hex (multipart parts only; a single PUT's is the object's ETag).</summary>
    public string? ETag { get; init; }

    /// <summary>The part's checksums by algorithm name, base64 (multipart parts only).</summary>
    public Dictionary<string, string>? Checksums { get; init; }

    /// <summary>
    /// The object layer's manifest: of the shards, or for a small object a detached one (no bytes), which names the whole
    /// manifest with the bytes kept once under the object's reference key (<c>s3/r/{objectId}</c>).
    /// </summary>
    public required byte[] Manifest { get; init; }

    /// <summary>
    /// The whole manifest of data this request has just stored, whose reference its commit writes; null for a part carried
    /// over from a stored record or an uploaded part (its reference exists already).
    /// </summary>
    [JsonIgnore]
    public ObjectManifest? Stored { get; init; }

    /// <summary>A part for data just stored: small objects keep only a detached manifest in their records.</summary>
    public static ObjectPart For(ObjectManifest stored, string? etag = null, Dictionary<string, string>? checksums = null) => new()
    {
        Size = stored.Size,
        ETag = etag,
        Checksums = checksums,
        Manifest = (stored.IsInline ? stored.Detach() : stored).ToBytes(),
        Stored = stored,
    };
}
