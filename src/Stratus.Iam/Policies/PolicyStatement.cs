namespace Stratus.Iam.Policies;

/// <summary>One compiled statement of a policy.</summary>
internal sealed class PolicyStatement
{
    private readonly WildcardPattern[] _actions;
    private readonly ArnPattern[]? _resources;
    private readonly PrincipalEntry[]? _principals;
    private readonly ConditionClause[] _conditions;

    public PolicyStatement(int index, string? sid, PolicyEffect effect, WildcardPattern[] actions, bool notAction,
        ArnPattern[]? resources, bool notResource, PrincipalEntry[]? principals, bool notPrincipal, ConditionClause[] conditions)
    {
        Index = index;
        Sid = sid;
        Effect = effect;
        _actions = actions;
        NotAction = notAction;
        _resources = resources;
        NotResource = notResource;
        _principals = principals;
        NotPrincipal = notPrincipal;
        _conditions = conditions;
    }

    /// <summary>The statement's position in the policy, from 0.</summary>
    public int Index { get; }

    public string? Sid { get; }

    public PolicyEffect Effect { get; }

    public bool NotAction { get; }

    public bool NotResource { get; }

    public bool NotPrincipal { get; }

    public IReadOnlyList<WildcardPattern> Actions => _actions;

    public IReadOnlyList<ArnPattern>? Resources => _resources;

    public IReadOnlyList<PrincipalEntry>? Principals => _principals;

    public IReadOnlyList<ConditionClause> Conditions => _conditions;

    /// <summary>
    /// Whether the statement applies to <paramref name="resource"/> in <paramref name="context"/>; on a miss,
    /// <paramref name="failedCondition"/> names the clause that failed. <paramref name="principal"/> says how a
    /// Principal element named the caller (<see cref="PrincipalMatch.Direct"/> when the statement has none).
    /// </summary>
    public StatementOutcome Match(AuthorizationContext context, string resource, out PrincipalMatch principal, out ConditionClause? failedCondition)
    {
        principal = PrincipalMatch.None;
        failedCondition = null;
        if (!MatchesAction(context.Action))
        {
            return StatementOutcome.ActionNotMatched;
        }

        if (!MatchesResource(resource, context))
        {
            return StatementOutcome.ResourceNotMatched;
        }

        principal = MatchPrincipal(context);
        if (principal == PrincipalMatch.None)
        {
            return StatementOutcome.PrincipalNotMatched;
        }

        foreach (var condition in _conditions)
        {
            if (!condition.Evaluate(context))
            {
                failedCondition = condition;
                principal = PrincipalMatch.None;
                return StatementOutcome.ConditionNotMatched;
            }
        }

        return StatementOutcome.Matched;
    }

    private bool MatchesAction(string action)
    {
        var any = false;
        foreach (var pattern in _actions)
        {
            if (pattern.IsMatch(action, null))
            {
                any = true;
                break;
            }
        }

        return any != NotAction;
    }

    private bool MatchesResource(string resource, AuthorizationContext context)
    {
        if (_resources is null)
        {
            return true;
        }

        var any = false;
        foreach (var pattern in _resources)
        {
            // A variable with no value makes the pattern fail to match; under NotResource the whole element then fails
            // (rather than matching everything but nothing). IsMatch already fails on a missing variable for Resource.
            if (NotResource && pattern.HasVariables && !pattern.VariablesResolve(context))
            {
                return false;
            }

            if (!any && pattern.IsMatch(resource, context))
            {
                any = true;
            }
        }

        return any != NotResource;
    }

    private PrincipalMatch MatchPrincipal(AuthorizationContext context)
    {
        if (_principals is null)
        {
            return PrincipalMatch.Direct;
        }

        var best = PrincipalMatch.None;
        foreach (var entry in _principals)
        {
            var match = entry.Match(context);
            if (match > best)
            {
                best = match;
            }
        }

        if (NotPrincipal)
        {
            return best == PrincipalMatch.None ? PrincipalMatch.Limited : PrincipalMatch.None;
        }

        return best;
    }
}
