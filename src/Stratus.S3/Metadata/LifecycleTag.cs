namespace Stratus.S3.Metadata;

/// <summary>A tag a lifecycle rule's filter requires.</summary>
internal sealed class LifecycleTag
{
    public required string Key { get; init; }

    public required string Value { get; init; }
}
