namespace Stratus.Iam.Policies;

/// <summary>Where a policy is attached, which decides whether it must, may or must not name a principal.</summary>
public enum PolicyKind
{
    /// <summary>Attached to a user, group or role; no Principal.</summary>
    Identity,

    /// <summary>Attached to a resource (bucket, queue) or a role's trust policy; Principal required.</summary>
    Resource,

    /// <summary>A permissions boundary; no Principal.</summary>
    PermissionsBoundary,

    /// <summary>A session policy passed to AssumeRole or GetFederationToken; no Principal.</summary>
    Session,
}
