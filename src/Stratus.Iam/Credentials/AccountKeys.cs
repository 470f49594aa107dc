namespace Stratus.Iam.Credentials;

/// <summary>An account and the access key of its root user.</summary>
/// <param name="AccountId">Twelve digits.</param>
/// <param name="AccessKeyId">The root user's access key id.</param>
/// <param name="SecretAccessKey">The root user's secret.</param>
/// <param name="Name">A display name.</param>
public sealed record AccountKeys(string AccountId, string AccessKeyId, string SecretAccessKey, string? Name = null);
