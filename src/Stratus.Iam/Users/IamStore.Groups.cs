using Stratus.Storage.Lsm;

namespace Stratus.Iam.Users;

/// <summary>Groups (<c>iam/g/{account}/{group}</c>) and membership, both ways (<c>iam/gm/…/{group}/{user}</c>, <c>iam/ug/…/{user}/{group}</c>).</summary>
public sealed partial class IamStore
{
    private const int GroupsPerUser = 10;

    internal GroupRecord? FindGroup(string account, string groupName) => Read($"iam/g/{account}/{groupName}", IamEntityJsonContext.Default.GroupRecord);

    internal GroupRecord RequireGroup(string account, string groupName) =>
        FindGroup(account, groupName) ?? throw IamErrors.NoSuchEntity($"The group with name {groupName} cannot be found.");

    internal async Task<GroupRecord> CreateGroupAsync(string account, string groupName, string path)
    {
        var group = new GroupRecord { Account = account, GroupName = groupName, GroupId = "AGPA" + RandomId(17), Path = path, Created = Now() };
        var key = $"iam/g/{account}/{groupName}";
        var written = !NameTakenIgnoringCase($"iam/g/{account}/", groupName) && await CommitAsync(Put(new WriteBatch(), key, group, IamEntityJsonContext.Default.GroupRecord), new WriteCondition().KeyAbsent(Bytes(key))).ConfigureAwait(false);
        return written ? group : throw IamErrors.EntityAlreadyExists($"Group with name {groupName} already exists.");
    }

    internal List<GroupRecord> Groups(string account, string pathPrefix) =>
        Records($"iam/g/{account}/", IamEntityJsonContext.Default.GroupRecord).FindAll(g => g.Path.StartsWith(pathPrefix, StringComparison.Ordinal));

    /// <summary>Changes a group's path (the name stays: renaming is not supported).</summary>
    internal Task<GroupRecord> UpdateGroupPathAsync(string account, string groupName, string path) => LockedAsync(async () =>
    {
        var old = RequireGroup(account, groupName);
        var group = new GroupRecord { Account = account, GroupName = groupName, GroupId = old.GroupId, Path = path, Created = old.Created };
        await CommitAsync(Put(new WriteBatch(), $"iam/g/{account}/{groupName}", group, IamEntityJsonContext.Default.GroupRecord)).ConfigureAwait(false);
        return group;
    });

    internal Task DeleteGroupAsync(string account, string groupName) => LockedAsync(async () =>
    {
        RequireGroup(account, groupName);
        if (AnyUnder($"iam/gm/{account}/{groupName}/"))
        {
            throw IamErrors.DeleteConflict("Cannot delete entity, must remove users from group first.");
        }

        if (AnyUnder($"iam/gp/{account}/{groupName}/"))
        {
            throw IamErrors.DeleteConflict("Cannot delete entity, must delete policies first.");
        }

        if (AttachedPolicies(account, PrincipalKind.Group, groupName).Count > 0)
        {
            throw IamErrors.DeleteConflict("Cannot delete entity, must detach all policies first.");
        }

        await CommitAsync(new WriteBatch().Delete(Bytes($"iam/g/{account}/{groupName}"))).ConfigureAwait(false);
    });

    internal Task AddUserToGroupAsync(string account, string groupName, string userName) => LockedAsync(async () =>
    {
        RequireGroup(account, groupName);
        RequireUser(account, userName);
        var groups = GroupsForUser(account, userName);
        if (groups.Contains(groupName))
        {
            return;
        }

        if (groups.Count >= GroupsPerUser)
        {
            throw IamErrors.LimitExceeded($"Cannot exceed quota for GroupsPerUser: {GroupsPerUser}");
        }

        await CommitAsync(new WriteBatch()
            .Put(Bytes($"iam/gm/{account}/{groupName}/{userName}"), [])
            .Put(Bytes($"iam/ug/{account}/{userName}/{groupName}"), [])).ConfigureAwait(false);
    });

    internal Task RemoveUserFromGroupAsync(string account, string groupName, string userName) => LockedAsync(async () =>
    {
        RequireGroup(account, groupName);
        RequireUser(account, userName);
        if (!Exists($"iam/gm/{account}/{groupName}/{userName}"))
        {
            throw IamErrors.NoSuchEntity($"The user with name {userName} cannot be found in group {groupName}.");
        }

        await CommitAsync(new WriteBatch()
            .Delete(Bytes($"iam/gm/{account}/{groupName}/{userName}"))
            .Delete(Bytes($"iam/ug/{account}/{userName}/{groupName}"))).ConfigureAwait(false);
    });

    /// <summary>The names of the users in a group, in name order.</summary>
    internal List<string> GroupMembers(string account, string groupName) => Suffixes($"iam/gm/{account}/{groupName}/");

    /// <summary>The names of the groups a user belongs to, in name order.</summary>
    internal List<string> GroupsForUser(string account, string userName) => Suffixes($"iam/ug/{account}/{userName}/");
}
