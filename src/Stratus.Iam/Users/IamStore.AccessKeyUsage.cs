using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using Stratus.Storage.Lsm;

namespace Stratus.Iam.Users;

/// <summary>
/// When each access key was last used, where, and for which service. Every use updates memory; the engine
/// (<c>iam/kl/{accessKeyId}</c>) is written at most once a minute per key, so recording costs no write per request.
/// </summary>
public sealed partial class IamStore
{
    private static readonly long PersistEveryMilliseconds = (long)TimeSpan.FromMinutes(1).TotalMilliseconds;
    private readonly ConcurrentDictionary<string, AccessKeyUse> _keyUse = new(StringComparer.Ordinal);

    /// <summary>Notes that <paramref name="accessKeyId"/> signed a request for <paramref name="service"/> in <paramref name="region"/>.</summary>
    public void RecordAccessKeyUse(string accessKeyId, string service, string region, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(accessKeyId);
        var now = at.ToUnixTimeMilliseconds();
        var found = _keyUse.TryGetValue(accessKeyId, out var previous);
        if (found && now - previous!.At < 1000 && previous.Service == service && previous.Region == region)
        {
            return; // the same use within the same second: nothing new to note, nothing to allocate
        }

        var persisted = found ? previous!.PersistedAt : 0;
        var due = now - persisted >= PersistEveryMilliseconds;
        var use = new AccessKeyUse(now, service, region, due ? now : persisted);
        _keyUse[accessKeyId] = use;
        if (due && accessKeyId.StartsWith("AKIA", StringComparison.Ordinal))
        {
            _ = PersistAccessKeyUseAsync(accessKeyId, use);
        }
    }

    /// <summary>The last use of a key, from memory or, after a restart, from the engine; null if never used.</summary>
    internal AccessKeyUse? LastUse(string accessKeyId)
    {
        if (_keyUse.TryGetValue(accessKeyId, out var use))
        {
            return use;
        }

        return _kv.TryGet(Bytes("iam/kl/" + accessKeyId), out var bytes) ? JsonSerializer.Deserialize(bytes, AccessKeyUseJsonContext.Default.AccessKeyUse) : null;
    }

    private async Task PersistAccessKeyUseAsync(string accessKeyId, AccessKeyUse use)
    {
        try
        {
            // Only IAM users' keys are worth a record; roots' keys live in the accounts file.
            if (FindAccessKey(accessKeyId) is not null)
            {
                await _kv.WriteAsync(new WriteBatch().Put(Bytes("iam/kl/" + accessKeyId), JsonSerializer.SerializeToUtf8Bytes(use, AccessKeyUseJsonContext.Default.AccessKeyUse))).ConfigureAwait(false);
            }
        }
        catch (Exception error) when (error is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // A lost last-used stamp is harmless: memory still has it, and the next use a minute later writes again.
        }
    }
}

/// <summary>One access key's last use: Unix milliseconds, service (signing name) and region.</summary>
internal sealed record AccessKeyUse(long At, string Service, string Region, long PersistedAt);

[JsonSerializable(typeof(AccessKeyUse))]
internal sealed partial class AccessKeyUseJsonContext : JsonSerializerContext;
