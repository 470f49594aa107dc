namespace Stratus.Storage.Lsm;

/// <summary>Tuning and durability settings for <see cref="LsmEngine"/>.</summary>
public sealed class LsmOptions
{
    /// <summary>Size at which the active memtable becomes immutable and is flushed.</summary>
    public long MemTableSize { get; init; } = 64L << 20;

    /// <summary>How many immutable memtables may wait for flushing before writers stall.</summary>
    public int MaxImmutableMemTables { get; init; } = 2;

    /// <summary>Bytes of uncompressed data per SSTable data block.</summary>
    public int BlockSize { get; init; } = 4096;

    /// <summary>Keys between restart points in a block.</summary>
    public int BlockRestartInterval { get; init; } = 16;

    /// <summary>The bounded block cache's capacity in bytes (0 disables it).</summary>
    public long BlockCacheSize { get; init; } = 64L << 20;

    /// <summary>Bloom filter bits per key (10 ≈ 1% false positives).</summary>
    public int BloomBitsPerKey { get; init; } = 10;

    /// <summary>Target size of an SSTable written by compaction.</summary>
    public long TargetFileSize { get; init; } = 32L << 20;

    /// <summary>L0 file count that triggers a compaction into L1.</summary>
    public int L0CompactionTrigger { get; init; } = 4;

    /// <summary>L0 file count at which writers stall until compaction catches up.</summary>
    public int L0StopWritesTrigger { get; init; } = 12;

    /// <summary>Maximum size of L1; each deeper level is <see cref="LevelSizeMultiplier"/> times larger.</summary>
    public long MaxBytesForLevelBase { get; init; } = 256L << 20;

    /// <summary>Size ratio between adjacent levels.</summary>
    public int LevelSizeMultiplier { get; init; } = 10;

    /// <summary><see cref="Lsm.Durability.Sync"/> (default) or <see cref="Lsm.Durability.Relaxed"/>.</summary>
    public Durability Durability { get; init; } = Durability.Sync;

    /// <summary>In relaxed mode, how often the log is synced.</summary>
    public TimeSpan RelaxedSyncInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The file system (tests inject an in-memory or faulty one).</summary>
    public IFileSystem FileSystem { get; init; } = PhysicalFileSystem.Instance;

    /// <summary>Time source for the relaxed sync interval and stall accounting.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Whether background flush and compaction run on their own thread (tests may turn it off and call them).</summary>
    public bool BackgroundWork { get; init; } = true;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MemTableSize, 1024);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxImmutableMemTables, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(BlockSize, 64);
        ArgumentOutOfRangeException.ThrowIfLessThan(BlockRestartInterval, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(BlockCacheSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(BloomBitsPerKey, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(TargetFileSize, 1024);
        ArgumentOutOfRangeException.ThrowIfLessThan(L0CompactionTrigger, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(L0StopWritesTrigger, L0CompactionTrigger);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBytesForLevelBase, 1024);
        ArgumentOutOfRangeException.ThrowIfLessThan(LevelSizeMultiplier, 2);
    }
}
