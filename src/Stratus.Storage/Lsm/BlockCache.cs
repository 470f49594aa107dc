namespace Stratus.Storage.Lsm;

/// <summary>A byte-bounded LRU cache of SSTable blocks keyed by (file number, offset), sharded to spread lock contention.</summary>
internal sealed class BlockCache
{
    private const int ShardCount = 16;
    private readonly Shard[] _shards;
    private long _hits;
    private long _misses;

    public BlockCache(long capacity)
    {
        _shards = new Shard[ShardCount];
        for (var i = 0; i < ShardCount; i++)
        {
            _shards[i] = new Shard(Math.Max(1, capacity / ShardCount));
        }

        Capacity = capacity;
    }

    public long Capacity { get; }

    public long Hits => Volatile.Read(ref _hits);

    public long Misses => Volatile.Read(ref _misses);

    public long Usage
    {
        get
        {
            long total = 0;
            foreach (var shard in _shards)
            {
                total += shard.Usage;
            }

            return total;
        }
    }

    public bool TryGet(ulong fileNumber, long offset, out byte[] block)
    {
        if (ShardFor(fileNumber, offset).TryGet((fileNumber, offset), out block))
        {
            Interlocked.Increment(ref _hits);
            return true;
        }

        Interlocked.Increment(ref _misses);
        return false;
    }

    public void Insert(ulong fileNumber, long offset, byte[] block) => ShardFor(fileNumber, offset).Insert((fileNumber, offset), block);

    public void EvictFile(ulong fileNumber)
    {
        foreach (var shard in _shards)
        {
            shard.EvictFile(fileNumber);
        }
    }

    private Shard ShardFor(ulong fileNumber, long offset)
    {
        var h = (fileNumber * 0x9E3779B97F4A7C15UL) ^ (ulong)offset;
        h ^= h >> 29;
        return _shards[(int)(h % ShardCount)];
    }

    private sealed class Shard(long capacity)
    {
        private readonly long _capacity = capacity;
        private readonly Dictionary<(ulong, long), LinkedListNode<(ulong File, long Offset, byte[] Block)>> _map = [];
        private readonly LinkedList<(ulong File, long Offset, byte[] Block)> _lru = new();
        private readonly Lock _lock = new();
        private long _usage;

        public long Usage
        {
            get
            {
                lock (_lock)
                {
                    return _usage;
                }
            }
        }

        public bool TryGet((ulong, long) key, out byte[] block)
        {
            lock (_lock)
            {
                if (_map.TryGetValue(key, out var node))
                {
                    _lru.Remove(node);
                    _lru.AddFirst(node);
                    block = node.Value.Block;
                    return true;
                }
            }

            block = [];
            return false;
        }

        public void Insert((ulong File, long Offset) key, byte[] block)
        {
            if (block.Length > _capacity)
            {
                return;
            }

            lock (_lock)
            {
                if (_map.ContainsKey(key))
                {
                    return;
                }

                var node = _lru.AddFirst((key.File, key.Offset, block));
                _map[key] = node;
                _usage += block.Length;
                while (_usage > _capacity && _lru.Last is { } last)
                {
                    _lru.RemoveLast();
                    _map.Remove((last.Value.File, last.Value.Offset));
                    _usage -= last.Value.Block.Length;
                }
            }
        }

        public void EvictFile(ulong fileNumber)
        {
            lock (_lock)
            {
                var node = _lru.First;
                while (node != null)
                {
                    var next = node.Next;
                    if (node.Value.File == fileNumber)
                    {
                        _lru.Remove(node);
                        _map.Remove((node.Value.File, node.Value.Offset));
                        _usage -= node.Value.Block.Length;
                    }

                    node = next;
                }
            }
        }
    }
}
