using System.Runtime.CompilerServices;

namespace Stratus.Storage.Lsm;

/// <summary>
/// A skip list of internal entries. One writer at a time (the commit leader) and any number of lock-free readers:
/// a node is fully built before it is linked, and links are published with volatile writes.
/// </summary>
internal sealed class MemTable
{
    private const int MaxHeight = 12;
    private const int NodeOverhead = 80;

    private readonly Node _head = new([], 0, [], MaxHeight);
    private readonly Node[] _prev = new Node[MaxHeight];
    private int _height = 1;
    private ulong _random = 0x9E3779B97F4A7C15UL;
    private long _approximateBytes;
    private long _count;

    public MemTable(ulong walNumber)
    {
        WalNumber = walNumber;
    }

    /// <summary>The write-ahead log whose records this memtable holds.</summary>
    public ulong WalNumber { get; }

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

            Volatile.Write(ref _height, height);
        }

        var node = new Node(userKey.ToArray(), tag, value.ToArray(), height);
        for (var i = 0; i < height; i++)
        {
            node.Next[i] = prev[i].Next[i];
            Volatile.Write(ref prev[i].Next[i], node);
        }

        Interlocked.Add(ref _approximateBytes, userKey.Length + value.Length + NodeOverhead + (height * 8));
        Interlocked.Increment(ref _count);
    }

    /// <summary>Finds the newest entry for <paramref name="userKey"/> with a sequence at most <paramref name="sequence"/>.</summary>
    public bool TryGet(ReadOnlySpan<byte> userKey, ulong sequence, out EntryKind kind, out byte[] value)
    {
        var node = FindGreaterOrEqual(userKey, InternalKey.Tag(sequence, (EntryKind)0xFF), null);
        if (node != null && node.Key.AsSpan().SequenceEqual(userKey))
        {
            kind = InternalKey.KindOf(node.Tag);
            value = node.Value;
            return true;
        }

        kind = default;
        value = [];
        return false;
    }

    public IInternalIterator NewIterator() => new Iterator(this);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Compare(Node node, ReadOnlySpan<byte> userKey, ulong tag) =>
        InternalKey.Compare(node.Key, node.Tag, userKey, tag);

    private Node? FindGreaterOrEqual(ReadOnlySpan<byte> userKey, ulong tag, Node[]? prev)
    {
        var x = _head;
        var level = Volatile.Read(ref _height) - 1;
        while (true)
        {
            var next = Volatile.Read(ref x.Next[level]);
            if (next != null && Compare(next, userKey, tag) < 0)
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

    private Node FindLessThan(ReadOnlySpan<byte> userKey, ulong tag)
    {
        var x = _head;
        var level = Volatile.Read(ref _height) - 1;
        while (true)
        {
            var next = Volatile.Read(ref x.Next[level]);
            if (next != null && Compare(next, userKey, tag) < 0)
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

    private Node FindLast()
    {
        var x = _head;
        var level = Volatile.Read(ref _height) - 1;
        while (true)
        {
            var next = Volatile.Read(ref x.Next[level]);
            if (next != null)
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
        // xorshift64: only the single writer calls this.
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

    private sealed class Node(byte[] key, ulong tag, byte[] value, int height)
    {
        public readonly byte[] Key = key;
        public readonly ulong Tag = tag;
        public readonly byte[] Value = value;
        public readonly Node?[] Next = new Node?[height];
    }

    private sealed class Iterator(MemTable table) : IInternalIterator
    {
        private readonly MemTable _table = table;
        private Node? _node;

        public bool Valid => _node != null;

        public ReadOnlySpan<byte> UserKey => _node!.Key;

        public ulong Tag => _node!.Tag;

        public ReadOnlySpan<byte> Value => _node!.Value;

        public void SeekToFirst() => _node = Volatile.Read(ref _table._head.Next[0]);

        public void SeekToLast()
        {
            var last = _table.FindLast();
            _node = ReferenceEquals(last, _table._head) ? null : last;
        }

        public void Seek(ReadOnlySpan<byte> userKey, ulong tag) => _node = _table.FindGreaterOrEqual(userKey, tag, null);

        public void Next() => _node = Volatile.Read(ref _node!.Next[0]);

        public void Prev()
        {
            var before = _table.FindLessThan(_node!.Key, _node.Tag);
            _node = ReferenceEquals(before, _table._head) ? null : before;
        }

        public void Dispose()
        {
        }
    }
}
