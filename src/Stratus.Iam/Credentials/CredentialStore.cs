using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Stratus.Core;
using Stratus.Iam.Sts;
using Stratus.Iam.Users;
using Stratus.Protocol.Auth;

namespace Stratus.Iam.Credentials;

/// <summary>The access keys Stratus knows: each account's root key now; IAM users' and temporary keys as IAM grows.</summary>
public sealed class CredentialStore : ICredentialStore
{
    private readonly ConcurrentDictionary<string, SigningCredential> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AccountKeys> _accounts = new(StringComparer.Ordinal);
    private readonly IamStore? _iam;
    private readonly SessionStore? _sessions;

    public CredentialStore(IEnumerable<AccountKeys> accounts, IamStore? iam = null, SessionStore? sessions = null)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        _iam = iam;
        _sessions = sessions;
        foreach (var account in accounts)
        {
            AddAccount(account);
        }
    }

    /// <summary>The accounts, by id.</summary>
    public IReadOnlyCollection<AccountKeys> Accounts => (IReadOnlyCollection<AccountKeys>)_accounts.Values;

    /// <summary>Adds an account with its root key; ids and keys must be unique.</summary>
    public void AddAccount(AccountKeys account)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (!AccountId.IsValid(account.AccountId))
        {
            throw new ArgumentException($"Account id '{account.AccountId}' is not twelve digits.", nameof(account));
        }

        if (string.IsNullOrEmpty(account.AccessKeyId) || string.IsNullOrEmpty(account.SecretAccessKey))
        {
            throw new ArgumentException($"Account {account.AccountId} needs an access key id and a secret.", nameof(account));
        }

        if (!_accounts.TryAdd(account.AccountId, account))
        {
            throw new ArgumentException($"Account {account.AccountId} is defined twice.", nameof(account));
        }

        var identity = new CallerIdentity(account.AccountId, Arn.Iam(account.AccountId, "root").ToString(), account.AccountId, PrincipalType.Account);
        if (!_keys.TryAdd(account.AccessKeyId, new SigningCredential(account.AccessKeyId, account.SecretAccessKey, identity)))
        {
            throw new ArgumentException($"Access key {account.AccessKeyId} belongs to two accounts.", nameof(account));
        }
    }

    public bool TryGetCredential(string accessKeyId, [NotNullWhen(true)] out SigningCredential? credential)
    {
        if (_keys.TryGetValue(accessKeyId, out credential))
        {
            return true;
        }

        // An IAM user's key: only an active key of a user that still exists signs anything.
        if (_iam?.FindAccessKey(accessKeyId) is { Status: "Active" } key && _iam.FindUser(key.Account, key.UserName) is { } user)
        {
            credential = new SigningCredential(key.AccessKeyId, key.SecretAccessKey, new CallerIdentity(user.Account, user.Arn, user.UserId, PrincipalType.User));
            return true;
        }

        // A session's key: the verifier checks its token and refuses it after expiry by the server clock.
        credential = _sessions?.Find(accessKeyId);
        return credential is not null;
    }
}
