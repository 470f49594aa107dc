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
            Decide(explanation, result, refusedBy, refusal);
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

        if (identity.Deny || boundary.Deny || session.Deny || resourceSide.Deny)
        {
            return Decide(explanation, Decision.ExplicitDeny, identity.DenyBy ?? resourceSide.DenyBy ?? boundary.DenyBy ?? session.DenyBy,
                "an explicit Deny matched.");
        }

        if (anonymous)
        {
            return resourceSide.Grant >= PrincipalMatch.Limited
                ? Decide(explanation, Decision.Allow, resourceSide.AllowBy, "the resource policy allows everyone.")
                : Decide(explanation, Decision.ImplicitDeny, null, "anonymous callers are allowed only by a resource policy whose Principal is \"*\".");
        }

        var isRoot = caller.Type == PrincipalType.Account;
        var boundaryAllows = policies.PermissionsBoundary is null || boundary.Allow;
        var sessionAllows = policies.Session.Count == 0 || session.Allow;
        var identityAllows = isRoot || (identity.Allow && boundaryAllows && sessionAllows);

        if (context.IsCrossAccount)
        {
            if (identityAllows && resourceSide.Grant >= PrincipalMatch.Account)
            {
                return Decide(explanation, Decision.Allow, resourceSide.AllowBy, "both the caller's identity policies and the resource policy allow the cross-account request.");
            }

            return Decide(explanation, Decision.ImplicitDeny, null, !identityAllows
                ? IdentityRefusal(isRoot, identity.Allow, boundaryAllows, sessionAllows) + " (a cross-account request needs both sides)"
                : "the resource policy does not allow the caller's account (a cross-account request needs both sides).");
        }

        if (identityAllows)
        {
            return isRoot && !identity.Allow
                ? Decide(explanation, Decision.Allow, null, "the account root user is allowed in its own account.")
                : Decide(explanation, Decision.Allow, identity.AllowBy, "an identity-based policy allows the request" +
                    (policies.PermissionsBoundary is null ? "" : ", within the permissions boundary") + (policies.Session.Count == 0 ? "." : ", within the session policies."));
        }

        // Same account: a resource policy naming the user or session ARN grants on its own; one naming a role, a service or
        // everyone grants within the boundary and session policies; one naming only the account defers to identity policies.
        if (resourceSide.Grant == PrincipalMatch.Direct || (resourceSide.Grant == PrincipalMatch.Limited && boundaryAllows && sessionAllows))
        {
            return Decide(explanation, Decision.Allow, resourceSide.AllowBy, "the resource policy allows the caller.");
        }

        return Decide(explanation, Decision.ImplicitDeny, null, resourceSide.Grant switch
        {
            PrincipalMatch.Limited => IdentityRefusal(false, identity.Allow, boundaryAllows, sessionAllows) + "; the resource policy's Allow is limited by them",
            PrincipalMatch.Account => IdentityRefusal(false, identity.Allow, boundaryAllows, sessionAllows) + "; the resource policy names only the account, which defers to identity policies",
            _ => IdentityRefusal(false, identity.Allow, boundaryAllows, sessionAllows),
        });
    }

    private static string IdentityRefusal(bool isRoot, bool identityAllow, bool boundaryAllows, bool sessionAllows) =>
        isRoot ? "the account root user" :
        !identityAllow ? "no identity-based or resource-based policy allows the request" :
        !boundaryAllows ? "the permissions boundary does not allow the request" :
        !sessionAllows ? "no session policy allows the request" : "no policy allows the request";

    private static Decision Decide(PolicyExplanation? explanation, Decision decision, StatementExplanation? by, string reason)
    {
        if (explanation is not null)
        {
            explanation.Decision = decision;
            explanation.DecidingStatement = by;
            explanation.Reason = reason.EndsWith('.') ? reason : reason + ".";
        }

        return decision;
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

    private struct Tally
    {
        public bool Allow;
        public bool Deny;
        public PrincipalMatch Grant;
        public StatementExplanation? AllowBy;
        public StatementExplanation? DenyBy;
    }
}
