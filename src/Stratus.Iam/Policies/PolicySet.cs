namespace Stratus.Iam.Policies;

/// <summary>The policies that apply to one request, by where they come from.</summary>
public sealed class PolicySet
{
    private IReadOnlyList<PolicyDocument> _identity = [];
    private PolicyDocument? _resource;
    private PolicyDocument? _permissionsBoundary;
    private IReadOnlyList<PolicyDocument> _session = [];

    public static PolicySet Empty { get; } = new();

    /// <summary>The caller's identity-based policies (user, group and role policies, managed and inline).</summary>
    public IReadOnlyList<PolicyDocument> Identity { get => _identity; init => _identity = value; }

    /// <summary>The resource's policy (bucket policy, queue policy, trust policy), if it has one.</summary>
    public PolicyDocument? Resource { get => _resource; init => _resource = value; }

    /// <summary>The caller's permissions boundary, if set.</summary>
    public PolicyDocument? PermissionsBoundary { get => _permissionsBoundary; init => _permissionsBoundary = value; }

    /// <summary>The session policies passed when the session was created; empty when none were.</summary>
    public IReadOnlyList<PolicyDocument> Session { get => _session; init => _session = value; }

    // The authorizer reuses one set per thread instead of allocating one per request.
    internal void Assign(IReadOnlyList<PolicyDocument> identity, PolicyDocument? permissionsBoundary, IReadOnlyList<PolicyDocument> session, PolicyDocument? resource)
    {
        _identity = identity;
        _permissionsBoundary = permissionsBoundary;
        _session = session;
        _resource = resource;
    }
}
