using System.Collections.Concurrent;
using System.Text.Json;
using Stratus.S3.Metadata;
using Stratus.Storage.Lsm;

namespace Stratus.S3;

/// <summary>
/// Bucket records, which every request reads (its authorization for the owner, its handler for the versioning state),
/// kept deserialized in memory. A bucket record changes only through <see cref="WriteBucket"/>; it and the filling of
/// a missing entry take turns on one lock, so a fill can never plant a record that a change has just replaced. Both are
/// rare (a bucket is read from the store once, and again only after it changes), so the change holds the lock through its
/// commit, blocking.
/// </summary>
public sealed partial class S3Service
{
    private readonly ConcurrentDictionary<string, BucketRecord> _buckets = new(StringComparer.Ordinal);
    private readonly Lock _bucketGate = new();

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

    /// <summary>Commits a batch that creates, changes or deletes <paramref name="bucket"/>'s record; returns whether it was applied.</summary>
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
            }
        }
    }
}
