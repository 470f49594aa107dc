namespace Stratus.Protocol.Services;

/// <summary>The authorization step's answer; a denial carries a message for the <c>AccessDenied</c> error.</summary>
public readonly record struct AuthorizationDecision(bool Allowed, string? Reason)
{
    public static AuthorizationDecision Allow { get; } = new(true, null);

    public static AuthorizationDecision Deny(string reason) => new(false, reason);
}
