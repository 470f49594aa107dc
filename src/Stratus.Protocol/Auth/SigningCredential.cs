namespace Stratus.Protocol.Auth;

/// <summary>An access key as the verifier needs it: the secret, the session token if temporary, and whose it is.</summary>
public sealed record SigningCredential(
    string AccessKeyId,
    string SecretAccessKey,
    CallerIdentity Identity,
    string? SessionToken = null,
    DateTimeOffset? Expiration = null);
