namespace Stratus.Protocol.Auth;

/// <summary>Who made a request: the principal behind a verified signature, or the anonymous caller.</summary>
public sealed record CallerIdentity(string Account, string Arn, string UserId, PrincipalType Type)
{
    /// <summary>The caller of an unsigned request.</summary>
    public static CallerIdentity Anonymous { get; } = new("", "*", "anonymous", PrincipalType.Anonymous);

    /// <summary>True for a request that carried no credentials.</summary>
    public bool IsAnonymous => Type == PrincipalType.Anonymous;

    /// <summary>The temporary access key of the STS session the caller signs with, if any (its session policies and tags hang off it).</summary>
    public string? SessionId { get; init; }
}
