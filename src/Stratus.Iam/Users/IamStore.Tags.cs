using System.Text.Json;
using Stratus.Storage.Lsm;

namespace Stratus.Iam.Users;

/// <summary>Tags and permissions boundaries of users (roles and policies keep theirs in their own records).</summary>
public sealed partial class IamStore
{
    internal const int MaxTags = 50;

    /// <summary>Changes a user under the store's gate; <paramref name="change"/> may throw to refuse.</summary>
    internal Task<UserRecord> UpdateUserAsync(string account, string userName, Action<UserRecord> change) => LockedAsync(async () =>
    {
        var user = RequireUser(account, userName);
        change(user);
        await CommitAsync(new WriteBatch().Put(UserKey(account, userName), JsonSerializer.SerializeToUtf8Bytes(user, IamJsonContext.Default.UserRecord))).ConfigureAwait(false);
        return user;
    });

    /// <summary>Merges <paramref name="tags"/> into <paramref name="existing"/> (a key's value is replaced), refusing more than 50.</summary>
    internal static void MergeTags(List<IamTag> existing, IReadOnlyList<IamTag> tags)
    {
        foreach (var tag in tags)
        {
            var at = existing.FindIndex(t => string.Equals(t.Key, tag.Key, StringComparison.OrdinalIgnoreCase));
            if (at >= 0)
            {
                existing[at] = tag;
            }
            else
            {
                existing.Add(tag);
            }
        }

        if (existing.Count > MaxTags)
        {
            throw IamErrors.LimitExceeded($"The number of tags has reached the maximum limit of {MaxTags}.");
        }
    }

    internal static void RemoveTags(List<IamTag> existing, IReadOnlyList<string> keys)
    {
        foreach (var key in keys)
        {
            existing.RemoveAll(t => string.Equals(t.Key, key, StringComparison.OrdinalIgnoreCase));
        }
    }
}
