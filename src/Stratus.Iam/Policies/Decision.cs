namespace Stratus.Iam.Policies;

/// <summary>The evaluator's answer.</summary>
public enum Decision
{
    /// <summary>No statement allowed the request (the default).</summary>
    ImplicitDeny,

    /// <summary>A statement allowed the request and nothing denied it.</summary>
    Allow,

    /// <summary>A Deny statement matched; nothing can override it.</summary>
    ExplicitDeny,
}
