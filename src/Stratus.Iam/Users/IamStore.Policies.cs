using Stratus.Core;
using Stratus.Storage.Lsm;

namespace Stratus.Iam.Users;

/// <summary>
/// Customer managed policies (<c>iam/p/{account}/{name}</c>, every version inside the record), AWS managed policies
/// (built in), and attachments both ways: <c>iam/a/{account}/{u|g|r}/{name}/{policyArn}</c> and
/// <c>iam/pe/{policyArn}\0{account}/{u|g|r}/{name}</c>.
/// </summary>
public sealed partial class IamStore
{
    internal const int MaxPolicyVersions = 5;
    internal const int MaxAttachedPolicies = 10;

    /// <summary>The managed policy an ARN names (customer or AWS managed), or null.</summary>
    internal ManagedPolicyRecord? FindPolicy(string policyArn)
    {
        if (!Arn.TryParse(policyArn, out var parsed) || parsed.Value.Service != "iam" || !parsed.Value.Resource.StartsWith("policy/", StringComparison.Ordinal))
        {
            return null;
        }

        var resource = parsed.Value.Resource;
        var name = resource[(resource.LastIndexOf('/') + 1)..];
        var policy = parsed.Value.Account == "aws"
            ? AwsManagedPolicies.Find(name)
            : Read($"iam/p/{parsed.Value.Account}/{name}", IamEntityJsonContext.Default.ManagedPolicyRecord);
        return policy is not null && policy.Arn == policyArn ? policy : null;
    }

    internal ManagedPolicyRecord RequirePolicy(string policyArn) =>
        FindPolicy(policyArn) ?? throw IamErrors.NoSuchEntity($"Policy {policyArn} does not exist or is not attachable.");

    internal async Task CreatePolicyAsync(ManagedPolicyRecord policy)
    {
        var key = $"iam/p/{policy.Account}/{policy.PolicyName}";
        var written = !NameTakenIgnoringCase($"iam/p/{policy.Account}/", policy.PolicyName) && await CommitAsync(Put(new WriteBatch(), key, policy, IamEntityJsonContext.Default.ManagedPolicyRecord), new WriteCondition().KeyAbsent(Bytes(key))).ConfigureAwait(false);
        if (!written)
        {
            throw IamErrors.EntityAlreadyExists($"A policy called {policy.PolicyName} already exists. Duplicate names are not allowed.");
        }
    }

    /// <summary>The customer managed policies of an account.</summary>
    internal List<ManagedPolicyRecord> LocalPolicies(string account) => Records($"iam/p/{account}/", IamEntityJsonContext.Default.ManagedPolicyRecord);

    /// <summary>Changes a customer managed policy under the store's gate; <paramref name="change"/> may throw to refuse.</summary>
    internal Task<ManagedPolicyRecord> UpdatePolicyAsync(string policyArn, Action<ManagedPolicyRecord> change) => LockedAsync(async () =>
    {
        var policy = RequirePolicy(policyArn);
        if (policy.IsAwsManaged)
        {
            throw IamErrors.InvalidInput($"The policy {policyArn} is an AWS managed policy and cannot be changed.");
        }

        change(policy);
        await CommitAsync(Put(new WriteBatch(), $"iam/p/{policy.Account}/{policy.PolicyName}", policy, IamEntityJsonContext.Default.ManagedPolicyRecord)).ConfigureAwait(false);
        return policy;
    });

    internal Task DeletePolicyAsync(string policyArn) => LockedAsync(async () =>
    {
        var policy = RequirePolicy(policyArn);
        if (policy.IsAwsManaged)
        {
            throw IamErrors.InvalidInput($"The policy {policyArn} is an AWS managed policy and cannot be deleted.");
        }

        if (AnyUnder($"iam/pe/{policyArn}\0"))
        {
            throw IamErrors.DeleteConflict("Cannot delete a policy attached to entities.");
        }

        if (policy.Versions.Count > 1)
        {
            throw IamErrors.DeleteConflict("This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.");
        }

        await CommitAsync(new WriteBatch().Delete(Bytes($"iam/p/{policy.Account}/{policy.PolicyName}"))).ConfigureAwait(false);
    });

    internal Task AttachPolicyAsync(PrincipalKind kind, string account, string owner, string policyArn) => LockedAsync(async () =>
    {
        RequireOwner(kind, account, owner);
        RequirePolicy(policyArn);
        var attached = AttachedPolicies(account, kind, owner);
        if (attached.Contains(policyArn))
        {
            return;
        }

        if (attached.Count >= MaxAttachedPolicies)
        {
            throw IamErrors.LimitExceeded($"Cannot exceed quota for PoliciesPer{char.ToUpperInvariant(KindName(kind)[0])}{KindName(kind)[1..]}: {MaxAttachedPolicies}");
        }

        await CommitAsync(new WriteBatch()
            .Put(Bytes(AttachmentKey(kind, account, owner, policyArn)), [])
            .Put(Bytes(EntityKey(kind, account, owner, policyArn)), [])).ConfigureAwait(false);
    });

    internal Task DetachPolicyAsync(PrincipalKind kind, string account, string owner, string policyArn) => LockedAsync(async () =>
    {
        RequireOwner(kind, account, owner);
        if (!Exists(AttachmentKey(kind, account, owner, policyArn)))
        {
            throw IamErrors.NoSuchEntity($"Policy {policyArn} was not found.");
        }

        await CommitAsync(new WriteBatch()
            .Delete(Bytes(AttachmentKey(kind, account, owner, policyArn)))
            .Delete(Bytes(EntityKey(kind, account, owner, policyArn)))).ConfigureAwait(false);
    });

    /// <summary>The ARNs of the managed policies attached to a user, group or role.</summary>
    internal List<string> AttachedPolicies(string account, PrincipalKind kind, string owner) => Suffixes($"iam/a/{account}/{KindLetter(kind)}/{owner}/");

    /// <summary>The users, groups and roles of <paramref name="account"/> a policy is attached to.</summary>
    internal List<(PrincipalKind Kind, string Name)> EntitiesForPolicy(string policyArn, string account)
    {
        var entities = new List<(PrincipalKind, string)>();
        foreach (var suffix in Suffixes($"iam/pe/{policyArn}\0{account}/"))
        {
            var kind = suffix[0] switch { 'u' => PrincipalKind.User, 'g' => PrincipalKind.Group, _ => PrincipalKind.Role };
            entities.Add((kind, suffix[2..]));
        }

        return entities;
    }

    internal int AttachmentCount(string policyArn, string account) => Suffixes($"iam/pe/{policyArn}\0{account}/").Count;

    private void RequireOwner(PrincipalKind kind, string account, string owner)
    {
        _ = kind switch
        {
            PrincipalKind.User => (object)RequireUser(account, owner),
            PrincipalKind.Group => RequireGroup(account, owner),
            _ => RequireRole(account, owner),
        };
    }

    private static string AttachmentKey(PrincipalKind kind, string account, string owner, string policyArn) => $"iam/a/{account}/{KindLetter(kind)}/{owner}/{policyArn}";

    private static string EntityKey(PrincipalKind kind, string account, string owner, string policyArn) => $"iam/pe/{policyArn}\0{account}/{KindLetter(kind)}/{owner}";
}
