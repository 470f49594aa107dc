using Stratus.Iam.Policies;

namespace Stratus.Iam.Authorization;

/// <summary>A principal's compiled policies and tags, as an <see cref="IPolicySource"/> returns them.</summary>
public sealed class PrincipalPolicies
{
    /// <summary>Identity-based policies: the user's, its groups', or the role's, managed and inline.</summary>
    public IReadOnlyList<PolicyDocument> Identity { get; init; } = [];

    public PolicyDocument? PermissionsBoundary { get; init; }

    /// <summary>The session policies of an assumed-role or federated session.</summary>
    public IReadOnlyList<PolicyDocument> Session { get; init; } = [];

    /// <summary>The principal's <c>aws:PrincipalArn</c> when the source knows it better than the caller's ARN (a role's path).</summary>
    public string? PrincipalArn { get; init; }

    /// <summary>The principal's tags (and session tags), for <c>aws:PrincipalTag/…</c>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Tags { get; init; } = [];
}
