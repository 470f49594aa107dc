using Stratus.Storage.Lsm;

namespace Stratus.Iam.Users;

/// <summary>Instance profiles (<c>iam/ip/{account}/{name}</c>) and, per role, the profiles holding it (<c>iam/rip/{account}/{role}/{profile}</c>).</summary>
public sealed partial class IamStore
{
    internal InstanceProfileRecord? FindInstanceProfile(string account, string name) =>
        Read($"iam/ip/{account}/{name}", IamEntityJsonContext.Default.InstanceProfileRecord);

    internal InstanceProfileRecord RequireInstanceProfile(string account, string name) =>
        FindInstanceProfile(account, name) ?? throw IamErrors.NoSuchEntity($"Instance Profile {name} cannot be found.");

    internal async Task<InstanceProfileRecord> CreateInstanceProfileAsync(string account, string name, string path, List<IamTag> tags)
    {
        var profile = new InstanceProfileRecord { Account = account, InstanceProfileName = name, InstanceProfileId = "AIPA" + RandomId(17), Path = path, Created = Now(), Tags = tags };
        var key = $"iam/ip/{account}/{name}";
        var written = !NameTakenIgnoringCase($"iam/ip/{account}/", name) && await CommitAsync(Put(new WriteBatch(), key, profile, IamEntityJsonContext.Default.InstanceProfileRecord), new WriteCondition().KeyAbsent(Bytes(key))).ConfigureAwait(false);
        return written ? profile : throw IamErrors.EntityAlreadyExists($"Instance Profile {name} already exists.");
    }

    internal List<InstanceProfileRecord> InstanceProfiles(string account, string pathPrefix) =>
        Records($"iam/ip/{account}/", IamEntityJsonContext.Default.InstanceProfileRecord).FindAll(p => p.Path.StartsWith(pathPrefix, StringComparison.Ordinal));

    internal List<InstanceProfileRecord> InstanceProfilesForRole(string account, string roleName)
    {
        var profiles = new List<InstanceProfileRecord>();
        foreach (var name in Suffixes($"iam/rip/{account}/{roleName}/"))
        {
            if (FindInstanceProfile(account, name) is { } profile)
            {
                profiles.Add(profile);
            }
        }

        return profiles;
    }

    internal Task DeleteInstanceProfileAsync(string account, string name) => LockedAsync(async () =>
    {
        var profile = RequireInstanceProfile(account, name);
        if (profile.Roles.Count > 0)
        {
            throw IamErrors.DeleteConflict("Cannot delete entity, must remove roles from instance profile first.");
        }

        await CommitAsync(new WriteBatch().Delete(Bytes($"iam/ip/{account}/{name}"))).ConfigureAwait(false);
    });

    internal Task AddRoleToInstanceProfileAsync(string account, string name, string roleName) => LockedAsync(async () =>
    {
        var profile = RequireInstanceProfile(account, name);
        RequireRole(account, roleName);
        if (profile.Roles.Contains(roleName))
        {
            throw IamErrors.LimitExceeded("Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1");
        }

        if (profile.Roles.Count >= 1)
        {
            throw IamErrors.LimitExceeded("Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1");
        }

        profile.Roles.Add(roleName);
        await CommitAsync(Put(new WriteBatch(), $"iam/ip/{account}/{name}", profile, IamEntityJsonContext.Default.InstanceProfileRecord)
            .Put(Bytes($"iam/rip/{account}/{roleName}/{name}"), [])).ConfigureAwait(false);
    });

    internal Task RemoveRoleFromInstanceProfileAsync(string account, string name, string roleName) => LockedAsync(async () =>
    {
        var profile = RequireInstanceProfile(account, name);
        RequireRole(account, roleName);
        if (!profile.Roles.Remove(roleName))
        {
            throw IamErrors.NoSuchEntity($"The role with name {roleName} cannot be found in instance profile {name}.");
        }

        await CommitAsync(Put(new WriteBatch(), $"iam/ip/{account}/{name}", profile, IamEntityJsonContext.Default.InstanceProfileRecord)
            .Delete(Bytes($"iam/rip/{account}/{roleName}/{name}"))).ConfigureAwait(false);
    });

    /// <summary>Changes an instance profile under the store's gate.</summary>
    internal Task<InstanceProfileRecord> UpdateInstanceProfileAsync(string account, string name, Action<InstanceProfileRecord> change) => LockedAsync(async () =>
    {
        var profile = RequireInstanceProfile(account, name);
        change(profile);
        await CommitAsync(Put(new WriteBatch(), $"iam/ip/{account}/{name}", profile, IamEntityJsonContext.Default.InstanceProfileRecord)).ConfigureAwait(false);
        return profile;
    });
}
