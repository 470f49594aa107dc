namespace Stratus.Storage.Lsm;

/// <summary>Flushes, leveled compaction, snapshots bookkeeping and shutdown.</summary>
public sealed partial class LsmEngine
{
    private readonly object _bgLock = new();
    private readonly Lock _compactionLock = new();
    private Thread? _flushThread;
    private Thread? _compactionThread;
    private volatile bool _stopping;
    private readonly byte[]?[] _compactPointers = new byte[Version.LevelCount][];

    private readonly Lock _snapshotLock = new();
    private readonly SortedDictionary<ulong, int> _snapshots = [];

    private long _userBytes;
    private long _walBytes;
    private long _flushBytes;
    private long _compactionBytesRead;
    private long _compactionBytesWritten;
    private long _flushes;
    private long _compactions;
    private long _stallCount;
    private long _stallTicks;

    /// <summary>Takes a snapshot of the current state; dispose it to let compaction reclaim old versions.</summary>
    public LsmSnapshot GetSnapshot()
    {
        lock (_snapshotLock)
        {
            var sequence = Volatile.Read(ref _lastSequence);
            _snapshots[sequence] = _snapshots.GetValueOrDefault(sequence) + 1;
            return new LsmSnapshot(this, sequence);
        }
    }

    internal void ReleaseSnapshot(LsmSnapshot snapshot)
    {
        lock (_snapshotLock)
        {
            if (_snapshots.TryGetValue(snapshot.Sequence, out var count))
            {
                if (count <= 1)
                {
                    _snapshots.Remove(snapshot.Sequence);
                }
                else
                {
                    _snapshots[snapshot.Sequence] = count - 1;
                }
            }
        }
    }

    /// <summary>The oldest sequence any reader may still ask for.</summary>
    private ulong SmallestSnapshot()
    {
        lock (_snapshotLock)
        {
            foreach (var pair in _snapshots)
            {
                return pair.Key;
            }

            return Volatile.Read(ref _lastSequence);
        }
    }

    private void StartBackgroundWork()
    {
        StartRelaxedSync();

        // The first log is created empty; prepare one for its writes to roll on to (RollWalIfDue).
        if (_options.Durability == Durability.Sync)
        {
            _preparedWalSize = Math.Min(_options.MemTableSize, MinPreparedWal);
            PrepareWal();
        }

        if (!_options.BackgroundWork)
        {
            return;
        }

        _flushThread = new Thread(() => BackgroundLoop(flush: true)) { IsBackground = true, Name = "lsm-flush" };
        _compactionThread = new Thread(() => BackgroundLoop(flush: false)) { IsBackground = true, Name = "lsm-compaction" };
        _flushThread.Start();
        _compactionThread.Start();
    }

    private void BackgroundLoop(bool flush)
    {
        while (true)
        {
            lock (_bgLock)
            {
                while (!_stopping && (_failure != null || !(flush ? HasImmutable() : NeedsCompaction())))
                {
                    Monitor.Wait(_bgLock);
                }

                if (_stopping)
                {
                    return;
                }
            }

            try
            {
                if (flush)
                {
                    FlushOldest();
                }
                else
                {
                    CompactOnce();
                }
            }
            catch (Exception ex)
            {
                SetFailed(ex);
            }

            lock (_bgLock)
            {
                Monitor.PulseAll(_bgLock);
            }
        }
    }

    private bool HasImmutable()
    {
        lock (_versionLock)
        {
            return _immutables.Count > 0;
        }
    }

    private bool NeedsCompaction()
    {
        Version version;
        lock (_versionLock)
        {
            version = _version;
            version.Ref();
        }

        try
        {
            return PickCompaction(version) != null;
        }
        finally
        {
            ReleaseVersion(version);
        }
    }

    /// <summary>Runs flushes and compactions on the calling thread until none is due (used when background work is off).</summary>
    internal void RunPendingWork()
    {
        while (_failure == null && FlushOldest())
        {
        }

        while (_failure == null && CompactOnce())
        {
        }
    }

    private bool FlushOldest()
    {
        MemTable imm;
        lock (_versionLock)
        {
            if (_immutables.Count == 0)
            {
                return false;
            }

            imm = _immutables[0];
        }

        var edit = new VersionEdit();
        if (!imm.IsEmpty)
        {
            using var iterator = imm.NewIterator();
            iterator.SeekToFirst();
            var outputs = WriteTables(iterator, SmallestSnapshot(), null, long.MaxValue, out var bytes);
            Interlocked.Add(ref _flushBytes, bytes);
            foreach (var file in outputs)
            {
                edit.Added.Add((0, file));
            }
        }

        lock (_versionLock)
        {
            // Logs older than the next memtable still waiting are no longer needed after this edit.
            edit.LogNumber = _immutables.Count > 1 ? _immutables[1].WalNumber : _mem.WalNumber;
        }

        LogAndApply(edit, imm);
        Interlocked.Increment(ref _flushes);
        foreach (var number in imm.WalNumbers)
        {
            try
            {
                _fs.Delete(FileNames.Wal(_directory, number));
            }
            catch (IOException)
            {
                // Swept at the next open.
            }
        }

        return true;
    }

    private sealed class Compaction(int level, List<FileMetadata> inputs, List<FileMetadata> overlapping)
    {
        public int Level { get; } = level;

        public List<FileMetadata> Inputs { get; } = inputs;

        public List<FileMetadata> Overlapping { get; } = overlapping;
    }

    private Compaction? PickCompaction(Version version)
    {
        var bestLevel = -1;
        var bestScore = 1.0;
        for (var level = 0; level < Version.LevelCount - 1; level++)
        {
            double score;
            if (level == 0)
            {
                score = (double)version.Files(0).Count / _options.L0CompactionTrigger;
            }
            else
            {
                var max = (double)_options.MaxBytesForLevelBase;
                for (var i = 1; i < level; i++)
                {
                    max *= _options.LevelSizeMultiplier;
                }

                score = version.LevelBytes(level) / max;
            }

            if (score >= bestScore)
            {
                bestScore = score;
                bestLevel = level;
            }
        }

        if (bestLevel < 0)
        {
            return null;
        }

        List<FileMetadata> inputs;
        if (bestLevel == 0)
        {
            inputs = [.. version.Files(0)];
        }
        else
        {
            var files = version.Files(bestLevel);
            var pointer = _compactPointers[bestLevel];
            var chosen = files[0];
            if (pointer != null)
            {
                foreach (var file in files)
                {
                    if (file.SmallestUserKey.SequenceCompareTo(pointer) > 0)
                    {
                        chosen = file;
                        break;
                    }
                }
            }

            inputs = [chosen];
        }

        var (smallest, largest) = UserRange(inputs);
        return new Compaction(bestLevel, inputs, version.Overlapping(bestLevel + 1, smallest, largest));
    }

    private static (byte[] Smallest, byte[] Largest) UserRange(List<FileMetadata> files)
    {
        var smallest = files[0].SmallestUserKey.ToArray();
        var largest = files[0].LargestUserKey.ToArray();
        foreach (var file in files)
        {
            if (file.SmallestUserKey.SequenceCompareTo(smallest) < 0)
            {
                smallest = file.SmallestUserKey.ToArray();
            }

            if (file.LargestUserKey.SequenceCompareTo(largest) > 0)
            {
                largest = file.LargestUserKey.ToArray();
            }
        }

        return (smallest, largest);
    }

    private bool CompactOnce()
    {
        lock (_compactionLock)
        {
            Version version;
            lock (_versionLock)
            {
                version = _version;
                version.Ref();
            }

            try
            {
                var compaction = PickCompaction(version);
                if (compaction == null)
                {
                    return false;
                }

                RunCompaction(version, compaction);
                return true;
            }
            finally
            {
                ReleaseVersion(version);
            }
        }
    }

    private void RunCompaction(Version version, Compaction compaction)
    {
        var level = compaction.Level;
        var output = level + 1;
        var edit = new VersionEdit();
        _compactPointers[level] = UserRange(compaction.Inputs).Largest;
        if (compaction.Overlapping.Count == 0 && compaction.Inputs.Count == 1)
        {
            // Nothing to merge with: move the file down without rewriting it.
            var file = compaction.Inputs[0];
            edit.Deleted.Add((level, file.Number));
            edit.Added.Add((output, file));
            LogAndApply(edit, null);
            Interlocked.Increment(ref _compactions);
            return;
        }

        var children = new List<IInternalIterator>();
        long read = 0;
        if (level == 0)
        {
            foreach (var file in compaction.Inputs)
            {
                children.Add(_tables.Get(file).NewIterator(fillCache: false));
                read += file.Size;
            }
        }
        else
        {
            children.Add(new LevelIterator(compaction.Inputs, _tables, fillCache: false));
            read += compaction.Inputs[0].Size;
        }

        if (compaction.Overlapping.Count > 0)
        {
            children.Add(new LevelIterator(compaction.Overlapping, _tables, fillCache: false));
            foreach (var file in compaction.Overlapping)
            {
                read += file.Size;
            }
        }

        using var merged = new MergingIterator([.. children]);
        merged.SeekToFirst();
        bool IsBottom(ReadOnlySpan<byte> userKey)
        {
            for (var deeper = output + 1; deeper < Version.LevelCount; deeper++)
            {
                var files = version.Files(deeper);
                var index = Version.FindFile(files, userKey);
                if (index < files.Count && userKey.SequenceCompareTo(files[index].SmallestUserKey) >= 0)
                {
                    return false;
                }
            }

            return true;
        }

        var outputs = WriteTables(merged, SmallestSnapshot(), IsBottom, _options.TargetFileSize, out var written);
        foreach (var file in compaction.Inputs)
        {
            edit.Deleted.Add((level, file.Number));
        }

        foreach (var file in compaction.Overlapping)
        {
            edit.Deleted.Add((output, file.Number));
        }

        foreach (var file in outputs)
        {
            edit.Added.Add((output, file));
        }

        LogAndApply(edit, null);
        Interlocked.Add(ref _compactionBytesRead, read);
        Interlocked.Add(ref _compactionBytesWritten, written);
        Interlocked.Increment(ref _compactions);
    }

    private delegate bool BottomCheck(ReadOnlySpan<byte> userKey);

    /// <summary>
    /// Writes the iterator's entries to one or more tables, dropping versions no snapshot can see and, at the bottom
    /// of the tree, tombstones with nothing left beneath them. Splits only between user keys.
    /// </summary>
    private List<FileMetadata> WriteTables(IInternalIterator iterator, ulong smallestSnapshot, BottomCheck? isBottom, long targetSize, out long bytesWritten)
    {
        var outputs = new List<FileMetadata>();
        bytesWritten = 0;
        TableBuilder? builder = null;
        ulong number = 0;
        var currentKey = new byte[64];
        var currentKeyLength = -1;
        var lastSequenceForKey = ulong.MaxValue;
        try
        {
            for (; iterator.Valid; iterator.Next())
            {
                var userKey = iterator.UserKey;
                var tag = iterator.Tag;
                var sequence = InternalKey.SequenceOf(tag);
                var newKey = currentKeyLength < 0 || !userKey.SequenceEqual(currentKey.AsSpan(0, currentKeyLength));
                if (newKey)
                {
                    if (builder != null && builder.FileSize >= targetSize)
                    {
                        bytesWritten += FinishTable(builder, number, outputs);
                        builder = null;
                    }

                    if (currentKey.Length < userKey.Length)
                    {
                        currentKey = new byte[Math.Max(userKey.Length, currentKey.Length * 2)];
                    }

                    userKey.CopyTo(currentKey);
                    currentKeyLength = userKey.Length;
                    lastSequenceForKey = ulong.MaxValue;
                }

                var drop = false;
                if (lastSequenceForKey != ulong.MaxValue && lastSequenceForKey <= smallestSnapshot)
                {
                    // A newer entry for this key is visible to every reader: this one can never be seen.
                    drop = true;
                }
                else if (InternalKey.KindOf(tag) == EntryKind.Delete && sequence <= smallestSnapshot && isBottom != null && isBottom(userKey))
                {
                    drop = true;
                }

                lastSequenceForKey = sequence;
                if (drop)
                {
                    continue;
                }

                if (builder == null)
                {
                    number = NewFileNumber();
                    builder = new TableBuilder(_fs.Create(FileNames.Table(_directory, number)), _options);
                }

                builder.Add(userKey, tag, iterator.Value);
            }

            if (builder != null)
            {
                bytesWritten += FinishTable(builder, number, outputs);
                builder = null;
            }
        }
        finally
        {
            builder?.Dispose();
        }

        return outputs;
    }

    private static long FinishTable(TableBuilder builder, ulong number, List<FileMetadata> outputs)
    {
        var size = builder.Finish();
        builder.SyncFile();
        builder.Dispose();
        outputs.Add(new FileMetadata(number, size, builder.Smallest!, builder.Largest!, builder.Entries));
        return size;
    }

    /// <summary>Flushes memtables and closes the engine; pending writers finish first.</summary>
    public void Dispose()
    {
        var closer = new Writer(null, null, isAsync: false);
        lock (_queueLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        if (!Enqueue(closer))
        {
            closer.Wait();
        }

        Lead(closer);
    }

    private void CloseAsLeader()
    {
        _stopping = true;
        lock (_bgLock)
        {
            Monitor.PulseAll(_bgLock);
        }

        _flushThread?.Join();
        _compactionThread?.Join();
        _syncTimer?.Dispose();
        if (_failure == null)
        {
            try
            {
                lock (_walLock)
                {
                    _wal.Sync();
                }

                // Leave the directory tidy: everything in tables, logs empty.
                SwitchMemTable();
                while (_failure == null && FlushOldest())
                {
                }
            }
            catch (Exception ex)
            {
                SetFailed(ex);
            }
        }

        lock (_versionLock)
        {
            var view = _view;
            _view = new ReadView(_mem, [], _version);
            _version.Ref();
            ReleaseView(view);
        }

        CloseFiles();
    }
}
