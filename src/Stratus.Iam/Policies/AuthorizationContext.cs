using System.Diagnostics.CodeAnalysis;
using Stratus.Protocol.Auth;

namespace Stratus.Iam.Policies;

/// <summary>
/// Everything the evaluator needs about one request: who, what action, on which resources, and the request
/// context keys (case-insensitive). Built once per request by <see cref="AuthorizationContextBuilder"/>.
/// </summary>
public sealed class AuthorizationContext
{
    private static readonly ContextValue Absent = new();
    private readonly Dictionary<string, ContextValue> _keys;
    private RequestKeySource? _lazy;

    internal AuthorizationContext(
        CallerIdentity principal,
        string action,
        IReadOnlyList<string> resources,
        string? resourceAccount,
        Dictionary<string, ContextValue> keys,
        string? servicePrincipal,
        string? federatedProvider,
        string? canonicalUserId)
    {
        Principal = principal;
        Action = action;
        Resources = resources;
        ResourceAccount = resourceAccount;
        _keys = keys;
        ServicePrincipal = servicePrincipal;
        FederatedProvider = federatedProvider;
        CanonicalUserId = canonicalUserId;
    }

    // A reusable context whose keys are resolved on first use from a RequestKeySource (the authorizer's hot path).
    internal AuthorizationContext()
    {
        _keys = new Dictionary<string, ContextValue>(32, StringComparer.OrdinalIgnoreCase);
        Principal = CallerIdentity.Anonymous;
        Action = "";
        Resources = [];
    }

    /// <summary>Points a reusable context at the next request; the keys it resolved for the last one are forgotten.</summary>
    internal void Reset(CallerIdentity principal, string action, IReadOnlyList<string> resources, string? resourceAccount, RequestKeySource lazy)
    {
        Principal = principal;
        Action = action;
        Resources = resources;
        ResourceAccount = resourceAccount;
        _lazy = lazy;
        _keys.Clear();
    }

    internal void SetKey(string key, ContextValue value) => _keys[key] = value;

    /// <summary>The caller.</summary>
    public CallerIdentity Principal { get; private set; }

    /// <summary>The IAM action, for example <c>s3:GetObject</c>.</summary>
    public string Action { get; private set; }

    /// <summary>The resource ARNs the action touches (<c>*</c> for none in particular).</summary>
    public IReadOnlyList<string> Resources { get; private set; }

    /// <summary>The account that owns the resources; null means the caller's own account.</summary>
    public string? ResourceAccount { get; private set; }

    /// <summary>The service principal (<c>lambda.amazonaws.com</c>) when a service acts on its own behalf.</summary>
    public string? ServicePrincipal { get; }

    /// <summary>The identity provider of a web-identity or SAML federated caller.</summary>
    public string? FederatedProvider { get; }

    /// <summary>The S3 canonical user id of the caller, for <c>CanonicalUser</c> principals.</summary>
    public string? CanonicalUserId { get; }

    /// <summary>The request context keys set on the builder (a context the authorizer reuses resolves its keys on demand instead).</summary>
    public IReadOnlyDictionary<string, ContextValue> Keys => _keys;

    /// <summary>True when the resource belongs to another account than the caller's.</summary>
    public bool IsCrossAccount => !Principal.IsAnonymous && ResourceAccount is not null && !string.Equals(ResourceAccount, Principal.Account, StringComparison.Ordinal);

    /// <summary>Looks a context key up, case-insensitively.</summary>
    public bool TryGetKey(string key, [NotNullWhen(true)] out ContextValue? value)
    {
        if (_keys.TryGetValue(key, out value))
        {
            if (!ReferenceEquals(value, Absent))
            {
                return true;
            }

            value = null;
            return false;
        }

        if (_lazy is null)
        {
            return false;
        }

        // Resolved once per request, present or not: a policy asks for the same keys statement after statement.
        if (_lazy.TryResolve(key, out value))
        {
            _keys[key] = value;
            return true;
        }

        _keys[key] = Absent;
        return false;
    }

    // A policy variable resolves only from a single-valued key.
    internal string? ResolveVariable(string key) =>
        TryGetKey(key, out var value) && value.Count == 1 ? value[0] : null;
}
