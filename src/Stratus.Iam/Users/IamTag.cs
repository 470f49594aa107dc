namespace Stratus.Iam.Users;

/// <summary>A tag on an IAM user, role or managed policy.</summary>
internal sealed record IamTag(string Key, string Value);
