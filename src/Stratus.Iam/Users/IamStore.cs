using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Stratus.Core;
using Stratus.Storage.Lsm;

namespace Stratus.Iam.Users;

/// <summary>
/// IAM users, their access keys and inline policies, in the shared LSM engine:
/// <c>iam/u/{account}/{user}</c> → user, <c>iam/k/{accessKeyId}</c> → key, <c>iam/up/{account}/{user}/{policy}</c> → policy text.
/// </summary>
public sealed partial class IamStore
{
    private const string KeyAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private readonly LsmEngine _kv;
    private readonly TimeProvider _time;

    public IamStore(LsmEngine kv, TimeProvider time)
    {
        _kv = kv;
        _time = time;
    }

    internal UserRecord? FindUser(string account, string userName) =>
        _kv.TryGet(UserKey(account, userName), out var bytes) ? JsonSerializer.Deserialize(bytes, IamJsonContext.Default.UserRecord) : null;

    internal UserRecord RequireUser(string account, string userName) =>
        FindUser(account, userName) ?? throw IamErrors.NoSuchEntity($"The user with name {userName} cannot be found.");

    internal async Task<UserRecord> CreateUserAsync(string account, string userName, string path)
    {
        var user = new UserRecord { Account = account, UserName = userName, UserId = "AIDA" + RandomId(17), Path = path, Created = _time.GetUtcNow().ToUnixTimeMilliseconds() };
        var key = UserKey(account, userName);
        var written = !NameTakenIgnoringCase($"iam/u/{account}/", userName) && await CommitAsync(
            new WriteBatch().Put(key, JsonSerializer.SerializeToUtf8Bytes(user, IamJsonContext.Default.UserRecord)),
            new WriteCondition().KeyAbsent(key)).ConfigureAwait(false);
        return written ? user : throw IamErrors.EntityAlreadyExists($"User with name {userName} already exists.");
    }

    internal async Task DeleteUserAsync(string account, string userName)
    {
        RequireUser(account, userName);
        if (AccessKeys(account, userName).Count > 0)
        {
            throw IamErrors.DeleteConflict("Cannot delete entity, must delete access keys first.");
        }

        if (PolicyNames(account, userName).Count > 0)
        {
            throw IamErrors.DeleteConflict("Cannot delete entity, must delete policies first.");
        }

        if (AttachedPolicies(account, PrincipalKind.User, userName).Count > 0)
        {
            throw IamErrors.DeleteConflict("Cannot delete entity, must detach all policies first.");
        }

        if (GroupsForUser(account, userName).Count > 0)
        {
            throw IamErrors.DeleteConflict("Cannot delete entity, must remove users from group first.");
        }

        await CommitAsync(new WriteBatch().Delete(UserKey(account, userName))).ConfigureAwait(false);
    }

    internal List<UserRecord> Users(string account, string pathPrefix)
    {
        var users = new List<UserRecord>();
        using var iterator = _kv.NewIterator(ReadOptions.ForPrefix(Bytes($"iam/u/{account}/")));
        for (iterator.SeekToFirst(); iterator.Valid; iterator.Next())
        {
            var user = JsonSerializer.Deserialize(iterator.Value, IamJsonContext.Default.UserRecord)!;
            if (user.Path.StartsWith(pathPrefix, StringComparison.Ordinal))
            {
                users.Add(user);
            }
        }

        return users;
    }

    internal async Task<AccessKeyRecord> CreateAccessKeyAsync(string account, string userName)
    {
        RequireUser(account, userName);
        if (AccessKeys(account, userName).Count >= 2)
        {
            throw IamErrors.LimitExceeded("Cannot exceed quota for AccessKeysPerUser: 2");
        }

        var record = new AccessKeyRecord
        {
            AccessKeyId = "AKIA" + RandomId(16),
            SecretAccessKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)),
            Account = account,
            UserName = userName,
            Created = _time.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        await CommitAsync(new WriteBatch()
            .Put(AccessKeyKey(record.AccessKeyId), JsonSerializer.SerializeToUtf8Bytes(record, IamJsonContext.Default.AccessKeyRecord))
            .Put(Bytes($"iam/uk/{account}/{userName}/{record.AccessKeyId}"), [])).ConfigureAwait(false);
        return record;
    }

    internal AccessKeyRecord? FindAccessKey(string accessKeyId) =>
        _kv.TryGet(AccessKeyKey(accessKeyId), out var bytes) ? JsonSerializer.Deserialize(bytes, IamJsonContext.Default.AccessKeyRecord) : null;

    internal List<AccessKeyRecord> AccessKeys(string account, string userName)
    {
        var keys = new List<AccessKeyRecord>();
        var prefix = Bytes($"iam/uk/{account}/{userName}/");
        using var iterator = _kv.NewIterator(ReadOptions.ForPrefix(prefix));
        for (iterator.SeekToFirst(); iterator.Valid; iterator.Next())
        {
            if (FindAccessKey(Encoding.UTF8.GetString(iterator.Key[prefix.Length..])) is { } key)
            {
                keys.Add(key);
            }
        }

        return keys;
    }

    internal async Task UpdateAccessKeyAsync(string account, string userName, string accessKeyId, string status)
    {
        var key = RequireAccessKey(account, userName, accessKeyId);
        key.Status = status;
        await CommitAsync(new WriteBatch().Put(AccessKeyKey(accessKeyId), JsonSerializer.SerializeToUtf8Bytes(key, IamJsonContext.Default.AccessKeyRecord))).ConfigureAwait(false);
    }

    internal async Task DeleteAccessKeyAsync(string account, string userName, string accessKeyId)
    {
        RequireAccessKey(account, userName, accessKeyId);
        await CommitAsync(new WriteBatch()
            .Delete(AccessKeyKey(accessKeyId))
            .Delete(Bytes($"iam/uk/{account}/{userName}/{accessKeyId}"))).ConfigureAwait(false);
    }

    internal async Task PutUserPolicyAsync(string account, string userName, string policyName, string document)
    {
        RequireUser(account, userName);
        await CommitAsync(new WriteBatch().Put(PolicyKey(account, userName, policyName), Encoding.UTF8.GetBytes(document))).ConfigureAwait(false);
    }

    internal string? GetUserPolicy(string account, string userName, string policyName) =>
        _kv.TryGet(PolicyKey(account, userName, policyName), out var bytes) ? Encoding.UTF8.GetString(bytes) : null;

    internal async Task DeleteUserPolicyAsync(string account, string userName, string policyName)
    {
        if (GetUserPolicy(account, userName, policyName) is null)
        {
            throw IamErrors.NoSuchEntity($"The user policy with name {policyName} cannot be found.");
        }

        await CommitAsync(new WriteBatch().Delete(PolicyKey(account, userName, policyName))).ConfigureAwait(false);
    }

    internal List<string> PolicyNames(string account, string userName)
    {
        var names = new List<string>();
        var prefix = Bytes($"iam/up/{account}/{userName}/");
        using var iterator = _kv.NewIterator(ReadOptions.ForPrefix(prefix));
        for (iterator.SeekToFirst(); iterator.Valid; iterator.Next())
        {
            names.Add(Encoding.UTF8.GetString(iterator.Key[prefix.Length..]));
        }

        return names;
    }

    /// <summary>The inline policies of a user, as (name, document) pairs.</summary>
    internal List<(string Name, string Document)> UserPolicies(string account, string userName)
    {
        var policies = new List<(string, string)>();
        var prefix = Bytes($"iam/up/{account}/{userName}/");
        using var iterator = _kv.NewIterator(ReadOptions.ForPrefix(prefix));
        for (iterator.SeekToFirst(); iterator.Valid; iterator.Next())
        {
            policies.Add((Encoding.UTF8.GetString(iterator.Key[prefix.Length..]), Encoding.UTF8.GetString(iterator.Value)));
        }

        return policies;
    }

    private AccessKeyRecord RequireAccessKey(string account, string userName, string accessKeyId) =>
        FindAccessKey(accessKeyId) is { } key && key.Account == account && key.UserName == userName
            ? key
            : throw IamErrors.NoSuchEntity($"The Access Key with id {accessKeyId} cannot be found.");

    private static byte[] UserKey(string account, string userName) => Bytes($"iam/u/{account}/{userName}");

    private static byte[] AccessKeyKey(string accessKeyId) => Bytes($"iam/k/{accessKeyId}");

    private static byte[] PolicyKey(string account, string userName, string policyName) => Bytes($"iam/up/{account}/{userName}/{policyName}");

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string RandomId(int length)
    {
        Span<byte> random = stackalloc byte[length];
        RandomNumberGenerator.Fill(random);
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = KeyAlphabet[random[i] % KeyAlphabet.Length];
        }

        return new string(chars);
    }
}
