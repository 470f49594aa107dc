namespace Stratus.S3.Metadata;

/// <summary>What S3 keeps about a bucket.</summary>
internal sealed class BucketRecord
{
    public required string Name { get; init; }

    /// <summary>The account that owns the bucket.</summary>
    public required string Owner { get; init; }

    public required string Region { get; init; }

    /// <summary>Creation time, Unix milliseconds.</summary>
    public long Created { get; init; }

    /// <summary>The versioning state: null for a bucket never versioned, then <c>Enabled</c> or <c>Suspended</c>.</summary>
    public string? Versioning { get; set; }
}
