namespace Stratus.Iam.Policies;

/// <summary>Whether a statement applied to a request, or the first element that did not match.</summary>
public enum StatementOutcome
{
    Matched,
    ActionNotMatched,
    ResourceNotMatched,
    PrincipalNotMatched,
    ConditionNotMatched,
}
