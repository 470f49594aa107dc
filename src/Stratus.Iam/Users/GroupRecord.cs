namespace Stratus.Iam.Users;

/// <summary>An IAM group as stored (members are separate keys).</summary>
internal sealed class GroupRecord
{
    public required string Account { get; init; }

    public required string GroupName { get; init; }

    public required string GroupId { get; init; }

    public string Path { get; init; } = "/";

    /// <summary>Creation time, Unix milliseconds.</summary>
    public long Created { get; init; }

    public string Arn => $"arn:aws:iam::{Account}:group{Path}{GroupName}";
}
