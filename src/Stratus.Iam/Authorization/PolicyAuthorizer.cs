using System.Net;
using Stratus.Iam.Policies;
using Stratus.Protocol.Auth;
using Stratus.Protocol.Pipeline;
using Stratus.Protocol.Services;

namespace Stratus.Iam.Authorization;

/// <summary>
/// The pipeline's authorization step backed by the policy engine: builds the request context from the pipeline's
/// <see cref="RequestContext"/> and <see cref="AuthorizationRequest"/>, gathers the caller's policies and the resource's
/// policy, and evaluates them. Denials carry an AWS-style message naming the action, the resource and the reason.
/// </summary>
public sealed class PolicyAuthorizer : IAuthorizer
{
    private static readonly string[] AnyResource = ["*"];

    [ThreadStatic]
    private static Scratch? _scratch;

    private readonly IPolicySource _policies;
    private readonly Dictionary<string, IResourcePolicyProvider> _resourcePolicies;
    private readonly PolicyCache _cache;
    private readonly DecisionLog? _decisions;

    public PolicyAuthorizer(IPolicySource policies, IEnumerable<IResourcePolicyProvider> resourcePolicies, PolicyCache? cache = null, DecisionLog? decisions = null)
    {
        _decisions = decisions;
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(resourcePolicies);
        _policies = policies;
        _resourcePolicies = new Dictionary<string, IResourcePolicyProvider>(StringComparer.OrdinalIgnoreCase);
        foreach (var provider in resourcePolicies)
        {
            _resourcePolicies.Add(provider.ServicePrefix, provider);
        }

        _cache = cache ?? new PolicyCache();
    }

    public AuthorizationDecision Authorize(RequestContext context, AuthorizationRequest request)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var decision = Authorize(
            new RequestFacts(context.Caller, context.ReceivedAt, context.SourceIp, context.IsSecureTransport, context.Region, context.Credential?.SessionToken is not null),
            request,
            out var explanation);
        if (explanation is not null)
        {
            _decisions?.Record(context.RequestId, context.Caller.Arn, request.Action, request.Resources, explanation);
        }

        return decision;
    }

    /// <summary>Decides <paramref name="request"/> for the caller and connection described by <paramref name="facts"/>; on a denial, <paramref name="explanation"/> says why.</summary>
    internal AuthorizationDecision Authorize(RequestFacts facts, AuthorizationRequest request, out PolicyExplanation? explanation)
    {
        explanation = null;
        var caller = facts.Caller;
        var principal = caller.IsAnonymous ? null : _policies.GetPolicies(caller);

        // The context, its key source and the policy set are reused per thread: the request's keys are resolved only
        // when a policy reads them, so that a typical request allocates nothing here. Taken, not borrowed, so that a
        // nested call (a lazy tag read that authorizes) gets its own.
        var scratch = _scratch ?? new Scratch();
        _scratch = null;
        try
        {
            scratch.Keys.Reset(caller, facts.Now, facts.SourceIp, facts.SecureTransport, facts.Region, facts.SessionCredentials,
                principal?.Tags ?? [], request.ConditionKeys, principal?.PrincipalArn);
            var context = scratch.Context;
            context.Reset(caller, request.Action, request.Resources.Count == 0 ? AnyResource : request.Resources, request.ResourceAccount, scratch.Keys);
            var set = scratch.Policies;
            set.Assign(principal?.Identity ?? [], principal?.PermissionsBoundary, principal?.Session ?? [], ResourcePolicyFor(request));
            var lazyTags = request.LazyTags;
            for (var i = 0; i < lazyTags.Count; i++)
            {
                if (Reads(set, lazyTags[i].KeyPrefix))
                {
                    foreach (var (key, value) in lazyTags[i].Read())
                    {
                        context.SetKey(lazyTags[i].KeyPrefix + key, new ContextValue(value));
                    }
                }
            }

            var decision = PolicyEvaluator.Evaluate(context, set);
            if (decision == Decision.Allow)
            {
                return AuthorizationDecision.Allow;
            }

            // The service already judged this anonymous request public (an ACL, say); only a resource policy's Deny overrides it.
            if (decision == Decision.ImplicitDeny && caller.IsAnonymous && request.AnonymousAllowed)
            {
                return AuthorizationDecision.Allow;
            }

            // Denials are rare: evaluate again, this time keeping the trace, for the message and the caller of this method.
            explanation = new PolicyExplanation();
            PolicyEvaluator.Evaluate(context, set, explanation);
            return AuthorizationDecision.Deny(DenialMessage(caller, request, explanation));
        }
        finally
        {
            scratch.Policies.Assign([], null, [], null); // hold no policies or requests between requests
            _scratch = scratch;
        }
    }

    // Whether any policy of the set reads a key with this prefix, so that costly keys are read only when needed.
    private static bool Reads(PolicySet set, string prefix)
    {
        for (var i = 0; i < set.Identity.Count; i++)
        {
            if (set.Identity[i].ReadsKeyStartingWith(prefix))
            {
                return true;
            }
        }

        for (var i = 0; i < set.Session.Count; i++)
        {
            if (set.Session[i].ReadsKeyStartingWith(prefix))
            {
                return true;
            }
        }

        return (set.PermissionsBoundary?.ReadsKeyStartingWith(prefix) ?? false) || (set.Resource?.ReadsKeyStartingWith(prefix) ?? false);
    }

    private PolicyDocument? ResourcePolicyFor(AuthorizationRequest request)
    {
        var action = request.Action;
        var colon = action.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || request.Resources.Count == 0
            || !_resourcePolicies.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(action.AsSpan(0, colon), out var provider))
        {
            return null;
        }

        var json = provider.GetResourcePolicy(request.Resources[0], out var cacheKey);
        return json is null ? null : _cache.GetOrParse(json, PolicyKind.Resource, cacheKey ?? "resource-policy");
    }

    // AWS's shape: "User: ARN is not authorized to perform: ACTION on resource: ARN because …".
    private static string DenialMessage(CallerIdentity caller, AuthorizationRequest request, PolicyExplanation explanation)
    {
        var who = caller.IsAnonymous ? "anonymous" : caller.Arn;
        var resource = request.Resources.Count == 0 ? "*" : request.Resources[0];
        var because = explanation.Decision == Decision.ExplicitDeny && explanation.DecidingStatement is { } deny
            ? $"with an explicit deny in {KindName(deny.Kind)} ({deny.Label})"
            : $"because {explanation.Reason.TrimEnd('.')}";
        return $"User: {who} is not authorized to perform: {request.Action} on resource: {resource} {because}";
    }

    private static string KindName(PolicyKind kind) => kind switch
    {
        PolicyKind.Identity => "an identity-based policy",
        PolicyKind.Resource => "a resource-based policy",
        PolicyKind.PermissionsBoundary => "a permissions boundary",
        _ => "a session policy",
    };

    private sealed class Scratch
    {
        public RequestKeySource Keys { get; } = new();

        public AuthorizationContext Context { get; } = new();

        public PolicySet Policies { get; } = new();
    }

    /// <summary>What the authorizer needs from the pipeline's request context.</summary>
    internal readonly record struct RequestFacts(CallerIdentity Caller, DateTimeOffset Now, IPAddress? SourceIp, bool SecureTransport, string Region, bool SessionCredentials = false);
}
