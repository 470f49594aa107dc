using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using Stratus.Storage.Erasure;
using Stratus.Storage.Integrity;

namespace Stratus.Storage.Objects;

/// <summary>
/// Object data on N simulated drives (<c>drives/d0 … dN-1</c>): each object is streamed in, cut into blocks, each block
/// Reed–Solomon coded into K data + M parity shards, one shard file per drive; every shard block is hashed. Writes go to
/// temporary names, are fsynced and renamed, and return an <see cref="ObjectManifest"/> that the caller commits to its
/// metadata store: until then the object does not exist, and its shards are orphans that <see cref="RemoveOrphans"/>
/// deletes. Small objects go into the manifest with no shards. Reads reconstruct around missing or corrupt shards and
/// queue them for healing. Thread-safe.
/// </summary>
public sealed partial class ObjectStore
{
    private const string TemporarySuffix = ".tmp";

    private readonly ObjectStoreOptions _options;
    private readonly string[] _drives;
    private readonly bool[] _offline;
    private readonly ConcurrentQueue<ShardDamage> _damage = new();

    private ObjectStore(ObjectStoreOptions options, string[] drives, int writeQuorum)
    {
        _options = options;
        _drives = drives;
        _offline = new bool[drives.Length];
        WriteQuorum = writeQuorum;
        Codec = new ReedSolomonCodec(drives.Length - options.ParityShards, options.ParityShards, options.Kernel);
    }

    /// <summary>K: data shards per block.</summary>
    public int DataShards => Codec.DataShards;

    /// <summary>M: parity shards per block.</summary>
    public int ParityShards => Codec.ParityShards;

    /// <summary>N = K + M drives.</summary>
    public int DriveCount => _drives.Length;

    /// <summary>Shards that must be written durably for a PUT to succeed.</summary>
    public int WriteQuorum { get; }

    /// <summary>Temporary shard files (left by a crash mid-write) that <see cref="Open"/> deleted.</summary>
    public int RemovedTemporaryFiles { get; private set; }

    internal ReedSolomonCodec Codec { get; }

    /// <summary>Opens (creating if needed) the drives under the data directory and deletes temporary files left by a crash.</summary>
    public static ObjectStore Open(ObjectStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Drives, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Drives, 256);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ParityShards, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(options.ParityShards, options.Drives);
        var k = options.Drives - options.ParityShards;
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BlockSize, k);
        ArgumentOutOfRangeException.ThrowIfNegative(options.InlineThreshold);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(options.InlineThreshold, options.BlockSize);
        var quorum = options.WriteQuorum == 0 ? k + (k == options.ParityShards ? 1 : 0) : options.WriteQuorum;
        ArgumentOutOfRangeException.ThrowIfLessThan(quorum, k, nameof(options.WriteQuorum));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quorum, options.Drives, nameof(options.WriteQuorum));

        var drives = new string[options.Drives];
        var removed = 0;
        for (var d = 0; d < drives.Length; d++)
        {
            drives[d] = Path.Combine(options.DataDirectory, "drives", $"d{d}");
            Directory.CreateDirectory(drives[d]);
            foreach (var temporary in Directory.EnumerateFiles(drives[d], "*" + TemporarySuffix, SearchOption.AllDirectories))
            {
                File.Delete(temporary);
                removed++;
            }
        }

        return new ObjectStore(options, drives, quorum) { RemovedTemporaryFiles = removed };
    }

    // Bytes read before deciding whether an object is small enough to keep inline.
    private const int SmallHead = 16 << 10;

    /// <summary>
    /// Streams <paramref name="content"/> in, one block in memory at a time, and stores it. Throws
    /// <see cref="WriteQuorumException"/> (leaving nothing behind) when fewer than <see cref="WriteQuorum"/> drives take it.
    /// </summary>
    public async Task<ObjectManifest> PutAsync(Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var k = DataShards;
        var n = DriveCount;
        var blockSize = _options.BlockSize;
        var stride = (blockSize + k - 1) / k;
        var objectId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

        // Most objects are small: read the first bytes into a small buffer, so that a small object never rents a whole
        // block buffer (which the pool keeps only a few of per core: under concurrency the rest are fresh large-object
        // heap arrays, zeroed and collected in full GCs).
        var headSize = Math.Min(SmallHead, _options.InlineThreshold) + 1;
        var head = ArrayPool<byte>.Shared.Rent(headSize);
        int headLength;
        byte[] block;
        try
        {
            headLength = await FillAsync(content, head.AsMemory(0, headSize), cancellationToken);
            if (headLength < headSize)
            {
                return ObjectManifest.ForInline(objectId, head.AsSpan(0, headLength).ToArray());
            }

            // Parity shards follow the data shards in the same buffer: equally spaced shards keep the kernel's loads and
            // stores from landing a few bytes apart modulo 4 KiB, which stalls loads (4K aliasing).
            block = ArrayPool<byte>.Shared.Rent(stride * n);
            head.AsSpan(0, headLength).CopyTo(block);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(head);
        }

        var handles = new SafeFileHandle?[n];
        var failed = new bool[n];
        var drives = Placement(objectId);
        try
        {
            var filled = headLength + await FillAsync(content, block.AsMemory(headLength, blockSize - headLength), cancellationToken);
            if (filled <= _options.InlineThreshold)
            {
                return ObjectManifest.ForInline(objectId, block.AsSpan(0, filled).ToArray());
            }


            for (var s = 0; s < n; s++)
            {
                handles[s] = TryCreate(drives[s], objectId, s);
                failed[s] = handles[s] is null;
            }

            CheckQuorum(failed, objectId);
            var hashes = new List<ulong>();
            var shards = new Memory<byte>[n];
            long size = 0;
            for (var index = 0; ; index++)
            {
                size += filled;
                var shardLength = (filled + k - 1) / k;
                block.AsSpan(filled, (shardLength * k) - filled).Clear();
                for (var s = 0; s < n; s++)
                {
                    shards[s] = block.AsMemory(s * shardLength, shardLength);
                }

                Codec.Encode(shards);
                for (var s = 0; s < n; s++)
                {
                    hashes.Add(ShardBlockHash.Compute(shards[s].Span));
                    if (!failed[s])
                    {
                        failed[s] = !await TryWriteAsync(handles[s]!, drives[s], shards[s], (long)index * stride, cancellationToken);
                    }
                }

                CheckQuorum(failed, objectId);
                if (filled < blockSize)
                {
                    break;
                }

                filled = await FillAsync(content, block.AsMemory(0, blockSize), cancellationToken);
                if (filled == 0)
                {
                    break;
                }
            }

            Commit(objectId, drives, handles, failed);
            for (var s = 0; s < n; s++)
            {
                if (failed[s])
                {
                    _damage.Enqueue(new ShardDamage(objectId, s, IsDriveOffline(drives[s]) ? ShardFault.DriveOffline : ShardFault.Missing));
                }
            }

            return ObjectManifest.ForShards(objectId, size, blockSize, k, ParityShards, drives, [.. hashes]);
        }
        catch
        {
            DisposeAll(handles);
            RemoveShardFiles(objectId, drives);
            throw;
        }
        finally
        {
            DisposeAll(handles);
            ArrayPool<byte>.Shared.Return(block);
        }
    }

    /// <summary>Deletes the object's shard files on the drives that are online; shards on offline drives become orphans.</summary>
    public void Delete(ObjectManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (!manifest.IsInline)
        {
            RemoveShardFiles(manifest.ObjectId, Drives(manifest));
        }
    }

    /// <summary>Damage found since the last call (by writes that missed a drive, reads, and scrubs), for a healer to act on.</summary>
    public IReadOnlyList<ShardDamage> DrainDamage()
    {
        var drained = new List<ShardDamage>();
        while (_damage.TryDequeue(out var damage))
        {
            if (!drained.Contains(damage))
            {
                drained.Add(damage);
            }
        }

        return drained;
    }

    internal string ShardPath(int drive, string objectId, int shard) => Path.Combine(_drives[drive], objectId[..2], $"{objectId}.{shard}");

    internal void ReportDamage(ShardDamage damage) => _damage.Enqueue(damage);

    /// <summary>Shard s goes to drive (r + s) mod N, r taken from the id, so objects spread parity over every drive.</summary>
    private int[] Placement(string objectId)
    {
        var rotation = Convert.ToInt32(objectId[..2], 16) % DriveCount;
        var drives = new int[DriveCount];
        for (var s = 0; s < drives.Length; s++)
        {
            drives[s] = (rotation + s) % DriveCount;
        }

        return drives;
    }

    private static int[] Drives(ObjectManifest manifest)
    {
        var drives = new int[manifest.TotalShards];
        for (var s = 0; s < drives.Length; s++)
        {
            drives[s] = manifest.DriveOf(s);
        }

        return drives;
    }

    private SafeFileHandle? TryCreate(int drive, string objectId, int shard)
    {
        if (IsDriveOffline(drive))
        {
            return null;
        }

        var path = ShardPath(drive, objectId, shard);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            return File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            SetDriveOffline(drive, true);
            return null;
        }
    }

    private async Task<bool> TryWriteAsync(SafeFileHandle handle, int drive, ReadOnlyMemory<byte> data, long offset, CancellationToken cancellationToken)
    {
        if (IsDriveOffline(drive))
        {
            return false;
        }

        try
        {
            await RandomAccess.WriteAsync(handle, data, offset, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            SetDriveOffline(drive, true);
            return false;
        }
    }

    /// <summary>
    /// fsync every shard, then its directory (the shard's name is new there); a drive failing either step drops out. Drives
    /// are flushed in parallel: on real drives each fsync waits on its own device. Shards are written under their final
    /// names, with no temporary name and rename: an object id is never reused, and nothing refers to the shards until the
    /// caller commits the manifest, so a crash before that leaves unreferenced shards, which the start-up sweep removes.
    /// </summary>
    private void Commit(string objectId, int[] drives, SafeFileHandle?[] handles, bool[] failed)
    {
        // The shards' fsyncs and their directories' fsyncs all run at once: both must be done before the manifest is
        // returned, and neither needs the other first (a crash before both leaves an unreferenced shard either way).
        var n = handles.Length;
        Parallel.For(0, 2 * n, i =>
        {
            var s = i % n;
            if (failed[s] || IsDriveOffline(drives[s]))
            {
                failed[s] = true;
                return;
            }

            try
            {
                if (i < n)
                {
                    RandomAccess.FlushToDisk(handles[s]!);
                }
                else
                {
                    DirectorySync.Flush(Path.GetDirectoryName(ShardPath(drives[s], objectId, s))!);
                }
            }
            catch (IOException)
            {
                SetDriveOffline(drives[s], true);
                failed[s] = true;
            }
        });

        DisposeAll(handles);
        CheckQuorum(failed, objectId);
    }

    private void CheckQuorum(bool[] failed, string objectId)
    {
        var written = 0;
        foreach (var f in failed)
        {
            written += f ? 0 : 1;
        }

        if (written < WriteQuorum)
        {
            throw new WriteQuorumException(
                $"Object {objectId} was not stored: only {written} of {failed.Length} drives took its shards and the write quorum is {WriteQuorum}.");
        }
    }

    private void RemoveShardFiles(string objectId, int[] drives)
    {
        for (var s = 0; s < drives.Length; s++)
        {
            if (IsDriveOffline(drives[s]))
            {
                continue;
            }

            var path = ShardPath(drives[s], objectId, s);
            TryDelete(path);
            TryDelete(path + TemporarySuffix);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left behind: RemoveOrphans or the next Open deletes it.
        }
    }

    private static void DisposeAll(SafeFileHandle?[] handles)
    {
        for (var i = 0; i < handles.Length; i++)
        {
            handles[i]?.Dispose();
            handles[i] = null;
        }
    }

    private static async Task<int> FillAsync(Stream content, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await content.ReadAsync(buffer[filled..], cancellationToken);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }
}
