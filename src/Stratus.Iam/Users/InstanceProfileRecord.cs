namespace Stratus.Iam.Users;

/// <summary>An instance profile: a container for (at most) one role that EC2 instances will carry.</summary>
internal sealed class InstanceProfileRecord
{
    public required string Account { get; init; }

    public required string InstanceProfileName { get; init; }

    public required string InstanceProfileId { get; init; }

    public string Path { get; init; } = "/";

    public long Created { get; init; }

    /// <summary>The names of the roles in the profile (zero or one).</summary>
    public List<string> Roles { get; set; } = [];

    public List<IamTag> Tags { get; set; } = [];

    public string Arn => $"arn:aws:iam::{Account}:instance-profile{Path}{InstanceProfileName}";
}
