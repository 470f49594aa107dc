namespace Stratus.Iam.Policies;

/// <summary>A statement's Effect.</summary>
public enum PolicyEffect
{
    Allow,
    Deny,
}
