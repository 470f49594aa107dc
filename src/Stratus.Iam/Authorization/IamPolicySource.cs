using Stratus.Iam.Policies;
using Stratus.Iam.Users;
using Stratus.Protocol.Auth;

namespace Stratus.Iam.Authorization;

/// <summary>
/// The policies of IAM principals, from the IAM store: a user's inline policies today (managed policies, groups,
/// boundaries and roles' session policies as the IAM API grows). Account roots have none and need none in their account.
/// </summary>
public sealed class IamPolicySource : IPolicySource
{
    private readonly IamStore _store;
    private readonly PolicyCache _cache;

    public IamPolicySource(IamStore store, PolicyCache cache)
    {
        _store = store;
        _cache = cache;
    }

    public PrincipalPolicies? GetPolicies(CallerIdentity principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (principal.Type != PrincipalType.User)
        {
            return null;
        }

        var userName = principal.Arn[(principal.Arn.LastIndexOf('/') + 1)..];
        var identity = new List<PolicyDocument>();
        foreach (var (name, document) in _store.UserPolicies(principal.Account, userName))
        {
            identity.Add(_cache.GetOrParse(document, PolicyKind.Identity, $"user/{userName}#{name}"));
        }

        return new PrincipalPolicies { Identity = identity };
    }
}
