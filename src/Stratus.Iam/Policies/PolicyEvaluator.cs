using Stratus.Protocol.Auth;

namespace Stratus.Iam.Policies;

/// <summary>
/// AWS's policy evaluation logic: explicit deny anywhere wins; then, within an account, an allow in the
/// identity policies (narrowed by the permissions boundary and session policies) or in the resource policy;
/// across accounts, an allow on both sides. Allocates nothing unless an explanation is asked for.
/// </summary>
public static class PolicyEvaluator
{
    /// <summary>Evaluates the request of <paramref name="context"/> against <paramref name="policies"/>, every resource in turn.</summary>
    public static Decision Evaluate(AuthorizationContext context, PolicySet policies, PolicyExplanation? explanation = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(policies);
        var result = Decision.Allow;
        StatementExplanation? refusedBy = null;
        var refusal = "";
        var resources = context.Resources;
        for (var i = 0; i < resources.Count; i++)
        {
            var decision = EvaluateResource(context, policies, resources[i], explanation);
            if (decision == Decision.ExplicitDeny)
            {
                return decision;
            }

            if (decision == Decision.ImplicitDeny && result == Decision.Allow)
            {
                result = decision;
                refusedBy = explanation?.DecidingStatement;
                refusal = explanation?.Reason ?? "";
            }
        }

        if (result == Decision.ImplicitDeny && explanation is not null)
        {
            // Report the first resource that was refused, not the last one evaluated.
            explanation.Decision = result;
            explanation.DecidingStatement = refusedBy;
            explanation.Reason = refusal;
        }

        return result;
    }

    private static Decision EvaluateResource(AuthorizationContext context, PolicySet policies, string resource, PolicyExplanation? explanation)
    {
        var caller = context.Principal;
        Tally identity = default, boundary = default, session = default, resourceSide = default;
        var anonymous = caller.IsAnonymous;
        if (!anonymous)
        {
            var identityPolicies = policies.Identity;
            for (var i = 0; i < identityPolicies.Count; i++)
            {
                Scan(identityPolicies[i], context, resource, ref identity, explanation);
            }

            if (policies.PermissionsBoundary is { } boundaryPolicy)
            {
                Scan(boundaryPolicy, context, resource, ref boundary, explanation);
            }

            var sessionPolicies = policies.Session;
            for (var i = 0; i < sessionPolicies.Count; i++)
            {
                Scan(sessionPolicies[i], context, resource, ref session, explanation);
            }
        }

        if (policies.Resource is { } resourcePolicy)
        {
            Scan(resourcePolicy, context, resource, ref resourceSide, explanation);
        }

        var facts = new Facts(identity.Allow, policies.PermissionsBoundary is null || boundary.Allow, policies.Session.Count == 0 || session.Allow,
            policies.PermissionsBoundary is not null, policies.Session.Count != 0, resourceSide.Grant);
        if (identity.Deny || boundary.Deny || session.Deny || resourceSide.Deny)
        {
            return Decide(explanation, Decision.ExplicitDeny, identity.DenyBy ?? resourceSide.DenyBy ?? boundary.DenyBy ?? session.DenyBy, Why.ExplicitDeny, facts);
        }

        if (anonymous)
        {
            return resourceSide.Grant >= PrincipalMatch.Limited
                ? Decide(explanation, Decision.Allow, resourceSide.AllowBy, Why.AnonymousAllowed, facts)
                : Decide(explanation, Decision.ImplicitDeny, null, Why.AnonymousRefused, facts);
        }

        var isRoot = caller.Type == PrincipalType.Account;
        var identityAllows = isRoot || (facts.IdentityAllow && facts.BoundaryAllows && facts.SessionAllows);
        if (context.IsCrossAccount)
        {
            return identityAllows && resourceSide.Grant >= PrincipalMatch.Account
                ? Decide(explanation, Decision.Allow, resourceSide.AllowBy, Why.CrossAccountAllowed, facts)
                : Decide(explanation, Decision.ImplicitDeny, null, identityAllows ? Why.CrossAccountNoResourceAllow : Why.CrossAccountNoIdentityAllow, facts);
        }

        if (identityAllows)
        {
            return isRoot && !identity.Allow
                ? Decide(explanation, Decision.Allow, null, Why.Root, facts)
                : Decide(explanation, Decision.Allow, identity.AllowBy, Why.IdentityAllowed, facts);
        }

        // Same account: a resource policy naming the user or session ARN grants on its own; one naming a role, a service or
        // everyone grants within the boundary and session policies; one naming only the account defers to identity policies.
        if (resourceSide.Grant == PrincipalMatch.Direct || (resourceSide.Grant == PrincipalMatch.Limited && facts.BoundaryAllows && facts.SessionAllows))
        {
            return Decide(explanation, Decision.Allow, resourceSide.AllowBy, Why.ResourceAllowed, facts);
        }

        return Decide(explanation, Decision.ImplicitDeny, null, Why.NothingAllowed, facts);
    }

    // Reasons are composed only when an explanation was asked for, so the hot path builds no strings.
    private static Decision Decide(PolicyExplanation? explanation, Decision decision, StatementExplanation? by, Why why, Facts facts)
    {
        if (explanation is not null)
        {
            explanation.Decision = decision;
            explanation.DecidingStatement = by;
            explanation.Reason = Describe(why, facts);
        }

        return decision;
    }

    private static string Describe(Why why, Facts facts)
    {
        var identitySide =
            !facts.IdentityAllow ? "no identity-based policy allows the request" :
            !facts.BoundaryAllows ? "the permissions boundary does not allow the request" :
            !facts.SessionAllows ? "no session policy allows the request" : "the identity-based policies allow the request";
        return why switch
        {
            Why.ExplicitDeny => "an explicit Deny matched.",
            Why.AnonymousAllowed => "the resource policy allows everyone, anonymous callers included.",
            Why.AnonymousRefused => "anonymous callers are allowed only by a resource policy whose Principal is \"*\".",
            Why.CrossAccountAllowed => "both the caller's identity policies and the resource policy allow the cross-account request.",
            Why.CrossAccountNoIdentityAllow => identitySide + " (a cross-account request needs an allow on both sides).",
            Why.CrossAccountNoResourceAllow => "the resource policy does not allow the caller (a cross-account request needs an allow on both sides).",
            Why.Root => "the account root user is allowed in its own account.",
            Why.IdentityAllowed => "an identity-based policy allows the request" + (facts.HasBoundary ? ", within the permissions boundary" : "") +
                (facts.HasSession ? ", within the session policies." : "."),
            Why.ResourceAllowed => "the resource policy allows the caller.",
            _ => facts.ResourceGrant switch
            {
                PrincipalMatch.Limited => identitySide + "; the resource policy's Allow is limited by the boundary and session policies.",
                PrincipalMatch.Account => identitySide + "; the resource policy names only the account, which defers to identity-based policies.",
                _ => facts.IdentityAllow ? identitySide + "." : "no identity-based or resource-based policy allows the request.",
            },
        };
    }

    private static void Scan(PolicyDocument policy, AuthorizationContext context, string resource, ref Tally tally, PolicyExplanation? explanation)
    {
        var statements = policy.Statements;
        for (var i = 0; i < statements.Length; i++)
        {
            var statement = statements[i];
            var outcome = statement.Match(context, resource, out var principal, out var failed);
            StatementExplanation? entry = null;
            if (explanation is not null)
            {
                entry = new StatementExplanation(policy.Name, policy.Kind, statement.Sid, statement.Index, statement.Effect, resource, outcome,
                    failed is null ? null : $"condition {failed.Operator.Name} on {failed.Key} did not hold");
                explanation.Add(entry);
            }

            if (outcome != StatementOutcome.Matched)
            {
                continue;
            }

            if (statement.Effect == PolicyEffect.Deny)
            {
                tally.Deny = true;
                tally.DenyBy ??= entry;
            }
            else
            {
                tally.Allow = true;
                if (principal > tally.Grant || tally.AllowBy is null)
                {
                    tally.Grant = principal > tally.Grant ? principal : tally.Grant;
                    tally.AllowBy = entry;
                }
            }
        }
    }

    private enum Why : byte
    {
        ExplicitDeny,
        AnonymousAllowed,
        AnonymousRefused,
        CrossAccountAllowed,
        CrossAccountNoIdentityAllow,
        CrossAccountNoResourceAllow,
        Root,
        IdentityAllowed,
        ResourceAllowed,
        NothingAllowed,
    }

    private readonly record struct Facts(bool IdentityAllow, bool BoundaryAllows, bool SessionAllows, bool HasBoundary, bool HasSession, PrincipalMatch ResourceGrant);

    private struct Tally
    {
        public bool Allow;
        public bool Deny;
        public PrincipalMatch Grant;
        public StatementExplanation? AllowBy;
        public StatementExplanation? DenyBy;
    }
}
