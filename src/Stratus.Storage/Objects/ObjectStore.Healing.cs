using System.Buffers;
using Microsoft.Win32.SafeHandles;
using Stratus.Storage.Integrity;

namespace Stratus.Storage.Objects;

public sealed partial class ObjectStore
{
    /// <summary>
    /// Verifies every shard block of the object against its hash (and the manifest against its Merkle root); with
    /// <paramref name="repair"/>, rewrites missing or corrupt shards (rebuilt from the sound ones, checked against their
    /// hashes, written under temporary names, fsynced, renamed) and re-verifies them. Shards on offline drives are
    /// reported but left until the drive returns.
    /// </summary>
    public ScrubReport Scrub(ObjectManifest manifest, bool repair = true)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (!manifest.HasConsistentRoot())
        {
            throw new InvalidDataException($"The manifest of object {manifest.ObjectId} does not match its Merkle root.");
        }

        if (manifest.IsInline)
        {
            return new ScrubReport(manifest.ObjectId, [], [], true);
        }

        var damaged = FindDamage(manifest);
        if (damaged.Count == 0)
        {
            return new ScrubReport(manifest.ObjectId, damaged, [], true);
        }

        if (damaged.Count > manifest.ParityShards)
        {
            return new ScrubReport(manifest.ObjectId, damaged, [], false);
        }

        var repairable = new List<int>();
        foreach (var d in damaged)
        {
            if (d.Fault != ShardFault.DriveOffline)
            {
                repairable.Add(d.Shard);
            }
            else
            {
                ReportDamage(d); // still to heal when the drive returns
            }
        }

        if (repair && repairable.Count > 0)
        {
            Rebuild(manifest, damaged, repairable);
            var after = FindDamage(manifest);
            repairable.RemoveAll(s => after.Exists(d => d.Shard == s));
        }
        else
        {
            repairable.Clear();
        }

        return new ScrubReport(manifest.ObjectId, damaged, repairable, true);
    }

    /// <summary>
    /// Heals the objects named in the damage queue: <paramref name="lookup"/> gives the committed manifest of an object id
    /// (null if the object is gone). Returns what each scrub found and repaired.
    /// </summary>
    public IReadOnlyList<ScrubReport> HealPending(Func<string, ObjectManifest?> lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        var reports = new List<ScrubReport>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var damage in DrainDamage())
        {
            if (seen.Add(damage.ObjectId) && lookup(damage.ObjectId) is { } manifest)
            {
                reports.Add(Scrub(manifest));
            }
        }

        return reports;
    }

    /// <summary>
    /// Deletes shard files whose object id <paramref name="isReferenced"/> does not know, skipping files younger than
    /// <paramref name="minimumAge"/> (a PUT whose manifest is not committed yet). Returns how many files were deleted.
    /// </summary>
    public int RemoveOrphans(Func<string, bool> isReferenced, TimeSpan minimumAge)
    {
        ArgumentNullException.ThrowIfNull(isReferenced);
        var now = _options.TimeProvider.GetUtcNow().UtcDateTime;
        var removed = 0;
        for (var d = 0; d < _drives.Length; d++)
        {
            if (IsDriveOffline(d))
            {
                continue;
            }

            foreach (var path in Directory.EnumerateFiles(_drives[d], "*", SearchOption.AllDirectories))
            {
                var name = Path.GetFileName(path);
                var dot = name.IndexOf('.', StringComparison.Ordinal);
                if (dot != 32 || name.EndsWith(TemporarySuffix, StringComparison.Ordinal) || isReferenced(name[..dot]))
                {
                    continue;
                }

                if (now - File.GetLastWriteTimeUtc(path) >= minimumAge)
                {
                    TryDelete(path);
                    removed++;
                }
            }
        }

        return removed;
    }

    private List<ShardDamage> FindDamage(ObjectManifest manifest)
    {
        var damaged = new List<ShardDamage>();
        var buffer = ArrayPool<byte>.Shared.Rent(manifest.ShardStride);
        try
        {
            using var reader = new ShardReader(this, manifest);
            for (var s = 0; s < manifest.TotalShards; s++)
            {
                for (var b = 0; b < manifest.BlockCount; b++)
                {
                    if (!reader.TryReadShardBlock(s, b, buffer.AsSpan(0, manifest.ShardBlockLength(b))))
                    {
                        damaged.Add(new ShardDamage(manifest.ObjectId, s, reader.Faults[s]!.Value));
                        break;
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        // A scrub reports what it found in its result; the queue is for damage found on the read path.
        DropQueued(manifest.ObjectId);
        return damaged;
    }

    private void Rebuild(ObjectManifest manifest, List<ShardDamage> damaged, List<int> targets)
    {
        var n = manifest.TotalShards;
        var stride = manifest.ShardStride;
        var buffers = new byte[n][];
        var handles = new SafeFileHandle?[n];
        var present = new bool[n];
        var rebuild = new bool[n];
        for (var s = 0; s < n; s++)
        {
            present[s] = !damaged.Exists(d => d.Shard == s);
        }

        foreach (var t in targets)
        {
            rebuild[t] = true;
        }

        try
        {
            for (var s = 0; s < n; s++)
            {
                buffers[s] = ArrayPool<byte>.Shared.Rent(stride);
            }

            foreach (var t in targets)
            {
                var path = ShardPath(manifest.DriveOf(t), manifest.ObjectId, t) + TemporarySuffix;
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                handles[t] = File.OpenHandle(path, FileMode.Create, FileAccess.Write, FileShare.None);
            }

            using var reader = new ShardReader(this, manifest);
            var shards = new Memory<byte>[n];
            for (var b = 0; b < manifest.BlockCount; b++)
            {
                var length = manifest.ShardBlockLength(b);
                for (var s = 0; s < n; s++)
                {
                    shards[s] = buffers[s].AsMemory(0, length);
                    if (present[s] && !reader.TryReadShardBlock(s, b, shards[s].Span))
                    {
                        present[s] = false; // went bad since the scan; the codec needs only K
                    }
                }

                if (!Codec.TryReconstruct(shards, present, rebuild))
                {
                    throw new Erasure.InsufficientShardsException($"Object {manifest.ObjectId}, block {b}: too few sound shards left to heal from.");
                }

                foreach (var t in targets)
                {
                    if (ShardBlockHash.Compute(shards[t].Span) != manifest.ShardBlockHash(b, t))
                    {
                        throw new InvalidDataException($"Object {manifest.ObjectId}, block {b}: rebuilt shard {t} does not match its hash.");
                    }

                    RandomAccess.Write(handles[t]!, shards[t].Span, (long)b * stride);
                }
            }

            foreach (var t in targets)
            {
                RandomAccess.FlushToDisk(handles[t]!);
                handles[t]!.Dispose();
                var path = ShardPath(manifest.DriveOf(t), manifest.ObjectId, t);
                File.Move(path + TemporarySuffix, path, overwrite: true);
                DirectorySync.Flush(Path.GetDirectoryName(path)!);
            }
        }
        finally
        {
            foreach (var t in targets)
            {
                if (handles[t] is { IsClosed: false } handle)
                {
                    handle.Dispose();
                    TryDelete(ShardPath(manifest.DriveOf(t), manifest.ObjectId, t) + TemporarySuffix);
                }
            }

            foreach (var buffer in buffers)
            {
                if (buffer is not null)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
    }

    private void DropQueued(string objectId)
    {
        var count = _damage.Count;
        for (var i = 0; i < count && _damage.TryDequeue(out var d); i++)
        {
            if (!string.Equals(d.ObjectId, objectId, StringComparison.Ordinal))
            {
                _damage.Enqueue(d);
            }
        }
    }
}
