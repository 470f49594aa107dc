using System.Collections.Concurrent;
using System.Text.Json;
using Stratus.S3.Metadata;
using Stratus.Storage.Lsm;

namespace Stratus.S3;

/// <summary>
/// Bucket records and bucket settings (policy, public access block, ownership, ACL, encryption, CORS, …), which every
/// request reads (its authorization for the owner and the resource policy, its handler for the versioning state and
/// defaults), kept deserialized in memory. They change only through <see cref="WriteBucket"/>, which drops everything
/// cached for the bucket; it and the filling of a missing entry take turns on one lock, so a fill can never plant a value
/// that a change has just replaced. Both are rare (a value is read from the store once, and again only after its bucket
/// changes), so the change holds the lock through its commit, blocking. Only existing buckets' settings are cached, so
/// requests naming made-up buckets cannot grow the cache.
/// </summary>
public sealed partial class S3Service
{
    private readonly ConcurrentDictionary<string, BucketRecord> _buckets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Bucket, string Name), object> _bucketValues = new();
    private readonly Lock _bucketGate = new();

    // Stands for "not set" in the cache of bucket values.
    private static readonly object Unset = new();

    // Callers must not change the record they get: it is shared.
    private BucketRecord? FindBucket(string bucket)
    {
        if (_buckets.TryGetValue(bucket, out var cached))
        {
            return cached;
        }

        lock (_bucketGate)
        {
            if (!_kv.TryGet(S3Keys.Bucket(bucket), out var bytes))
            {
                return null;
            }

            var record = JsonSerializer.Deserialize(bytes, S3JsonContext.Default.BucketRecord)!;
            _buckets[bucket] = record;
            return record;
        }
    }

    private BucketRecord RequireBucket(string bucket) => FindBucket(bucket) ?? throw S3Errors.NoSuchBucket(bucket);

    // A setting (or the policy) of a bucket, through the cache; callers must not change what they get.
    private T? BucketValue<T>(string bucket, string name, Func<T?> load) where T : class
    {
        if (_bucketValues.TryGetValue((bucket, name), out var cached))
        {
            return cached == Unset ? null : (T)cached;
        }

        if (FindBucket(bucket) is null)
        {
            return load();
        }

        lock (_bucketGate)
        {
            var value = load();
            _bucketValues[(bucket, name)] = value ?? Unset;
            return value;
        }
    }

    /// <summary>Commits a batch that creates, changes or deletes <paramref name="bucket"/>'s record or settings; returns whether it was applied.</summary>
    private bool WriteBucket(string bucket, WriteBatch batch, WriteCondition? condition = null)
    {
        lock (_bucketGate)
        {
            try
            {
                return _kv.Write(batch, condition);
            }
            finally
            {
                _buckets.TryRemove(bucket, out _);
                foreach (var key in _bucketValues.Keys)
                {
                    if (key.Bucket == bucket)
                    {
                        _bucketValues.TryRemove(key, out _);
                    }
                }
            }
        }
    }
}
