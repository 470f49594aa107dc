namespace Stratus.Iam.Policies;

/// <summary>What one statement did for one resource of a request.</summary>
/// <param name="Policy">The policy's name.</param>
/// <param name="Kind">Where the policy came from.</param>
/// <param name="Sid">The statement's Sid, if it has one.</param>
/// <param name="Index">The statement's position in the policy, from 0.</param>
/// <param name="Effect">Allow or Deny.</param>
/// <param name="Resource">The resource it was evaluated for.</param>
/// <param name="Outcome">Whether it matched, or the first element that did not.</param>
/// <param name="Detail">Why it did not match (the failed condition operator and key), when that says more than the outcome.</param>
public sealed record StatementExplanation(string Policy, PolicyKind Kind, string? Sid, int Index, PolicyEffect Effect, string Resource, StatementOutcome Outcome, string? Detail)
{
    /// <summary>The statement as people name it: its Sid, else its index.</summary>
    public string Label => Sid is { Length: > 0 } ? $"{Policy}#{Sid}" : $"{Policy}#[{Index}]";

    public override string ToString() =>
        $"{Label} ({Kind}, {Effect}) on {Resource}: {Outcome}{(Detail is null ? "" : " — " + Detail)}";
}
