using System.Text.Json;
using Stratus.Storage.Lsm;

namespace Stratus.Iam.Users;

/// <summary>Renaming and moving a user: every key that names the user moves in one batch.</summary>
public sealed partial class IamStore
{
    internal Task<UserRecord> UpdateUserNameAsync(string account, string userName, string? newName, string? newPath) => LockedAsync(async () =>
    {
        var user = RequireUser(account, userName);
        var name = newName ?? userName;
        if (name != userName && (FindUser(account, name) is not null || (!string.Equals(name, userName, StringComparison.OrdinalIgnoreCase) && NameTakenIgnoringCase($"iam/u/{account}/", name))))
        {
            throw IamErrors.EntityAlreadyExists($"User with name {name} already exists.");
        }

        var moved = new UserRecord
        {
            Account = account,
            UserName = name,
            UserId = user.UserId,
            Path = newPath ?? user.Path,
            Created = user.Created,
            Tags = user.Tags,
            PermissionsBoundary = user.PermissionsBoundary,
        };
        var batch = new WriteBatch();
        if (name != userName)
        {
            batch.Delete(UserKey(account, userName));
            foreach (var key in AccessKeys(account, userName))
            {
                var renamed = new AccessKeyRecord { AccessKeyId = key.AccessKeyId, SecretAccessKey = key.SecretAccessKey, Account = account, UserName = name, Status = key.Status, Created = key.Created };
                batch.Put(AccessKeyKey(key.AccessKeyId), JsonSerializer.SerializeToUtf8Bytes(renamed, IamJsonContext.Default.AccessKeyRecord))
                    .Delete(Bytes($"iam/uk/{account}/{userName}/{key.AccessKeyId}"))
                    .Put(Bytes($"iam/uk/{account}/{name}/{key.AccessKeyId}"), []);
            }

            foreach (var (policy, document) in InlinePolicies(PrincipalKind.User, account, userName))
            {
                batch.Delete(Bytes(InlineKey(PrincipalKind.User, account, userName, policy)))
                    .Put(Bytes(InlineKey(PrincipalKind.User, account, name, policy)), System.Text.Encoding.UTF8.GetBytes(document));
            }

            foreach (var arn in AttachedPolicies(account, PrincipalKind.User, userName))
            {
                batch.Delete(Bytes(AttachmentKey(PrincipalKind.User, account, userName, arn))).Put(Bytes(AttachmentKey(PrincipalKind.User, account, name, arn)), [])
                    .Delete(Bytes(EntityKey(PrincipalKind.User, account, userName, arn))).Put(Bytes(EntityKey(PrincipalKind.User, account, name, arn)), []);
            }

            foreach (var group in GroupsForUser(account, userName))
            {
                batch.Delete(Bytes($"iam/ug/{account}/{userName}/{group}")).Put(Bytes($"iam/ug/{account}/{name}/{group}"), [])
                    .Delete(Bytes($"iam/gm/{account}/{group}/{userName}")).Put(Bytes($"iam/gm/{account}/{group}/{name}"), []);
            }
        }

        batch.Put(UserKey(account, name), JsonSerializer.SerializeToUtf8Bytes(moved, IamJsonContext.Default.UserRecord));
        await CommitAsync(batch).ConfigureAwait(false);
        return moved;
    });
}
