using Stratus.Protocol.Auth;

namespace Stratus.Iam.Authorization;

/// <summary>Where the authorizer finds a principal's identity policies, boundary, session policies and tags (the IAM store, later).</summary>
public interface IPolicySource
{
    /// <summary>The policies that apply to <paramref name="principal"/>, or null when it has none at all.</summary>
    PrincipalPolicies? GetPolicies(CallerIdentity principal);
}
