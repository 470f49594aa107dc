namespace Stratus.Iam.Users;

/// <summary>A managed policy with its versions (at most five), customer-managed or one of AWS's.</summary>
internal sealed class ManagedPolicyRecord
{
    /// <summary>The owning account, or <c>aws</c> for an AWS managed policy.</summary>
    public required string Account { get; init; }

    public required string PolicyName { get; init; }

    public required string PolicyId { get; init; }

    public string Path { get; init; } = "/";

    public string? Description { get; init; }

    /// <summary>Creation time, Unix milliseconds.</summary>
    public long Created { get; init; }

    /// <summary>When the default version last changed, Unix milliseconds.</summary>
    public long Updated { get; set; }

    public required string DefaultVersionId { get; set; }

    /// <summary>The number of the next version to create (AWS never reuses a version id).</summary>
    public int NextVersion { get; set; } = 2;

    public List<PolicyVersionRecord> Versions { get; set; } = [];

    public List<IamTag> Tags { get; set; } = [];

    public bool IsAwsManaged => Account == "aws";

    public string Arn => $"arn:aws:iam::{Account}:policy{Path}{PolicyName}";

    public PolicyVersionRecord DefaultVersion => Versions.Find(v => v.VersionId == DefaultVersionId)!;
}

/// <summary>One version of a managed policy's document.</summary>
internal sealed class PolicyVersionRecord
{
    public required string VersionId { get; init; }

    public required string Document { get; init; }

    public long Created { get; init; }
}
