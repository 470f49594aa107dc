using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Stratus.Storage.Lsm;

/// <summary>
/// A skip list of internal entries laid out in 1 MiB byte-array chunks (an arena), so a 64 MiB memtable is a few dozen
/// objects for the garbage collector instead of millions. One writer at a time (the commit leader) and any number of
/// lock-free readers: a node is fully written before it is linked, and links are 8-byte aligned volatile writes.
/// </summary>
internal sealed class MemTable
{
    private const int MaxHeight = 12;
    private const int MaxChunkSize = 1 << 20;

    // Node layout, 8-byte aligned: [tag:8][key length:4][value length:4][height:4][pad:4][next:8 × height][key][value].
    // A link is a handle: ((chunk index + 1) << 32) | offset; 0 is null.
    private const int HeaderSize = 24;

    private readonly int _chunkSize;
    private byte[][] _chunks = new byte[16][];
    private int _chunkCount;
    private int _chunkOffset;
    private readonly long _head;
    private int _height = 1;
    private ulong _random = 0x9E3779B97F4A7C15UL;
    private long _approximateBytes;
    private long _count;
    private readonly long[] _prev = new long[MaxHeight];

    public MemTable(ulong walNumber, long memTableSize = 64L << 20)
    {
        WalNumber = walNumber;
        WalNumbers.Add(walNumber);

        // Big memtables use 1 MiB chunks (large-object heap, never moved); tiny test memtables use small ones.
        _chunkSize = (int)Math.Clamp(memTableSize / 8, 4096, MaxChunkSize);
        _chunks[0] = new byte[_chunkSize];
        _chunkCount = 1;
        _chunkOffset = 8; // offset 0 of chunk 0 would make a handle look like a real one for the head; keep it distinct anyway.
        _head = Allocate(MaxHeight, 0, 0, out _);
    }

    /// <summary>The first write-ahead log whose records this memtable holds.</summary>
    public ulong WalNumber { get; }

    /// <summary>
    /// Every log whose records this memtable holds, oldest first: <see cref="WalNumber"/>, then the logs its writes rolled
    /// on to (only the engine's leader adds to it, and only while this memtable is the active one).
    /// </summary>
    public List<ulong> WalNumbers { get; } = [];

    /// <summary>Bytes of arena in use (the memtable holds at most one partly filled chunk more).</summary>
    public long ApproximateBytes => Volatile.Read(ref _approximateBytes);

    public long Count => Volatile.Read(ref _count);

    public bool IsEmpty => Volatile.Read(ref _count) == 0;

    /// <summary>Adds an entry; the caller guarantees a single writer and a unique (key, tag).</summary>
    public void Add(ReadOnlySpan<byte> userKey, ulong tag, ReadOnlySpan<byte> value)
    {
        var prev = _prev;
        _ = FindGreaterOrEqual(userKey, tag, prev);
        var height = RandomHeight();
        var currentHeight = Volatile.Read(ref _height);
        if (height > currentHeight)
        {
            for (var i = currentHeight; i < height; i++)
            {
                prev[i] = _head;
            }
        }

        var node = Allocate(height, userKey.Length, value.Length, out var offset);
        var chunk = Chunk(node);
        BinaryPrimitives.WriteUInt64LittleEndian(chunk.AsSpan(offset), tag);
        var keyStart = offset + HeaderSize + (height * 8);
        userKey.CopyTo(chunk.AsSpan(keyStart));
        value.CopyTo(chunk.AsSpan(keyStart + userKey.Length));
        for (var i = 0; i < height; i++)
        {
            NextRef(chunk, offset, i) = Volatile.Read(ref NextRef(Chunk(prev[i]), Offset(prev[i]), i));
        }

        // Publish bottom-up: a reader that finds the node at level i can follow it at every level below.
        for (var i = 0; i < height; i++)
        {
            Volatile.Write(ref NextRef(Chunk(prev[i]), Offset(prev[i]), i), node);
        }

        if (height > currentHeight)
        {
            Volatile.Write(ref _height, height);
        }

        Interlocked.Increment(ref _count);
    }

    /// <summary>Finds the newest entry for <paramref name="userKey"/> with a sequence at most <paramref name="sequence"/>.</summary>
    public bool TryGet(ReadOnlySpan<byte> userKey, ulong sequence, out EntryKind kind, out byte[] value)
    {
        var node = FindGreaterOrEqual(userKey, InternalKey.Tag(sequence, (EntryKind)0xFF), null);
        if (node != 0 && KeyOf(node).SequenceEqual(userKey))
        {
            var tag = TagOf(node);
            kind = InternalKey.KindOf(tag);
            value = kind == EntryKind.Put ? ValueOf(node).ToArray() : [];
            return true;
        }

        kind = default;
        value = [];
        return false;
    }

    public IInternalIterator NewIterator() => new Iterator(this);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Offset(long handle) => (int)handle;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private byte[] Chunk(long handle) => Volatile.Read(ref _chunks)[(int)(handle >> 32) - 1];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref long NextRef(byte[] chunk, int offset, int level) =>
        ref Unsafe.As<byte, long>(ref chunk[offset + HeaderSize + (level * 8)]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long Next(long node, int level) => Volatile.Read(ref NextRef(Chunk(node), Offset(node), level));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong TagOf(long node) => BinaryPrimitives.ReadUInt64LittleEndian(Chunk(node).AsSpan(Offset(node)));

    private ReadOnlySpan<byte> KeyOf(long node)
    {
        var chunk = Chunk(node);
        var offset = Offset(node);
        var keyLength = BinaryPrimitives.ReadInt32LittleEndian(chunk.AsSpan(offset + 8));
        var height = BinaryPrimitives.ReadInt32LittleEndian(chunk.AsSpan(offset + 16));
        return chunk.AsSpan(offset + HeaderSize + (height * 8), keyLength);
    }

    private ReadOnlySpan<byte> ValueOf(long node)
    {
        var chunk = Chunk(node);
        var offset = Offset(node);
        var keyLength = BinaryPrimitives.ReadInt32LittleEndian(chunk.AsSpan(offset + 8));
        var valueLength = BinaryPrimitives.ReadInt32LittleEndian(chunk.AsSpan(offset + 12));
        var height = BinaryPrimitives.ReadInt32LittleEndian(chunk.AsSpan(offset + 16));
        return chunk.AsSpan(offset + HeaderSize + (height * 8) + keyLength, valueLength);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Compare(long node, ReadOnlySpan<byte> userKey, ulong tag)
    {
        var chunk = Chunk(node);
        var offset = Offset(node);
        var keyLength = BinaryPrimitives.ReadInt32LittleEndian(chunk.AsSpan(offset + 8));
        var height = BinaryPrimitives.ReadInt32LittleEndian(chunk.AsSpan(offset + 16));
        var c = chunk.AsSpan(offset + HeaderSize + (height * 8), keyLength).SequenceCompareTo(userKey);
        if (c != 0)
        {
            return c;
        }

        return tag.CompareTo(BinaryPrimitives.ReadUInt64LittleEndian(chunk.AsSpan(offset)));
    }

    private long Allocate(int height, int keyLength, int valueLength, out int offset)
    {
        var size = (HeaderSize + (height * 8) + keyLength + valueLength + 7) & ~7;
        if (_chunkOffset + size > Volatile.Read(ref _chunks)[_chunkCount - 1].Length)
        {
            // Not zeroed: every node's header and links are written before the node is published, and nothing reads the rest.
            var chunk = GC.AllocateUninitializedArray<byte>(Math.Max(_chunkSize, size));
            var chunks = _chunks;
            if (_chunkCount == chunks.Length)
            {
                var grown = new byte[chunks.Length * 2][];
                Array.Copy(chunks, grown, chunks.Length);
                chunks = grown;
            }

            chunks[_chunkCount] = chunk;
            Volatile.Write(ref _chunks, chunks);
            _chunkCount++;
            _chunkOffset = 0;
        }

        offset = _chunkOffset;
        _chunkOffset += size;
        var target = _chunks[_chunkCount - 1].AsSpan(offset, HeaderSize);
        target.Clear();
        BinaryPrimitives.WriteInt32LittleEndian(target[8..], keyLength);
        BinaryPrimitives.WriteInt32LittleEndian(target[12..], valueLength);
        BinaryPrimitives.WriteInt32LittleEndian(target[16..], height);
        _chunks[_chunkCount - 1].AsSpan(offset + HeaderSize, height * 8).Clear();
        Interlocked.Add(ref _approximateBytes, size);
        return ((long)_chunkCount << 32) | (uint)offset;
    }

    private long FindGreaterOrEqual(ReadOnlySpan<byte> userKey, ulong tag, long[]? prev)
    {
        var x = _head;
        var level = Volatile.Read(ref _height) - 1;
        while (true)
        {
            var next = Next(x, level);
            if (next != 0 && Compare(next, userKey, tag) < 0)
            {
                x = next;
            }
            else
            {
                if (prev != null)
                {
                    prev[level] = x;
                }

                if (level == 0)
                {
                    return next;
                }

                level--;
            }
        }
    }

    private long FindLessThan(ReadOnlySpan<byte> userKey, ulong tag)
    {
        var x = _head;
        var level = Volatile.Read(ref _height) - 1;
        while (true)
        {
            var next = Next(x, level);
            if (next != 0 && Compare(next, userKey, tag) < 0)
            {
                x = next;
            }
            else if (level == 0)
            {
                return x;
            }
            else
            {
                level--;
            }
        }
    }

    private long FindLast()
    {
        var x = _head;
        var level = Volatile.Read(ref _height) - 1;
        while (true)
        {
            var next = Next(x, level);
            if (next != 0)
            {
                x = next;
            }
            else if (level == 0)
            {
                return x;
            }
            else
            {
                level--;
            }
        }
    }

    private int RandomHeight()
    {
        // xorshift64 with branching factor 4; only the single writer calls this.
        var height = 1;
        while (height < MaxHeight)
        {
            _random ^= _random << 13;
            _random ^= _random >> 7;
            _random ^= _random << 17;
            if ((_random & 3) != 0)
            {
                break;
            }

            height++;
        }

        return height;
    }

    private sealed class Iterator(MemTable table) : IInternalIterator
    {
        private readonly MemTable _table = table;
        private long _node;

        public bool Valid => _node != 0;

        public ReadOnlySpan<byte> UserKey => _table.KeyOf(_node);

        public ulong Tag => _table.TagOf(_node);

        public ReadOnlySpan<byte> Value => _table.ValueOf(_node);

        public void SeekToFirst() => _node = _table.Next(_table._head, 0);

        public void SeekToLast()
        {
            var last = _table.FindLast();
            _node = last == _table._head ? 0 : last;
        }

        public void Seek(ReadOnlySpan<byte> userKey, ulong tag) => _node = _table.FindGreaterOrEqual(userKey, tag, null);

        public void Next() => _node = _table.Next(_node, 0);

        public void Prev()
        {
            var before = _table.FindLessThan(_table.KeyOf(_node), _table.TagOf(_node));
            _node = before == _table._head ? 0 : before;
        }

        public void Dispose()
        {
        }
    }
}
