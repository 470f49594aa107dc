namespace Stratus.S3.Metadata;

/// <summary>One grant of an ACL: a canonical user (<see cref="Id"/>) or a group (<see cref="Uri"/>) and a permission.</summary>
internal sealed class AclGrant
{
    public string? Id { get; init; }

    public string? Uri { get; init; }

    /// <summary>FULL_CONTROL, READ, WRITE, READ_ACP or WRITE_ACP.</summary>
    public required string Permission { get; init; }
}
