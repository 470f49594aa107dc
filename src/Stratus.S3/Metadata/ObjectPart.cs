namespace Stratus.S3.Metadata;

/// <summary>One stored run of an object's bytes: a single PUT's whole body, or one part of a multipart upload.</summary>
internal sealed class ObjectPart
{
    public long Size { get; init; }

    /// <summary>The part's MD5 hex (multipart parts only; a single PUT's is the object's ETag).</summary>
    public string? ETag { get; init; }

    /// <summary>The part's checksums by algorithm name, base64 (multipart parts only).</summary>
    public Dictionary<string, string>? Checksums { get; init; }

    /// <summary>The object layer's manifest.</summary>
    public required byte[] Manifest { get; init; }
}
