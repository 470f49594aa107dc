using System.Text.Json;
using Stratus.S3.Metadata;
using Stratus.Storage.Lsm;
using Stratus.Storage.Objects;

namespace Stratus.S3;

/// <summary>
/// Versions and delete markers on the two key ranges (<see cref="S3Keys"/>): every change to a key's versions is one LSM
/// batch that writes the new version, keeps the key's current record (<c>s3/o</c>) equal to its latest live version,
/// and drops the references of any version it removes, under write conditions on everything it read; a removed version's
/// shards are deleted only once that batch is committed, so a crash never leaves a half-made version or a record
/// pointing at freed data.
/// </summary>
public sealed partial class S3Service
{
    private const int MaxAttempts = 8;

    // Writes to one key take turns. In a versioned bucket the write conditions cannot see a version that another writer
    // adds next to the one they read (a new delete marker beside the latest version being deleted), so without this the
    // current record could be left pointing at a version a newer marker hides; in any bucket, writers racing on one key
    // would otherwise retry their conditional commits until some gave up with a conflict, where S3 lets every
    // unconditional PUT succeed (the last one wins). Striped, so keys rarely wait on each other.
    private readonly BucketWriters _bucketWriters = new();

    private readonly SemaphoreSlim[] _keyLocks = [.. Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1))];

    private async ValueTask<SemaphoreSlim> LockKeyAsync(string bucket, string key)
    {
        var gate = _keyLocks[(uint)HashCode.Combine(bucket, key) % (uint)_keyLocks.Length];
        await gate.WaitAsync().ConfigureAwait(false);
        return gate;
    }

    private static ObjectRecord ReadRecord(ReadOnlySpan<byte> bytes) => JsonSerializer.Deserialize(bytes, S3JsonContext.Default.ObjectRecord)!;

    private static byte[] RecordBytes(ObjectRecord record) => JsonSerializer.SerializeToUtf8Bytes(record, S3JsonContext.Default.ObjectRecord);

    /// <summary>The newest <paramref name="count"/> versions of a key (delete markers included), newest first.</summary>
    private List<StoredVersion> NewestVersions(string bucket, string key, int count)
    {
        var versions = new List<StoredVersion>(count);
        using var iterator = _kv.NewIterator(ReadOptions.ForPrefix(S3Keys.VersionsOf(bucket, key)));
        for (iterator.SeekToFirst(); iterator.Valid && versions.Count < count; iterator.Next())
        {
            versions.Add(new StoredVersion(iterator.Key.ToArray(), iterator.Value.ToArray(), ReadRecord(iterator.Value)));
        }

        return versions;
    }

    private StoredVersion? LatestVersion(string bucket, string key) => NewestVersions(bucket, key, 1) is [var latest] ? latest : null;

    /// <summary>The version <paramref name="versionId"/> names (<c>null</c> included), or null when the key has no such version.</summary>
    private StoredVersion? FindVersion(string bucket, string key, string versionId)
    {
        if (versionId != "null")
        {
            var versionKey = S3Keys.Version(bucket, key, versionId);
            return _kv.TryGet(versionKey, out var bytes) ? new StoredVersion(versionKey, bytes, ReadRecord(bytes)) : null;
        }

        // The null version is usually the current one; otherwise it is somewhere below the versions made since.
        var currentKey = S3Keys.Object(bucket, key);
        if (_kv.TryGet(currentKey, out var currentBytes) && ReadRecord(currentBytes) is { VersionId: null } current)
        {
            return new StoredVersion(current.Stamp is null ? null : S3Keys.Version(bucket, key, current.Stamp), currentBytes, current);
        }

        using var iterator = _kv.NewIterator(ReadOptions.ForPrefix(S3Keys.VersionsOf(bucket, key)));
        for (iterator.SeekToFirst(); iterator.Valid; iterator.Next())
        {
            var record = ReadRecord(iterator.Value);
            if (record.VersionId is null)
            {
                return new StoredVersion(iterator.Key.ToArray(), iterator.Value.ToArray(), record);
            }
        }

        return null;
    }

    /// <summary>
    /// The version a read names: the current one when <paramref name="versionId"/> is null (404 NoSuchKey, with the
    /// marker's headers when the latest version is a delete marker), else that version (400 for a malformed id, 404
    /// NoSuchVersion, 405 for a delete marker).
    /// </summary>
    private ObjectRecord ReadableVersion(BucketRecord bucket, string key, string? versionId, string method)
    {
        if (versionId is null)
        {
            if (FindObject(bucket.Name, key) is { } current)
            {
                return current;
            }

            if (bucket.Versioning is not null && LatestVersion(bucket.Name, key) is { Record.DeleteMarker: true } marker)
            {
                throw S3Errors.NoSuchKeyBehindMarker(key, marker.Record);
            }

            throw S3Errors.NoSuchKey(key);
        }

        CheckVersionId(versionId);
        var version = FindVersion(bucket.Name, key, versionId) ?? throw S3Errors.NoSuchVersion(key, versionId);
        return version.Record.DeleteMarker ? throw S3Errors.MethodNotAllowedOnMarker(method, version.Record) : version.Record;
    }

    private static void CheckVersionId(string versionId)
    {
        if (versionId != "null" && !VersionIds.IsWellFormed(versionId))
        {
            throw S3Errors.InvalidVersionId(versionId);
        }
    }

    /// <summary>x-amz-version-id, which S3 sends once a bucket has had versioning turned on (or for a version that has an id).</summary>
    private static void AddVersionHeader(List<KeyValuePair<string, string>> headers, BucketRecord bucket, ObjectRecord record)
    {
        if (bucket.Versioning is not null || record.VersionId is not null)
        {
            headers.Add(new("x-amz-version-id", record.VersionIdText));
        }
    }

    /// <summary>
    /// Commits a new version of an object, atomically with the conditions the client set, with the version it replaces
    /// (the null version, unless versioning is enabled) and with <paramref name="extra"/> (a completed upload's records);
    /// only then frees the replaced version's shards. A concurrent writer that got in first makes a conditional PUT fail
    /// with 409. Returns the record as stored, with its version id.
    /// </summary>
    private async Task<ObjectRecord> CommitObjectAsync(string bucket, ObjectRecord record, PutCondition conditions, Action<WriteBatch, WriteCondition>? extra)
    {
        using var hold = await _bucketWriters.EnterAsync(bucket).ConfigureAwait(false);
        var versioning = RequireBucket(bucket).Versioning;
        var gate = await LockKeyAsync(bucket, record.Key).ConfigureAwait(false);
        try
        {
            return await CommitLockedAsync(bucket, versioning, record, conditions, extra).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<ObjectRecord> CommitLockedAsync(string bucket, string? versioning, ObjectRecord record, PutCondition conditions, Action<WriteBatch, WriteCondition>? extra)
    {
        var currentKey = S3Keys.Object(bucket, record.Key);
        for (var attempt = 0; ; attempt++)
        {
            var existing = _kv.TryGet(currentKey, out var existingBytes) ? ReadRecord(existingBytes) : null;
            if (attempt == 0)
            {
                CheckPutConditions(conditions, existing, record.Key);
            }
            else if (conditions.IfNoneMatchAny || conditions.IfMatch is not null)
            {
                throw S3Errors.ConditionalRequestConflict();
            }

            StoredVersion? replaced = null;
            string? newerThan;
            if (versioning is null)
            {
                // Never versioned: the current record is the key's only version, the null one.
                newerThan = existing?.Stamp;
                if (existing is not null)
                {
                    replaced = new StoredVersion(existing.Stamp is null ? null : S3Keys.Version(bucket, record.Key, existing.Stamp), existingBytes, existing);
                }
            }
            else
            {
                newerThan = LatestVersion(bucket, record.Key)?.Record.Stamp;
                replaced = versioning == VersioningSuspended ? FindVersion(bucket, record.Key, "null") : null;
            }

            record.Stamp = VersionIds.New(_time.GetUtcNow(), newerThan);
            record.VersionId = versioning == VersioningEnabled ? record.Stamp : null;
            ApplyDefaultRetention(bucket, record);
            var value = RecordBytes(record);
            var versionKey = S3Keys.Version(bucket, record.Key, record.Stamp);

            // Sized up front: a small object's reference record holds its bytes, and regrowing the batch around them
            // was most of what a PUT allocated.
            var capacity = 2 * (value.Length + versionKey.Length + 16) + (replaced is null ? 0 : 2 * (versionKey.Length + 16));
            foreach (var part in record.Parts)
            {
                capacity += part.Stored is { } stored ? stored.EncodedLength + 64 : 0;
            }

            var batch = new WriteBatch(capacity + 256).Put(currentKey, value).Put(versionKey, value);
            foreach (var part in record.Parts)
            {
                if (part.Stored is { } stored)
                {
                    Reference(batch, stored);
                }
            }

            var condition = new WriteCondition();
            if (existing is null)
            {
                condition.KeyAbsent(currentKey);
            }
            else
            {
                condition.ValueEquals(currentKey, existingBytes);
            }

            if (replaced is not null)
            {
                RemoveVersion(batch, condition, replaced);
            }

            extra?.Invoke(batch, condition);
            if (await _kv.WriteAsync(batch, condition).ConfigureAwait(false))
            {
                FreeVersion(replaced);
                return record;
            }

            if (attempt == MaxAttempts)
            {
                throw S3Errors.ConditionalRequestConflict();
            }
        }
    }

    /// <summary>DeleteObject, of one version (<paramref name="versionId"/>) or of the key.</summary>
    private async Task<DeleteOutcome> DeleteObjectAsync(string bucket, string key, string? versionId, string owner, bool bypassGovernance = false)
    {
        using var hold = await _bucketWriters.EnterAsync(bucket).ConfigureAwait(false);
        var versioning = RequireBucket(bucket).Versioning;
        var gate = await LockKeyAsync(bucket, key).ConfigureAwait(false);
        try
        {
            return versionId is not null
                ? await DeleteVersionAsync(bucket, key, versionId, bypassGovernance).ConfigureAwait(false)
                : await DeleteLatestAsync(bucket, versioning, key, owner).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// DeleteObject without a version id: removes the null version of a never-versioned bucket, else makes a delete marker
    /// (a real version when versioning is enabled, the null version, replacing the old one, when suspended).
    /// </summary>
    private async Task<DeleteOutcome> DeleteLatestAsync(string bucket, string? versioning, string key, string owner)
    {
        var currentKey = S3Keys.Object(bucket, key);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var hasCurrent = _kv.TryGet(currentKey, out var currentBytes);
            var batch = new WriteBatch();
            var condition = new WriteCondition();
            if (hasCurrent)
            {
                batch.Delete(currentKey);
                condition.ValueEquals(currentKey, currentBytes);
            }
            else
            {
                condition.KeyAbsent(currentKey);
            }

            StoredVersion? removed = null;
            DeleteOutcome outcome;
            if (versioning is null)
            {
                if (!hasCurrent)
                {
                    return default;
                }

                var current = ReadRecord(currentBytes);
                removed = new StoredVersion(current.Stamp is null ? null : S3Keys.Version(bucket, key, current.Stamp), currentBytes, current);
                outcome = default;
            }
            else
            {
                var enabled = versioning == VersioningEnabled;
                removed = enabled ? null : FindVersion(bucket, key, "null");
                var stamp = VersionIds.New(_time.GetUtcNow(), LatestVersion(bucket, key)?.Record.Stamp);
                var marker = new ObjectRecord
                {
                    Key = key,
                    ETag = "",
                    LastModified = Now(),
                    Owner = owner,
                    Parts = [],
                    DeleteMarker = true,
                    Stamp = stamp,
                    VersionId = enabled ? stamp : null,
                };
                batch.Put(S3Keys.Version(bucket, key, stamp), RecordBytes(marker));
                outcome = new DeleteOutcome(marker.VersionIdText, true);
            }

            if (removed is not null)
            {
                RemoveVersion(batch, condition, removed);
            }

            if (await _kv.WriteAsync(batch, condition).ConfigureAwait(false))
            {
                FreeVersion(removed);
                return outcome;
            }
        }

        throw S3Errors.ConditionalRequestConflict();
    }

    /// <summary>
    /// Deletes one version for good. When it was the latest, the version below it (if a live object) becomes the
    /// current record. A version that does not exist is already deleted: S3 answers that with success too.
    /// </summary>
    private async Task<DeleteOutcome> DeleteVersionAsync(string bucket, string key, string versionId, bool bypassGovernance)
    {
        CheckVersionId(versionId);
        var currentKey = S3Keys.Object(bucket, key);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var target = FindVersion(bucket, key, versionId);
            if (target is null)
            {
                return new DeleteOutcome(versionId, false);
            }

            RequireUnprotected(target.Record, bypassGovernance);
            var batch = new WriteBatch();
            var condition = new WriteCondition();
            RemoveVersion(batch, condition, target);
            var newest = NewestVersions(bucket, key, 2);
            var wasLatest = target.Key is null || (newest.Count > 0 && newest[0].Key.AsSpan().SequenceEqual(target.Key));
            if (wasLatest)
            {
                if (_kv.TryGet(currentKey, out var currentBytes))
                {
                    condition.ValueEquals(currentKey, currentBytes);
                }
                else
                {
                    condition.KeyAbsent(currentKey);
                }

                var next = target.Key is null ? null : newest.Count > 1 ? newest[1] : null;
                if (next is not null)
                {
                    condition.ValueEquals(next.Key!, next.Value);
                }

                if (next is { Record.DeleteMarker: false })
                {
                    batch.Put(currentKey, next.Value);
                }
                else
                {
                    batch.Delete(currentKey);
                }
            }

            if (await _kv.WriteAsync(batch, condition).ConfigureAwait(false))
            {
                FreeVersion(target);
                return new DeleteOutcome(target.Record.VersionIdText, target.Record.DeleteMarker);
            }
        }

        throw S3Errors.ConditionalRequestConflict();
    }

    // Adds a version's removal to a batch: its entry and its shard references, on condition that it is unchanged.
    private static void RemoveVersion(WriteBatch batch, WriteCondition condition, StoredVersion version)
    {
        if (version.Key is not null)
        {
            batch.Delete(version.Key);
            condition.ValueEquals(version.Key, version.Value);
        }

        foreach (var manifest in Manifests(version.Record))
        {
            Unreference(batch, manifest);
        }
    }

    // After the batch that removed a version is committed: its shards go.
    private void FreeVersion(StoredVersion? version)
    {
        if (version is null)
        {
            return;
        }

        foreach (var manifest in Manifests(version.Record))
        {
            _objects.Delete(manifest);
        }
    }

    /// <summary>
    /// Rewrites one version's record (its tags) in place: its entry in the versions range and, when it is the current
    /// version, the current record, in one batch conditional on both being unchanged.
    /// </summary>
    private async Task<ObjectRecord> UpdateVersionAsync(BucketRecord bucket, string key, string? versionId, string method, Action<ObjectRecord> change)
    {
        var gate = await LockKeyAsync(bucket.Name, key).ConfigureAwait(false);
        try
        {
            return await UpdateLockedAsync(bucket, key, versionId, method, change).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<ObjectRecord> UpdateLockedAsync(BucketRecord bucket, string key, string? versionId, string method, Action<ObjectRecord> change)
    {
        var currentKey = S3Keys.Object(bucket.Name, key);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var record = ReadableVersion(bucket, key, versionId, method);
            var versionKey = record.Stamp is null ? null : S3Keys.Version(bucket.Name, key, record.Stamp);
            var hasCurrent = _kv.TryGet(currentKey, out var currentBytes);
            var isCurrent = hasCurrent && ReadRecord(currentBytes).Stamp == record.Stamp;
            var before = versionKey is not null && _kv.TryGet(versionKey, out var versionBytes) ? versionBytes : isCurrent ? currentBytes : null;
            if (before is null)
            {
                continue;
            }

            change(record);
            var value = RecordBytes(record);
            var batch = new WriteBatch();
            var condition = new WriteCondition();
            if (versionKey is not null)
            {
                batch.Put(versionKey, value);
                condition.ValueEquals(versionKey, before);
            }

            if (isCurrent)
            {
                batch.Put(currentKey, value);
                condition.ValueEquals(currentKey, currentBytes);
            }

            if (await _kv.WriteAsync(batch, condition).ConfigureAwait(false))
            {
                return record;
            }
        }

        throw S3Errors.ConditionalRequestConflict();
    }

    /// <summary>A version as stored: its key in the versions range (null for a record older than versioning), its exact bytes, its record.</summary>
    private sealed record StoredVersion(byte[]? Key, byte[] Value, ObjectRecord Record);

    /// <summary>What a delete did: the version it removed or made (null: say nothing), and whether that is a delete marker.</summary>
    private readonly record struct DeleteOutcome(string? VersionId, bool DeleteMarker);
}
