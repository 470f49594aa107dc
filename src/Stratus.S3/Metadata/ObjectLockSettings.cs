namespace Stratus.S3.Metadata;

/// <summary>A bucket's Object Lock configuration (its presence means Object Lock is enabled) and its default retention.</summary>
internal sealed class ObjectLockSettings
{
    /// <summary>The default retention's mode, or null when the configuration has no rule.</summary>
    public string? Mode { get; init; }

    public int? Days { get; init; }

    public int? Years { get; init; }
}
