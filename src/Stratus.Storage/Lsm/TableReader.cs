using System.Buffers.Binary;

namespace Stratus.Storage.Lsm;

/// <summary>Reads an SSTable by positional I/O: the index and bloom filter stay in memory, data blocks go through the cache.</summary>
internal sealed class TableReader : IDisposable
{
    [ThreadStatic]
    private static BlockIterator? _threadGetIterator;

    private readonly IReadableFile _file;
    private readonly BlockCache? _cache;
    private readonly byte[] _filter;
    private readonly byte[][] _indexKeys;
    private readonly long[] _offsets;
    private readonly int[] _sizes;

    private TableReader(IReadableFile file, string name, ulong number, BlockCache? cache, byte[] filter, byte[][] indexKeys, long[] offsets, int[] sizes)
    {
        _file = file;
        Name = name;
        Number = number;
        _cache = cache;
        _filter = filter;
        _indexKeys = indexKeys;
        _offsets = offsets;
        _sizes = sizes;
    }

    public string Name { get; }

    public ulong Number { get; }

    public int BlockCount => _offsets.Length;

    public static TableReader Open(IFileSystem fileSystem, string path, ulong number, BlockCache? cache)
    {
        var name = Path.GetFileName(path);
        var file = fileSystem.OpenRead(path);
        try
        {
            var length = file.Length;
            if (length < TableFormat.FooterSize)
            {
                throw new LsmCorruptionException(name, 0, $"file of {length} bytes is shorter than the footer");
            }

            Span<byte> footer = stackalloc byte[TableFormat.FooterSize];
            var footerOffset = length - TableFormat.FooterSize;
            if (file.Read(footer, footerOffset) != footer.Length)
            {
                throw new LsmCorruptionException(name, footerOffset, "short read of the footer");
            }

            if (BinaryPrimitives.ReadUInt64LittleEndian(footer[40..]) != TableFormat.Magic)
            {
                throw new LsmCorruptionException(name, footerOffset, "bad magic number in the footer (not an SSTable)");
            }

            if (BinaryPrimitives.ReadUInt32LittleEndian(footer[36..]) != Checksum.Crc32C(footer[..36]))
            {
                throw new LsmCorruptionException(name, footerOffset, "footer checksum mismatch");
            }

            var version = BinaryPrimitives.ReadUInt32LittleEndian(footer[32..]);
            if (version > TableFormat.Version)
            {
                throw new NotSupportedException(
                    $"{name} was written in SSTable format version {version}; this build reads up to version {TableFormat.Version}. Upgrade Stratus to open this directory.");
            }

            var filterOffset = BinaryPrimitives.ReadInt64LittleEndian(footer);
            var filterSize = BinaryPrimitives.ReadInt64LittleEndian(footer[8..]);
            var indexOffset = BinaryPrimitives.ReadInt64LittleEndian(footer[16..]);
            var indexSize = BinaryPrimitives.ReadInt64LittleEndian(footer[24..]);
            if (filterOffset < 0 || filterSize < 0 || indexOffset < 0 || indexSize < 4
                || filterOffset + filterSize + TableFormat.BlockTrailerSize > footerOffset
                || indexOffset + indexSize + TableFormat.BlockTrailerSize > footerOffset)
            {
                throw new LsmCorruptionException(name, footerOffset, "footer block handles out of range");
            }

            var filter = ReadVerified(file, name, filterOffset, (int)filterSize);
            var index = ReadVerified(file, name, indexOffset, (int)indexSize);
            var keys = new List<byte[]>();
            var offsets = new List<long>();
            var sizes = new List<int>();
            var iterator = new BlockIterator();
            iterator.Reset(index, (int)indexSize, name, indexOffset);
            for (iterator.SeekToFirst(); iterator.Valid; iterator.Next())
            {
                if (!TableBuilder.TryReadHandle(iterator.Value, out var offset, out var size) || offset < 0
                    || offset + size + TableFormat.BlockTrailerSize > filterOffset)
                {
                    throw new LsmCorruptionException(name, indexOffset, "bad block handle in the index");
                }

                keys.Add(iterator.InternalKeyBytes.ToArray());
                offsets.Add(offset);
                sizes.Add(size);
            }

            return new TableReader(file, name, number, cache, filter.AsSpan(0, (int)filterSize).ToArray(), [.. keys], [.. offsets], [.. sizes]);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public bool MayContain(ulong keyHash) => BloomFilter.MayContain(_filter, keyHash);

    /// <summary>Finds the newest entry for the key with sequence at most the given one.</summary>
    public bool TryGet(ReadOnlySpan<byte> userKey, ulong keyHash, ulong sequence, out EntryKind kind, out byte[] value)
    {
        kind = default;
        value = [];
        if (!MayContain(keyHash))
        {
            return false;
        }

        var tag = InternalKey.Tag(sequence, (EntryKind)0xFF);
        var block = FindBlock(userKey, tag);
        if (block >= _offsets.Length)
        {
            return false;
        }

        var iterator = _threadGetIterator ??= new BlockIterator();
        var data = ReadBlock(block);
        iterator.Reset(data, _sizes[block], Name, _offsets[block]);
        iterator.Seek(userKey, tag);
        if (!iterator.Valid || !iterator.UserKey.SequenceEqual(userKey))
        {
            return false;
        }

        kind = InternalKey.KindOf(iterator.Tag);
        value = iterator.Value.ToArray();
        return true;
    }

    /// <summary>Index of the first block whose last key is at or after the target.</summary>
    public int FindBlock(ReadOnlySpan<byte> userKey, ulong tag)
    {
        var left = 0;
        var right = _indexKeys.Length;
        while (left < right)
        {
            var mid = (left + right) >>> 1;
            var key = _indexKeys[mid];
            if (InternalKey.Compare(InternalKey.UserKey(key), InternalKey.TagOf(key), userKey, tag) < 0)
            {
                left = mid + 1;
            }
            else
            {
                right = mid;
            }
        }

        return left;
    }

    /// <summary>Reads a data block through the cache; <paramref name="fillCache"/> false keeps one-pass readers (compaction) from evicting hot blocks.</summary>
    public byte[] ReadBlock(int index, bool fillCache = true)
    {
        var offset = _offsets[index];
        if (_cache != null && _cache.TryGet(Number, offset, out var cached))
        {
            return cached;
        }

        byte[] block;
        if (fillCache && _cache != null)
        {
            // Cached blocks live long enough to be promoted; allocating them on the pinned object heap skips the
            // zeroing and the gen0 → gen1 → gen2 copies that otherwise dominate GC time in read-heavy workloads.
            block = GC.AllocateUninitializedArray<byte>(_sizes[index] + TableFormat.BlockTrailerSize, pinned: true);
            ReadVerifiedInto(_file, Name, offset, _sizes[index], block);
            _cache.Insert(Number, offset, block);
        }
        else
        {
            block = ReadVerified(_file, Name, offset, _sizes[index]);
        }

        return block;
    }

    /// <summary>Reads a data block for a one-pass reader: a cached copy if there is one, else into <paramref name="scratch"/> (reused, not cached).</summary>
    public byte[] ReadBlockUncached(int index, ref byte[]? scratch)
    {
        var offset = _offsets[index];
        if (_cache != null && _cache.TryGet(Number, offset, out var cached))
        {
            return cached;
        }

        var size = _sizes[index];
        if (scratch == null || scratch.Length < size + TableFormat.BlockTrailerSize)
        {
            scratch = new byte[Math.Max(size + TableFormat.BlockTrailerSize, 8192)];
        }

        ReadVerifiedInto(_file, Name, offset, size, scratch);
        return scratch;
    }

    public int BlockSize(int index) => _sizes[index];

    public long BlockOffset(int index) => _offsets[index];

    public IInternalIterator NewIterator(bool fillCache = true) => new TableIterator(this, fillCache);

    public void Dispose() => _file.Dispose();

    private static byte[] ReadVerified(IReadableFile file, string name, long offset, int size)
    {
        var buffer = new byte[size + TableFormat.BlockTrailerSize];
        ReadVerifiedInto(file, name, offset, size, buffer);
        return buffer;
    }

    private static void ReadVerifiedInto(IReadableFile file, string name, long offset, int size, byte[] buffer)
    {
        if (file.Read(buffer.AsSpan(0, size + TableFormat.BlockTrailerSize), offset) != size + TableFormat.BlockTrailerSize)
        {
            throw new LsmCorruptionException(name, offset, "short read of a block");
        }

        var kind = buffer[size];
        var stored = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(size + 1));
        if (kind != TableFormat.BlockUncompressed || stored != TableFormat.Crc32C(buffer.AsSpan(0, size), kind))
        {
            throw new LsmCorruptionException(name, offset, "block checksum mismatch");
        }
    }
}
