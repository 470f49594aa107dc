namespace Stratus.S3.Metadata;

/// <summary>A storage-class transition of a lifecycle rule (current or noncurrent versions): accepted and stored, not applied.</summary>
internal sealed class LifecycleTransition
{
    public int? Days { get; init; }

    /// <summary>Transition date, Unix milliseconds (current versions only).</summary>
    public long? Date { get; init; }

    public required string StorageClass { get; init; }

    public int? NewerNoncurrentVersions { get; init; }
}
