namespace Stratus.Iam.Policies;

/// <summary>The policies that apply to one request, by where they come from.</summary>
public sealed class PolicySet
{
    public static PolicySet Empty { get; } = new();

    /// <summary>The caller's identity-based policies (user, group and role policies, managed and inline).</summary>
    public IReadOnlyList<PolicyDocument> Identity { get; init; } = [];

    /// <summary>The resource's policy (bucket policy, queue policy, trust policy), if it has one.</summary>
    public PolicyDocument? Resource { get; init; }

    /// <summary>The caller's permissions boundary, if set.</summary>
    public PolicyDocument? PermissionsBoundary { get; init; }

    /// <summary>The session policies passed when the session was created; empty when none were.</summary>
    public IReadOnlyList<PolicyDocument> Session { get; init; } = [];
}
