namespace Stratus.Iam.Users;

/// <summary>An IAM role as stored: its trust policy, limits, boundary and tags.</summary>
internal sealed class RoleRecord
{
    public required string Account { get; init; }

    public required string RoleName { get; init; }

    public required string RoleId { get; init; }

    public string Path { get; init; } = "/";

    /// <summary>Creation time, Unix milliseconds.</summary>
    public long Created { get; init; }

    /// <summary>The trust policy, as the caller wrote it.</summary>
    public required string AssumeRolePolicyDocument { get; set; }

    public string? Description { get; set; }

    /// <summary>The longest session AssumeRole may grant, in seconds (3600–43200).</summary>
    public int MaxSessionDuration { get; set; } = 3600;

    public string? PermissionsBoundary { get; set; }

    public List<IamTag> Tags { get; set; } = [];

    /// <summary>When the role was last assumed (Unix milliseconds), and in which region.</summary>
    public long? LastUsed { get; set; }

    public string? LastUsedRegion { get; set; }

    public string Arn => $"arn:aws:iam::{Account}:role{Path}{RoleName}";
}
