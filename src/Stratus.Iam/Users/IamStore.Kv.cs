using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Stratus.Storage.Lsm;

namespace Stratus.Iam.Users;

/// <summary>The store's plumbing: JSON records under string keys, prefix scans, and a generation that moves on every write.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The gate's wait handle is never created, so the semaphore holds nothing to dispose.")]
public sealed partial class IamStore
{
    // Read-modify-write of one record (versions, tags, roles of a profile) runs under this gate; IAM writes are rare.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _generation;

    /// <summary>Moves on every committed write, so that readers can cache what they derived from the store.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    private async ValueTask CommitAsync(WriteBatch batch)
    {
        await _kv.WriteAsync(batch).ConfigureAwait(false);
        Interlocked.Increment(ref _generation);
    }

    private async ValueTask<bool> CommitAsync(WriteBatch batch, WriteCondition? condition)
    {
        var written = await _kv.WriteAsync(batch, condition).ConfigureAwait(false);
        if (written)
        {
            Interlocked.Increment(ref _generation);
        }

        return written;
    }

    private async Task<T> LockedAsync<T>(Func<Task<T>> action)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            return await action().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task LockedAsync(Func<Task> action)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await action().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private T? Read<T>(string key, JsonTypeInfo<T> info)
        where T : class =>
        _kv.TryGet(Bytes(key), out var bytes) ? JsonSerializer.Deserialize(bytes, info) : null;

    private static WriteBatch Put<T>(WriteBatch batch, string key, T value, JsonTypeInfo<T> info) =>
        batch.Put(Bytes(key), JsonSerializer.SerializeToUtf8Bytes(value, info));

    private bool Exists(string key) => _kv.TryGet(Bytes(key), out _);

    private bool AnyUnder(string prefix)
    {
        using var iterator = _kv.NewIterator(ReadOptions.ForPrefix(Bytes(prefix)));
        iterator.SeekToFirst();
        return iterator.Valid;
    }

    /// <summary>The keys under <paramref name="prefix"/>, without it, in key order.</summary>
    private List<string> Suffixes(string prefix)
    {
        var suffixes = new List<string>();
        var bytes = Bytes(prefix);
        using var iterator = _kv.NewIterator(ReadOptions.ForPrefix(bytes));
        for (iterator.SeekToFirst(); iterator.Valid; iterator.Next())
        {
            suffixes.Add(Encoding.UTF8.GetString(iterator.Key[bytes.Length..]));
        }

        return suffixes;
    }

    /// <summary>The keys (without <paramref name="prefix"/>) and values under it, in key order.</summary>
    private List<(string Suffix, byte[] Value)> Entries(string prefix)
    {
        var entries = new List<(string, byte[])>();
        var bytes = Bytes(prefix);
        using var iterator = _kv.NewIterator(ReadOptions.ForPrefix(bytes));
        for (iterator.SeekToFirst(); iterator.Valid; iterator.Next())
        {
            entries.Add((Encoding.UTF8.GetString(iterator.Key[bytes.Length..]), iterator.Value.ToArray()));
        }

        return entries;
    }

    private List<T> Records<T>(string prefix, JsonTypeInfo<T> info)
    {
        var records = new List<T>();
        using var iterator = _kv.NewIterator(ReadOptions.ForPrefix(Bytes(prefix)));
        for (iterator.SeekToFirst(); iterator.Valid; iterator.Next())
        {
            records.Add(JsonSerializer.Deserialize(iterator.Value, info)!);
        }

        return records;
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>IAM names are unique regardless of case ("Bob" and "bob" cannot both exist), though kept as written.</summary>
    private bool NameTakenIgnoringCase(string prefix, string name) =>
        Suffixes(prefix).Exists(existing => string.Equals(existing, name, StringComparison.OrdinalIgnoreCase));
}
