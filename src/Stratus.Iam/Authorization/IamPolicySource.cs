using System.Collections.Concurrent;
using Stratus.Iam.Policies;
using Stratus.Iam.Sts;
using Stratus.Iam.Users;
using Stratus.Protocol.Auth;

namespace Stratus.Iam.Authorization;

/// <summary>
/// The policies of IAM principals, from the IAM store. A user: its inline and attached managed policies and those of its
/// groups, its permissions boundary and tags. A role (by its ARN) or an assumed-role session: the role's inline and
/// attached policies, boundary and tags; a session adds its session policies (inline and managed) and its session tags,
/// which override the role's. Groups (by ARN) give their own policies. Account roots have none and need none.
/// Results are cached until the IAM store changes.
/// </summary>
public sealed class IamPolicySource : IPolicySource
{
    private const int MaxCached = 4096;
    private readonly IamStore _store;
    private readonly PolicyCache _cache;
    private readonly SessionStore? _sessions;
    private readonly ConcurrentDictionary<(string Arn, string? Session), (long Generation, PrincipalPolicies? Policies)> _resolved = new();

    public IamPolicySource(IamStore store, PolicyCache cache, SessionStore? sessions = null)
    {
        _store = store;
        _cache = cache;
        _sessions = sessions;
    }

    public PrincipalPolicies? GetPolicies(CallerIdentity principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (principal.IsAnonymous || principal.Type == PrincipalType.Account)
        {
            return null;
        }

        var generation = _store.Generation;
        var key = (principal.Arn, principal.SessionId);
        if (_resolved.TryGetValue(key, out var cached) && cached.Generation == generation)
        {
            return cached.Policies;
        }

        var policies = Resolve(principal);
        if (_resolved.Count >= MaxCached)
        {
            _resolved.Clear();
        }

        _resolved[key] = (generation, policies);
        return policies;
    }

    private PrincipalPolicies? Resolve(CallerIdentity principal)
    {
        if (!Core.Arn.TryParse(principal.Arn, out var parsed))
        {
            return null;
        }

        var account = parsed.Value.Account;
        var resource = parsed.Value.Resource;
        var name = resource[(resource.LastIndexOf('/') + 1)..];
        if (parsed.Value.Service == "sts" && resource.StartsWith("assumed-role/", StringComparison.Ordinal))
        {
            var roleName = resource["assumed-role/".Length..resource.LastIndexOf('/')];
            var session = principal.SessionId is { } id ? _sessions?.FindRoleSession(id) : null;
            return ForRole(account, roleName, session);
        }

        if (parsed.Value.Service != "iam")
        {
            return null;
        }

        if (resource.StartsWith("user/", StringComparison.Ordinal))
        {
            return ForUser(account, name);
        }

        if (resource.StartsWith("role/", StringComparison.Ordinal))
        {
            return ForRole(account, name, null);
        }

        if (resource.StartsWith("group/", StringComparison.Ordinal))
        {
            var identity = new List<PolicyDocument>();
            AddPolicies(identity, PrincipalKind.Group, account, name);
            return new PrincipalPolicies { Identity = identity };
        }

        return null;
    }

    private PrincipalPolicies? ForUser(string account, string userName)
    {
        if (_store.FindUser(account, userName) is not { } user)
        {
            return null;
        }

        var identity = new List<PolicyDocument>();
        AddPolicies(identity, PrincipalKind.User, account, userName);
        foreach (var group in _store.GroupsForUser(account, userName))
        {
            AddPolicies(identity, PrincipalKind.Group, account, group);
        }

        return new PrincipalPolicies
        {
            Identity = identity,
            PermissionsBoundary = BoundaryOf(user.PermissionsBoundary),
            Tags = user.Tags.ConvertAll(static t => new KeyValuePair<string, string>(t.Key, t.Value)),
        };
    }

    private PrincipalPolicies ForRole(string account, string roleName, RoleSession? session)
    {
        var role = _store.FindRole(account, roleName);
        var identity = new List<PolicyDocument>();
        if (role is not null)
        {
            AddPolicies(identity, PrincipalKind.Role, account, roleName);
        }

        var sessionPolicies = new List<PolicyDocument>();
        var tags = role?.Tags.ConvertAll(static t => new KeyValuePair<string, string>(t.Key, t.Value)) ?? [];
        if (session is not null)
        {
            if (session.Policy is { } inline)
            {
                sessionPolicies.Add(_cache.GetOrParse(inline, PolicyKind.Session, "session-policy"));
            }

            foreach (var arn in session.PolicyArns)
            {
                // A managed session policy deleted since still counts as a session policy, one that allows nothing.
                var document = _store.FindPolicy(arn)?.DefaultVersion.Document ?? """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"none:none","Resource":"*"}]}""";
                sessionPolicies.Add(_cache.GetOrParse(document, PolicyKind.Session, "session-policy/" + arn));
            }

            foreach (var tag in session.Tags)
            {
                tags.RemoveAll(t => string.Equals(t.Key, tag.Key, StringComparison.OrdinalIgnoreCase));
                tags.Add(tag);
            }
        }

        return new PrincipalPolicies
        {
            Identity = identity,
            PermissionsBoundary = BoundaryOf(role?.PermissionsBoundary),
            Session = sessionPolicies,
            Tags = tags,
            PrincipalArn = role?.Arn, // with the role's path, which the session ARN lacks
        };
    }

    private void AddPolicies(List<PolicyDocument> identity, PrincipalKind kind, string account, string owner)
    {
        var label = IamStore.KindName(kind);
        foreach (var (name, document) in _store.InlinePolicies(kind, account, owner))
        {
            identity.Add(_cache.GetOrParse(document, PolicyKind.Identity, $"{label}/{owner}#{name}"));
        }

        foreach (var arn in _store.AttachedPolicies(account, kind, owner))
        {
            if (_store.FindPolicy(arn) is { } policy)
            {
                identity.Add(_cache.GetOrParse(policy.DefaultVersion.Document, PolicyKind.Identity, $"{arn}#{policy.DefaultVersionId}"));
            }
        }
    }

    private PolicyDocument? BoundaryOf(string? arn)
    {
        if (arn is null)
        {
            return null;
        }

        // A boundary whose policy was deleted bounds to nothing, as in AWS.
        var document = _store.FindPolicy(arn)?.DefaultVersion.Document ?? """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"none:none","Resource":"*"}]}""";
        return _cache.GetOrParse(document, PolicyKind.PermissionsBoundary, "boundary/" + arn);
    }
}
