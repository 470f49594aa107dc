using System.Text.Json.Serialization;

namespace Stratus.Iam.Users;

/// <summary>An IAM user as stored.</summary>
internal sealed class UserRecord
{
    public required string Account { get; init; }

    public required string UserName { get; init; }

    public required string UserId { get; init; }

    public string Path { get; init; } = "/";

    /// <summary>Creation time, Unix milliseconds.</summary>
    public long Created { get; init; }

    public string Arn => $"arn:aws:iam::{Account}:user{Path}{UserName}";

    public List<IamTag> Tags { get; set; } = [];

    /// <summary>The ARN of the managed policy that bounds the user's permissions, if any.</summary>
    public string? PermissionsBoundary { get; set; }
}

/// <summary>An access key of an IAM user as stored.</summary>
internal sealed class AccessKeyRecord
{
    public required string AccessKeyId { get; init; }

    public required string SecretAccessKey { get; init; }

    public required string Account { get; init; }

    public required string UserName { get; init; }

    public string Status { get; set; } = "Active";

    public long Created { get; init; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(UserRecord))]
[JsonSerializable(typeof(AccessKeyRecord))]
internal sealed partial class IamJsonContext : JsonSerializerContext;
