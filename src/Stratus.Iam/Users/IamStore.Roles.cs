using System.Text;
using Stratus.Storage.Lsm;

namespace Stratus.Iam.Users;

/// <summary>Roles (<c>iam/r/{account}/{role}</c>) and the inline policies of users, groups and roles (<c>iam/{u,g,r}p/{account}/{owner}/{policy}</c>).</summary>
public sealed partial class IamStore
{
    internal RoleRecord? FindRole(string account, string roleName) => Read($"iam/r/{account}/{roleName}", IamEntityJsonContext.Default.RoleRecord);

    internal RoleRecord RequireRole(string account, string roleName) =>
        FindRole(account, roleName) ?? throw IamErrors.NoSuchEntity($"The role with name {roleName} cannot be found.");

    internal async Task CreateRoleAsync(RoleRecord role)
    {
        var key = $"iam/r/{role.Account}/{role.RoleName}";
        var written = !NameTakenIgnoringCase($"iam/r/{role.Account}/", role.RoleName) && await CommitAsync(Put(new WriteBatch(), key, role, IamEntityJsonContext.Default.RoleRecord), new WriteCondition().KeyAbsent(Bytes(key))).ConfigureAwait(false);
        if (!written)
        {
            throw IamErrors.EntityAlreadyExists($"Role with name {role.RoleName} already exists.");
        }
    }

    internal List<RoleRecord> Roles(string account, string pathPrefix) =>
        Records($"iam/r/{account}/", IamEntityJsonContext.Default.RoleRecord).FindAll(r => r.Path.StartsWith(pathPrefix, StringComparison.Ordinal));

    /// <summary>Changes a role under the store's gate; <paramref name="change"/> may throw to refuse.</summary>
    internal Task<RoleRecord> UpdateRoleAsync(string account, string roleName, Action<RoleRecord> change) => LockedAsync(async () =>
    {
        var role = RequireRole(account, roleName);
        change(role);
        await CommitAsync(Put(new WriteBatch(), $"iam/r/{account}/{roleName}", role, IamEntityJsonContext.Default.RoleRecord)).ConfigureAwait(false);
        return role;
    });

    internal Task DeleteRoleAsync(string account, string roleName) => LockedAsync(async () =>
    {
        RequireRole(account, roleName);
        if (AnyUnder($"iam/rip/{account}/{roleName}/"))
        {
            throw IamErrors.DeleteConflict("Cannot delete entity, must remove roles from instance profile first.");
        }

        if (AnyUnder($"iam/rp/{account}/{roleName}/"))
        {
            throw IamErrors.DeleteConflict("Cannot delete entity, must delete policies first.");
        }

        if (AttachedPolicies(account, PrincipalKind.Role, roleName).Count > 0)
        {
            throw IamErrors.DeleteConflict("Cannot delete entity, must detach all policies first.");
        }

        await CommitAsync(new WriteBatch().Delete(Bytes($"iam/r/{account}/{roleName}"))).ConfigureAwait(false);
    });

    /// <summary>Records that a role was assumed; at most one write per role per minute, so assuming stays cheap.</summary>
    internal async Task RoleUsedAsync(string account, string roleName, string region)
    {
        var now = Now();
        if (FindRole(account, roleName) is { } role && (role.LastUsed is null || now - role.LastUsed >= 60_000 || role.LastUsedRegion != region))
        {
            await UpdateRoleAsync(account, roleName, r =>
            {
                r.LastUsed = now;
                r.LastUsedRegion = region;
            }).ConfigureAwait(false);
        }
    }

    internal async Task PutInlinePolicyAsync(PrincipalKind kind, string account, string owner, string policyName, string document)
    {
        await CommitAsync(new WriteBatch().Put(Bytes(InlineKey(kind, account, owner, policyName)), Encoding.UTF8.GetBytes(document))).ConfigureAwait(false);
    }

    internal string? GetInlinePolicy(PrincipalKind kind, string account, string owner, string policyName) =>
        _kv.TryGet(Bytes(InlineKey(kind, account, owner, policyName)), out var bytes) ? Encoding.UTF8.GetString(bytes) : null;

    internal async Task DeleteInlinePolicyAsync(PrincipalKind kind, string account, string owner, string policyName)
    {
        if (GetInlinePolicy(kind, account, owner, policyName) is null)
        {
            throw IamErrors.NoSuchEntity($"The {KindName(kind)} policy with name {policyName} cannot be found.");
        }

        await CommitAsync(new WriteBatch().Delete(Bytes(InlineKey(kind, account, owner, policyName)))).ConfigureAwait(false);
    }

    /// <summary>The inline policies of a user, group or role, as (name, document) pairs in name order.</summary>
    internal List<(string Name, string Document)> InlinePolicies(PrincipalKind kind, string account, string owner)
    {
        var policies = new List<(string, string)>();
        foreach (var (name, value) in Entries(InlinePrefix(kind, account, owner)))
        {
            policies.Add((name, Encoding.UTF8.GetString(value)));
        }

        return policies;
    }

    internal static string KindName(PrincipalKind kind) => kind switch
    {
        PrincipalKind.User => "user",
        PrincipalKind.Group => "group",
        _ => "role",
    };

    private static string KindLetter(PrincipalKind kind) => kind switch
    {
        PrincipalKind.User => "u",
        PrincipalKind.Group => "g",
        _ => "r",
    };

    private static string InlinePrefix(PrincipalKind kind, string account, string owner) => $"iam/{KindLetter(kind)}p/{account}/{owner}/";

    private static string InlineKey(PrincipalKind kind, string account, string owner, string policyName) => InlinePrefix(kind, account, owner) + policyName;
}
