using Stratus.Protocol.Auth;

namespace Stratus.Iam.Policies;

/// <summary>
/// The IAM policy simulator (SimulatePrincipalPolicy, SimulateCustomPolicy) on the real evaluator: every action is
/// evaluated on every resource with the given identity policies, permissions boundary, resource policy and context
/// entries, and the explanation says which statements decided and which context keys were missing.
/// </summary>
public static class PolicySimulator
{
    /// <summary>Evaluates every action on every resource (on <c>*</c> when <paramref name="resources"/> is empty), in that order.</summary>
    /// <exception cref="MalformedPolicyDocumentException">A policy is not valid.</exception>
    public static List<SimulationResult> Simulate(
        CallerIdentity caller,
        IReadOnlyList<SimulationPolicy> identity,
        SimulationPolicy? boundary,
        SimulationPolicy? resourcePolicy,
        IReadOnlyList<string> actions,
        IReadOnlyList<string> resources,
        string? resourceOwner,
        IReadOnlyList<KeyValuePair<string, string[]>> context,
        bool anonymousCaller = false)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(actions);
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(context);

        // Each policy is compiled under its position, so that explanations lead back to it whatever its name.
        var sources = new List<SimulationPolicy>();
        var documents = new List<PolicyDocument>();
        PolicyDocument Compile(SimulationPolicy policy, PolicyKind kind)
        {
            var document = PolicyDocument.Parse(policy.Text, kind, sources.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            sources.Add(policy);
            documents.Add(document);
            return document;
        }

        var identityDocuments = new List<PolicyDocument>();
        foreach (var policy in identity)
        {
            identityDocuments.Add(Compile(policy, PolicyKind.Identity));
        }

        var set = new PolicySet
        {
            Identity = identityDocuments,
            PermissionsBoundary = boundary is null ? null : Compile(boundary, PolicyKind.PermissionsBoundary),
            Resource = resourcePolicy is null ? null : Compile(resourcePolicy, PolicyKind.Resource),
        };
        var positions = new Dictionary<int, List<(TextPosition Start, TextPosition End)>>();
        var results = new List<SimulationResult>();
        IReadOnlyList<string> targets = resources.Count == 0 ? ["*"] : resources;
        foreach (var action in actions)
        {
            foreach (var resource in targets)
            {
                var owner = OwnerOf(resource) ?? resourceOwner ?? caller.Account;
                var builder = new AuthorizationContextBuilder(caller, action).Resource(resource).ResourceAccount(owner);
                if (anonymousCaller)
                {
                    // No caller was named: the principal keys are unknown, as AWS's simulator leaves them.
                    builder.Unset("aws:username").Unset("aws:userid").Unset("aws:PrincipalArn").Unset("aws:PrincipalType");
                }

                foreach (var (key, values) in context)
                {
                    builder.Set(key, values);
                }

                var built = builder.Build();
                var explanation = new PolicyExplanation();
                var decision = PolicyEvaluator.Evaluate(built, set, explanation);
                results.Add(Describe(built, decision, explanation, resource, resources.Count != 0, owner != caller.Account, set, sources, documents, positions));
            }
        }

        return results;
    }

    /// <summary>The context keys the policies read, each once, in order of first use.</summary>
    public static List<string> ContextKeys(IEnumerable<PolicyDocument> policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var keys = new List<string>();
        foreach (var policy in policies)
        {
            foreach (var key in policy.ContextKeys)
            {
                if (seen.Add(key))
                {
                    keys.Add(key);
                }
            }
        }

        return keys;
    }

    private static SimulationResult Describe(
        AuthorizationContext context,
        Decision decision,
        PolicyExplanation explanation,
        string resource,
        bool namedResource,
        bool crossAccount,
        PolicySet set,
        List<SimulationPolicy> sources,
        List<PolicyDocument> documents,
        Dictionary<int, List<(TextPosition Start, TextPosition End)>> positions)
    {
        var matched = new List<SimulatedStatement>();
        var missing = new List<string>();
        bool boundaryAllow = false, boundaryDeny = false, identityAllow = false, identityDeny = false, resourceAllow = false, resourceDeny = false;
        foreach (var statement in explanation.Statements)
        {
            var index = int.Parse(statement.Policy, System.Globalization.CultureInfo.InvariantCulture);
            // On "*" any statement for the action might apply, so its keys count as needed.
            var applies = statement.Outcome is StatementOutcome.Matched or StatementOutcome.ConditionNotMatched
                || (resource == "*" && statement.Outcome == StatementOutcome.ResourceNotMatched);
            if (applies)
            {
                foreach (var condition in documents[index].Statements[statement.Index].Conditions)
                {
                    if (!context.TryGetKey(condition.Key, out _) && !missing.Contains(condition.Key, StringComparer.OrdinalIgnoreCase))
                    {
                        missing.Add(condition.Key);
                    }
                }
            }

            if (statement.Outcome != StatementOutcome.Matched)
            {
                continue;
            }

            var deny = statement.Effect == PolicyEffect.Deny;
            switch (statement.Kind)
            {
                case PolicyKind.PermissionsBoundary:
                    boundaryAllow |= !deny;
                    boundaryDeny |= deny;
                    break;
                case PolicyKind.Resource:
                    resourceAllow |= !deny;
                    resourceDeny |= deny;
                    break;
                default:
                    identityAllow |= !deny;
                    identityDeny |= deny;
                    break;
            }

            if ((decision == Decision.ExplicitDeny && deny) || (decision == Decision.Allow && !deny))
            {
                if (!positions.TryGetValue(index, out var spans))
                {
                    spans = StatementPositions.Of(sources[index].Text);
                    positions[index] = spans;
                }

                var (start, end) = statement.Index < spans.Count ? spans[statement.Index] : default;
                matched.Add(new SimulatedStatement(sources[index].Id, sources[index].SourceType, start, end));
            }
        }

        Dictionary<string, string>? details = null;
        if (crossAccount)
        {
            details = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["IAM Policy"] = identityDeny ? "explicitDeny" : identityAllow ? "allowed" : "implicitDeny",
                ["Resource Policy"] = resourceDeny ? "explicitDeny" : resourceAllow ? "allowed" : "implicitDeny",
            };
        }
        else if (namedResource)
        {
            details = [];
        }

        return new SimulationResult(
            context.Action,
            resource,
            Name(decision),
            matched,
            missing,
            set.PermissionsBoundary is null ? null : boundaryAllow && !boundaryDeny,
            details);
    }

    private static string Name(Decision decision) => decision switch
    {
        Decision.Allow => "allowed",
        Decision.ExplicitDeny => "explicitDeny",
        _ => "implicitDeny",
    };

    // The account in a resource ARN, when it names one (S3 ARNs do not).
    private static string? OwnerOf(string resource) =>
        Core.Arn.TryParse(resource, out var arn) && arn.Value.Account.Length > 0 ? arn.Value.Account : null;
}
