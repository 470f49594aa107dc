namespace Stratus.S3.Metadata;

/// <summary>One rule of a bucket's lifecycle configuration, as PutBucketLifecycleConfiguration stored it.</summary>
internal sealed class LifecycleRule
{
    public required string Id { get; init; }

    /// <summary>Enabled or Disabled.</summary>
    public required string Status { get; init; }

    /// <summary>The rule's deprecated top-level Prefix, when it came with one instead of a Filter.</summary>
    public string? LegacyPrefix { get; init; }

    /// <summary>The Filter's shape: empty (every object), Prefix, Tag, ObjectSizeGreaterThan, ObjectSizeLessThan or And; null with a legacy prefix.</summary>
    public string? FilterKind { get; init; }

    public string? Prefix { get; init; }

    public List<LifecycleTag>? Tags { get; init; }

    public long? ObjectSizeGreaterThan { get; init; }

    public long? ObjectSizeLessThan { get; init; }

    public int? ExpirationDays { get; init; }

    /// <summary>Expiration date, Unix milliseconds (midnight UTC).</summary>
    public long? ExpirationDate { get; init; }

    public bool? ExpiredObjectDeleteMarker { get; init; }

    public List<LifecycleTransition>? Transitions { get; init; }

    public List<LifecycleTransition>? NoncurrentVersionTransitions { get; init; }

    public int? NoncurrentDays { get; init; }

    public int? NewerNoncurrentVersions { get; init; }

    public int? AbortIncompleteMultipartUploadDays { get; init; }

    /// <summary>The key prefix the rule applies to, from its filter or legacy prefix ("" for every key).</summary>
    public string KeyPrefix => LegacyPrefix ?? Prefix ?? "";
}
