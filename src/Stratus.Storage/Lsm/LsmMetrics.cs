namespace Stratus.Storage.Lsm;

/// <summary>A point-in-time reading of the engine's counters, for <c>/_stratus/metrics</c> and the dashboard.</summary>
public sealed record LsmMetrics
{
    /// <summary>File count and bytes per level, L0 first.</summary>
    public required IReadOnlyList<LevelMetrics> Levels { get; init; }

    /// <summary>Key and value bytes that callers wrote.</summary>
    public long UserBytesWritten { get; init; }

    /// <summary>Bytes appended to write-ahead logs.</summary>
    public long WalBytesWritten { get; init; }

    /// <summary>Bytes of SSTables written by memtable flushes.</summary>
    public long FlushBytesWritten { get; init; }

    /// <summary>Bytes of SSTables read by compactions.</summary>
    public long CompactionBytesRead { get; init; }

    /// <summary>Bytes of SSTables written by compactions.</summary>
    public long CompactionBytesWritten { get; init; }

    /// <summary>(WAL + flush + compaction bytes written) ÷ user bytes written; 0 before any write.</summary>
    public double WriteAmplification { get; init; }

    /// <summary>Memtable flushes completed.</summary>
    public long Flushes { get; init; }

    /// <summary>Compactions completed (trivial moves included).</summary>
    public long Compactions { get; init; }

    /// <summary>Times a write group waited for flushes or L0 compaction.</summary>
    public long StallCount { get; init; }

    /// <summary>Total time writers spent stalled.</summary>
    public TimeSpan StallTime { get; init; }

    /// <summary>Block cache lookups that hit.</summary>
    public long BlockCacheHits { get; init; }

    /// <summary>Block cache lookups that missed.</summary>
    public long BlockCacheMisses { get; init; }

    /// <summary>Hits ÷ lookups; 0 before any lookup.</summary>
    public double BlockCacheHitRate { get; init; }

    /// <summary>Bytes held by the block cache.</summary>
    public long BlockCacheBytes { get; init; }

    /// <summary>Approximate bytes in the active memtable.</summary>
    public long MemTableBytes { get; init; }

    /// <summary>Immutable memtables waiting for a flush.</summary>
    public int ImmutableMemTables { get; init; }

    /// <summary>The last published sequence number.</summary>
    public ulong LastSequence { get; init; }

    /// <summary>Whether the engine is in the read-only failed state.</summary>
    public bool IsFailed { get; init; }

    /// <summary>Why the engine failed, if it did.</summary>
    public string? FailureReason { get; init; }
}
