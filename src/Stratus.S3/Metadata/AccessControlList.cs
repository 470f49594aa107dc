namespace Stratus.S3.Metadata;

/// <summary>An ACL of a bucket or an object: its owner and grants.</summary>
internal sealed class AccessControlList
{
    /// <summary>The owner's canonical id (the account id in Stratus).</summary>
    public required string Owner { get; init; }

    public required List<AclGrant> Grants { get; init; }
}
