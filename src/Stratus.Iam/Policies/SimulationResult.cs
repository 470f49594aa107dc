namespace Stratus.Iam.Policies;

/// <summary>The simulated decision for one action on one resource (<c>*</c> when none was given).</summary>
/// <param name="Action">The action.</param>
/// <param name="Resource">The resource ARN, or <c>*</c>.</param>
/// <param name="Decision"><c>allowed</c>, <c>explicitDeny</c> or <c>implicitDeny</c>.</param>
/// <param name="MatchedStatements">The statements that decided: the matching Deny statements of an explicit deny, else the matching Allow statements.</param>
/// <param name="MissingContextValues">Condition keys of the statements that apply to the action and resource but that the context did not supply.</param>
/// <param name="AllowedByPermissionsBoundary">Whether the permissions boundary allows the request; null without a boundary.</param>
/// <param name="DecisionDetails">Per policy type ("IAM Policy", "Resource Policy") for a cross-account request; empty for a same-account one on a named resource; null on <c>*</c>.</param>
public sealed record SimulationResult(
    string Action,
    string Resource,
    string Decision,
    IReadOnlyList<SimulatedStatement> MatchedStatements,
    IReadOnlyList<string> MissingContextValues,
    bool? AllowedByPermissionsBoundary,
    IReadOnlyDictionary<string, string>? DecisionDetails);
