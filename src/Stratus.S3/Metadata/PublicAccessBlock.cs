namespace Stratus.S3.Metadata;

/// <summary>A bucket's public access block: the four switches of PutPublicAccessBlock.</summary>
internal sealed class PublicAccessBlock
{
    public bool BlockPublicAcls { get; init; }

    public bool IgnorePublicAcls { get; init; }

    public bool BlockPublicPolicy { get; init; }

    public bool RestrictPublicBuckets { get; init; }
}
