using System.Diagnostics.CodeAnalysis;
using Stratus.Protocol.Auth;

namespace Stratus.Iam.Policies;

/// <summary>
/// Everything the evaluator needs about one request: who, what action, on which resources, and the request
/// context keys (case-insensitive). Built once per request by <see cref="AuthorizationContextBuilder"/>.
/// </summary>
public sealed class AuthorizationContext
{
    private readonly Dictionary<string, ContextValue> _keys;

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

    /// <summary>The caller.</summary>
    public CallerIdentity Principal { get; }

    /// <summary>The IAM action, for example <c>s3:GetObject</c>.</summary>
    public string Action { get; }

    /// <summary>The resource ARNs the action touches (<c>*</c> for none in particular).</summary>
    public IReadOnlyList<string> Resources { get; }

    /// <summary>The account that owns the resources; null means the caller's own account.</summary>
    public string? ResourceAccount { get; }

    /// <summary>The service principal (<c>lambda.amazonaws.com</c>) when a service acts on its own behalf.</summary>
    public string? ServicePrincipal { get; }

    /// <summary>The identity provider of a web-identity or SAML federated caller.</summary>
    public string? FederatedProvider { get; }

    /// <summary>The S3 canonical user id of the caller, for <c>CanonicalUser</c> principals.</summary>
    public string? CanonicalUserId { get; }

    /// <summary>All request context keys.</summary>
    public IReadOnlyDictionary<string, ContextValue> Keys => _keys;

    /// <summary>True when the resource belongs to another account than the caller's.</summary>
    public bool IsCrossAccount => !Principal.IsAnonymous && ResourceAccount is not null && !string.Equals(ResourceAccount, Principal.Account, StringComparison.Ordinal);

    /// <summary>Looks a context key up, case-insensitively.</summary>
    public bool TryGetKey(string key, [NotNullWhen(true)] out ContextValue? value) => _keys.TryGetValue(key, out value);

    // A policy variable resolves only from a single-valued key.
    internal string? ResolveVariable(string key) =>
        _keys.TryGetValue(key, out var value) && value.Count == 1 ? value[0] : null;
}
