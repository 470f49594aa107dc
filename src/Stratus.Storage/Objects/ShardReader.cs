using System.Buffers;
using Microsoft.Win32.SafeHandles;
using Stratus.Storage.Erasure;
using Stratus.Storage.Integrity;

namespace Stratus.Storage.Objects;

/// <summary>
/// Reads one object's shard blocks, checking each against its hash, and rebuilds a block from whichever K shards are
/// sound. Keeps each shard file open for the reader's life and reports each damaged shard once.
/// </summary>
internal sealed class ShardReader : IDisposable
{
    private readonly ObjectStore _store;
    private readonly ObjectManifest _manifest;
    private readonly SafeFileHandle?[] _handles;
    private readonly ShardFault?[] _faults;
    private readonly byte[][] _parity;

    public ShardReader(ObjectStore store, ObjectManifest manifest)
    {
        _store = store;
        _manifest = manifest;
        _handles = new SafeFileHandle?[manifest.TotalShards];
        _faults = new ShardFault?[manifest.TotalShards];
        _parity = new byte[manifest.ParityShards][];
        for (var p = 0; p < _parity.Length; p++)
        {
            _parity[p] = ArrayPool<byte>.Shared.Rent(manifest.ShardStride);
        }
    }

    /// <summary>Shards found damaged so far.</summary>
    public ShardFault?[] Faults => _faults;

    /// <summary>
    /// Puts bytes [<paramref name="from"/>, <paramref name="to"/>) of block <paramref name="block"/> at their offsets in
    /// <paramref name="destination"/> (at least K × stride long). Reads only the data shards that hold the range; for
    /// each of those that is missing or corrupt, reads further shards (other data first, then parity) until K are sound,
    /// rebuilds just the needed ones and checks them against their hashes. Other bytes of the destination are undefined.
    /// </summary>
    public void ReadBlock(int block, byte[] destination, int from, int to)
    {
        var k = _manifest.DataShards;
        var n = _manifest.TotalShards;
        var shardLength = _manifest.ShardBlockLength(block);
        if (to <= from)
        {
            return;
        }

        var shards = new Memory<byte>[n];
        var present = new bool[n];
        var rebuild = new bool[n];
        for (var s = 0; s < k; s++)
        {
            shards[s] = destination.AsMemory(s * shardLength, shardLength);
        }

        for (var p = 0; p < _parity.Length; p++)
        {
            shards[k + p] = _parity[p].AsMemory(0, shardLength);
        }

        var first = from / shardLength;
        var last = (to - 1) / shardLength;
        var sound = 0;
        var missing = 0;
        for (var s = first; s <= last; s++)
        {
            if (TryReadShardBlock(s, block, shards[s].Span))
            {
                present[s] = true;
                sound++;
            }
            else
            {
                rebuild[s] = true;
                missing++;
            }
        }

        if (missing == 0)
        {
            return;
        }

        for (var s = 0; s < n && sound < k; s++)
        {
            if ((s < first || s > last) && TryReadShardBlock(s, block, shards[s].Span))
            {
                present[s] = true;
                sound++;
            }
        }

        if (sound < k || !_store.Codec.TryReconstruct(shards, present, rebuild))
        {
            throw new InsufficientShardsException(
                $"Object {_manifest.ObjectId}, block {block}: only {sound} of {n} shards are readable and sound; {k} are needed.");
        }

        for (var s = first; s <= last; s++)
        {
            if (rebuild[s] && ShardBlockHash.Compute(shards[s].Span) != _manifest.ShardBlockHash(block, s))
            {
                throw new InvalidDataException($"Object {_manifest.ObjectId}, block {block}: rebuilt shard {s} does not match its hash.");
            }
        }
    }

    /// <summary>Reads one shard block into <paramref name="destination"/> (exactly its length) and checks its hash; reports the shard if not sound.</summary>
    public bool TryReadShardBlock(int shard, int block, Span<byte> destination)
    {
        if (_faults[shard] is not null)
        {
            return false;
        }

        var drive = _manifest.DriveOf(shard);
        if (_store.IsDriveOffline(drive))
        {
            return Fail(shard, ShardFault.DriveOffline);
        }

        try
        {
            _handles[shard] ??= File.OpenHandle(_store.ShardPath(drive, _manifest.ObjectId, shard), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var offset = (long)block * _manifest.ShardStride;
            var read = 0;
            while (read < destination.Length)
            {
                var n = RandomAccess.Read(_handles[shard]!, destination[read..], offset + read);
                if (n == 0)
                {
                    return Fail(shard, ShardFault.Missing);
                }

                read += n;
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Fail(shard, ShardFault.Missing);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(shard, ShardFault.Missing);
        }

        if (ShardBlockHash.Compute(destination) != _manifest.ShardBlockHash(block, shard))
        {
            return Fail(shard, ShardFault.Corrupt);
        }

        return true;
    }

    public void Dispose()
    {
        foreach (var handle in _handles)
        {
            handle?.Dispose();
        }

        foreach (var buffer in _parity)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private bool Fail(int shard, ShardFault fault)
    {
        _faults[shard] = fault;
        _store.ReportDamage(new ShardDamage(_manifest.ObjectId, shard, fault));
        return false;
    }
}
