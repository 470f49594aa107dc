using System.Text;

namespace Stratus.Storage.Lsm;

/// <summary>
/// A durable LSM key-value store: write-ahead log with group commit, skip-list memtables, block-based SSTables,
/// leveled compaction, and a manifest of live files. Thread-safe.
/// </summary>
public sealed partial class LsmEngine : IDisposable
{
    /// <summary>The on-disk format version this build writes and the newest it reads.</summary>
    public const uint FormatVersion = 1;

    private readonly string _directory;
    private readonly LsmOptions _options;
    private readonly IFileSystem _fs;
    private readonly BlockCache? _blockCache;
    private readonly TableCache _tables;

    // Guards the version, the memtable list, the manifest and view installation.
    private readonly Lock _versionLock = new();
    private Version _version;
    private IWritableFile _manifest;
    private ulong _logNumber;
    private long _nextFileNumber;
    private MemTable _mem;
    private readonly List<MemTable> _immutables = []; // oldest first
    private ReadView _view;
    private ulong _lastSequence;

    private volatile Exception? _failure;
    private IDisposable? _directoryLock;

    private LsmEngine(string directory, LsmOptions options)
    {
        _directory = directory;
        _options = options;
        _fs = options.FileSystem;
        _blockCache = options.BlockCacheSize > 0 ? new BlockCache(options.BlockCacheSize) : null;
        _tables = new TableCache(_fs, directory, _blockCache);
        _version = Version.Empty();
        _version.Ref();
        _mem = new MemTable(0, _options.MemTableSize);
        _view = new ReadView(_mem, [], _version);
        _version.Ref();
        _manifest = null!;
        _wal = null!;
    }

    /// <summary>The directory holding the engine's files.</summary>
    public string Directory => _directory;

    /// <summary>The last published sequence number.</summary>
    public ulong LastSequence => Volatile.Read(ref _lastSequence);

    /// <summary>Whether an earlier write or fsync error put the engine in the read-only failed state.</summary>
    public bool IsFailed => _failure != null;

    /// <summary>Opens (creating if needed) the engine in <paramref name="directory"/>, recovering from the manifest and the logs.</summary>
    public static LsmEngine Open(string directory, LsmOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        options ??= new LsmOptions();
        options.Validate();
        var engine = new LsmEngine(directory, options);
        try
        {
            engine.Recover();
            engine.StartBackgroundWork();
            return engine;
        }
        catch
        {
            engine.CloseFiles();
            throw;
        }
    }

    private ulong NewFileNumber() => (ulong)Interlocked.Increment(ref _nextFileNumber) - 1;

    private void Recover()
    {
        _fs.CreateDirectory(_directory);
        _directoryLock = _fs.Lock(Path.Combine(_directory, FileNames.Lock));
        var names = _fs.ListFiles(_directory);
        ulong maxNumber = 0;
        foreach (var name in names)
        {
            if (FileNames.Parse(name, out var number) != FileNames.Kind.Unknown)
            {
                maxNumber = Math.Max(maxNumber, number);
            }
        }

        var version = Version.Empty();
        ulong logNumber = 0;
        ulong lastSequence = 0;
        ulong nextFile = 1;
        var currentPath = Path.Combine(_directory, FileNames.Current);
        if (_fs.FileExists(currentPath))
        {
            var manifestName = Encoding.UTF8.GetString(LogRecord.ReadAll(_fs, currentPath)).Trim();
            if (FileNames.Parse(manifestName, out _) != FileNames.Kind.Manifest)
            {
                throw new LsmCorruptionException(FileNames.Current, 0, $"CURRENT names '{manifestName}', which is not a manifest");
            }

            var manifestPath = Path.Combine(_directory, manifestName);
            if (!_fs.FileExists(manifestPath))
            {
                throw new LsmCorruptionException(manifestName, 0, "the manifest named by CURRENT is missing");
            }

            var log = LogRecord.ReadAll(_fs, manifestPath);
            var position = 0;
            var first = true;
            var builder = new ManifestReplay();
            while (true)
            {
                var offset = position;
                var status = LogRecord.TryRead(log, ref position, out var payload);
                if (status != LogRecord.ReadStatus.Record)
                {
                    // A torn tail is an edit whose sync never returned: it was never acted on.
                    break;
                }

                if (!VersionEdit.TryDecode(payload, out var edit))
                {
                    throw new LsmCorruptionException(manifestName, offset, "undecodable manifest edit");
                }

                if (first)
                {
                    if (edit.FormatVersion is not { } format)
                    {
                        throw new LsmCorruptionException(manifestName, offset, "the manifest does not start with a format version");
                    }

                    if (format > FormatVersion)
                    {
                        throw new NotSupportedException(
                            $"The data directory {_directory} was written by LSM format version {format}; this build supports up to version {FormatVersion}. " +
                            "Open it with a newer Stratus.");
                    }

                    first = false;
                }

                builder.Apply(edit);
            }

            if (first)
            {
                throw new LsmCorruptionException(manifestName, 0, "the manifest is empty");
            }

            Discard(version);
            version = builder.Build();
            logNumber = builder.LogNumber;
            lastSequence = builder.LastSequence;
            nextFile = builder.NextFileNumber;
        }

        _nextFileNumber = (long)Math.Max(nextFile, maxNumber + 1);

        // Replay every log the manifest does not cover, oldest first.
        var wals = new List<ulong>();
        foreach (var name in names)
        {
            if (FileNames.Parse(name, out var number) == FileNames.Kind.Wal && number >= logNumber)
            {
                wals.Add(number);
            }
        }

        wals.Sort();
        var recovered = new VersionEdit();
        var mem = new MemTable(0, _options.MemTableSize);
        for (var i = 0; i < wals.Count; i++)
        {
            var path = FileNames.Wal(_directory, wals[i]);
            var log = LogRecord.ReadAll(_fs, path);
            var position = 0;
            while (true)
            {
                var offset = position;
                var status = LogRecord.TryRead(log, ref position, out var payload);
                if (status == LogRecord.ReadStatus.End)
                {
                    break;
                }

                if (status == LogRecord.ReadStatus.Torn)
                {
                    if (i == wals.Count - 1)
                    {
                        // A torn tail of the newest log is a write that never got acknowledged.
                        break;
                    }

                    throw new LsmCorruptionException(Path.GetFileName(path), offset, "damaged record in a log that was already closed");
                }

                if (!ApplyWalRecord(payload, mem, ref lastSequence))
                {
                    throw new LsmCorruptionException(Path.GetFileName(path), offset, "undecodable write batch with a valid checksum");
                }

                if (mem.ApproximateBytes >= _options.MemTableSize)
                {
                    WriteLevel0(mem, recovered);
                    mem = new MemTable(0, _options.MemTableSize);
                }
            }
        }

        WriteLevel0(mem, recovered);

        var recoveredVersion = version.Apply(recovered);
        Discard(version);
        version = recoveredVersion;

        // Start a fresh manifest holding the whole state, then point CURRENT at it.
        var manifestNumber = NewFileNumber();
        var walNumber = NewFileNumber();
        var snapshot = new VersionEdit
        {
            FormatVersion = FormatVersion,
            LogNumber = walNumber,
            NextFileNumber = (ulong)_nextFileNumber,
            LastSequence = lastSequence,
        };
        for (var level = 0; level < Version.LevelCount; level++)
        {
            foreach (var file in version.Files(level))
            {
                snapshot.Added.Add((level, file));
            }
        }

        var manifestPath2 = FileNames.Manifest(_directory, manifestNumber);
        _manifest = _fs.Create(manifestPath2);
        AppendManifest(snapshot);
        _fs.SyncDirectory(_directory);
        var temp = Path.Combine(_directory, "CURRENT.tmp");
        using (var current = _fs.Create(temp))
        {
            current.Append(Encoding.UTF8.GetBytes(Path.GetFileName(manifestPath2) + "\n"));
            current.Sync();
        }

        _fs.Rename(temp, currentPath);
        _fs.SyncDirectory(_directory);

        _wal = _fs.Create(FileNames.Wal(_directory, walNumber));
        _walNumber = walNumber;
        _fs.SyncDirectory(_directory);

        var previous = _version;
        _version = version;
        _version.Ref();
        _logNumber = walNumber;
        _lastSequence = lastSequence;
        _mem = new MemTable(walNumber, _options.MemTableSize);
        lock (_versionLock)
        {
            InstallViewLocked();
        }

        ReleaseVersion(previous);

        // Anything not in the new state is an orphan: replayed logs, old manifests, tables of unfinished flushes or compactions.
        var live = new HashSet<ulong>();
        for (var level = 0; level < Version.LevelCount; level++)
        {
            foreach (var file in version.Files(level))
            {
                live.Add(file.Number);
            }
        }

        foreach (var name in _fs.ListFiles(_directory))
        {
            var kind = FileNames.Parse(name, out var number);
            var orphan = kind switch
            {
                FileNames.Kind.Table => !live.Contains(number),
                FileNames.Kind.Wal => number != walNumber,
                FileNames.Kind.Manifest => number != manifestNumber,
                FileNames.Kind.Temp => true,
                _ => false,
            };
            if (orphan)
            {
                _fs.Delete(Path.Combine(_directory, name));
            }
        }
    }

    /// <summary>Lets go of a version that was only a step in building another (its files stay referenced by the result).</summary>
    private static void Discard(Version version)
    {
        version.Ref();
        _ = version.Unref();
    }

    private static bool ApplyWalRecord(ReadOnlySpan<byte> payload, MemTable mem, ref ulong lastSequence)
    {
        if (payload.Length < 12)
        {
            return false;
        }

        var sequence = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(payload);
        var count = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(payload[8..]);
        var ops = payload[12..];
        var position = 0;
        for (var i = 0; i < count; i++)
        {
            if (!WriteBatch.TryReadOperation(ops, ref position, out var kind, out var key, out var value) || kind == EntryKind.DeleteRange)
            {
                return false;
            }

            mem.Add(key, InternalKey.Tag(sequence + (ulong)i, kind), value);
        }

        if (count > 0)
        {
            lastSequence = Math.Max(lastSequence, sequence + (ulong)count - 1);
        }

        return position == ops.Length;
    }

    private void WriteLevel0(MemTable mem, VersionEdit edit)
    {
        using var iterator = mem.NewIterator();
        iterator.SeekToFirst();
        var outputs = WriteTables(iterator, InternalKey.MaxSequence, null, long.MaxValue, out var bytes);
        Interlocked.Add(ref _flushBytes, bytes);
        foreach (var file in outputs)
        {
            edit.Added.Add((0, file));
        }
    }

    private void AppendManifest(VersionEdit edit)
    {
        var payload = edit.Encode();
        var record = new byte[LogRecord.HeaderSize + payload.Length];
        LogRecord.Frame(record, payload);
        _manifest.Append(record);
        _manifest.Sync();
    }

    /// <summary>Writes an edit to the manifest and installs the resulting version; the caller holds no lock.</summary>
    private void LogAndApply(VersionEdit edit, MemTable? flushed)
    {
        if (edit.Added.Count > 0)
        {
            // New tables' directory entries must be durable before the manifest names them.
            _fs.SyncDirectory(_directory);
        }

        Version old;
        lock (_versionLock)
        {
            edit.NextFileNumber = (ulong)Volatile.Read(ref _nextFileNumber);
            edit.LastSequence = Volatile.Read(ref _lastSequence);
            if (edit.LogNumber is { } logNumber)
            {
                _logNumber = logNumber;
            }

            AppendManifest(edit);
            old = _version;
            _version = old.Apply(edit);
            _version.Ref();
            if (flushed != null)
            {
                _immutables.Remove(flushed);
            }

            InstallViewLocked();
        }

        ReleaseVersion(old);
    }

    private void InstallViewLocked()
    {
        var immutables = new MemTable[_immutables.Count];
        for (var i = 0; i < immutables.Length; i++)
        {
            immutables[i] = _immutables[_immutables.Count - 1 - i];
        }

        _version.Ref();
        var old = _view;
        Volatile.Write(ref _view, new ReadView(_mem, immutables, _version));
        ReleaseView(old);
    }

    private ReadView AcquireView()
    {
        while (true)
        {
            var view = Volatile.Read(ref _view);
            if (view.TryRef())
            {
                return view;
            }
        }
    }

    internal void ReleaseView(ReadView view)
    {
        if (view.Unref())
        {
            ReleaseVersion(view.Version);
        }
    }

    private void ReleaseVersion(Version version)
    {
        var obsolete = version.Unref();
        if (obsolete == null)
        {
            return;
        }

        foreach (var file in obsolete)
        {
            _tables.Evict(file.Number);
            try
            {
                _fs.Delete(FileNames.Table(_directory, file.Number));
            }
            catch (IOException)
            {
                // Left for the orphan sweep at the next open.
            }
        }
    }

    private void SetFailed(Exception error)
    {
        if (_failure == null)
        {
            _failure = error;
        }

        lock (_bgLock)
        {
            Monitor.PulseAll(_bgLock);
        }
    }

    private void ThrowIfFailed()
    {
        if (_failure is { } failure)
        {
            throw new LsmReadOnlyException($"the engine in {_directory} is read-only after an earlier I/O failure: {failure.Message}", failure);
        }
    }

    /// <summary>Counters for metrics endpoints.</summary>
    public LsmMetrics GetMetrics()
    {
        Version version;
        MemTable mem;
        int immutables;
        lock (_versionLock)
        {
            version = _version;
            mem = _mem;
            immutables = _immutables.Count;
            version.Ref();
        }

        var levels = new LevelMetrics[Version.LevelCount];
        for (var i = 0; i < levels.Length; i++)
        {
            levels[i] = new LevelMetrics(i, version.Files(i).Count, version.LevelBytes(i));
        }

        ReleaseVersion(version);
        var user = Interlocked.Read(ref _userBytes);
        var wal = Interlocked.Read(ref _walBytes);
        var flush = Interlocked.Read(ref _flushBytes);
        var compaction = Interlocked.Read(ref _compactionBytesWritten);
        var hits = _blockCache?.Hits ?? 0;
        var misses = _blockCache?.Misses ?? 0;
        return new LsmMetrics
        {
            Levels = levels,
            UserBytesWritten = user,
            WalBytesWritten = wal,
            FlushBytesWritten = flush,
            CompactionBytesRead = Interlocked.Read(ref _compactionBytesRead),
            CompactionBytesWritten = compaction,
            WriteAmplification = user == 0 ? 0 : (double)(wal + flush + compaction) / user,
            Flushes = Interlocked.Read(ref _flushes),
            Compactions = Interlocked.Read(ref _compactions),
            StallCount = Interlocked.Read(ref _stallCount),
            StallTime = TimeSpan.FromTicks(Interlocked.Read(ref _stallTicks)),
            BlockCacheHits = hits,
            BlockCacheMisses = misses,
            BlockCacheHitRate = hits + misses == 0 ? 0 : (double)hits / (hits + misses),
            BlockCacheBytes = _blockCache?.Usage ?? 0,
            MemTableBytes = mem.ApproximateBytes,
            ImmutableMemTables = immutables,
            LastSequence = LastSequence,
            IsFailed = _failure != null,
            FailureReason = _failure?.Message,
        };
    }

    private void CloseFiles()
    {
        _syncTimer?.Dispose();
        if (_walPreparation is { } preparation)
        {
            // Never leave it writing into a directory that is being closed (or removed).
            preparation.ContinueWith(static _ => { }, TaskScheduler.Default).Wait();
            _walPreparation = null;
        }

        try
        {
            if (_fs.FileExists(PreparedWalPath))
            {
                _fs.Delete(PreparedWalPath);
            }
        }
        catch (IOException)
        {
            // A temporary: swept at the next open.
        }

        lock (_walLock)
        {
            // A timer callback may still be running: it checks this flag under the same lock.
            _walClosed = true;
            _wal?.Dispose();
        }

        _manifest?.Dispose();
        _tables.Dispose();
        _directoryLock?.Dispose();
    }

    private sealed class ManifestReplay
    {
        private readonly Dictionary<ulong, (int Level, FileMetadata File)> _files = [];

        public ulong LogNumber { get; private set; }

        public ulong NextFileNumber { get; private set; } = 1;

        public ulong LastSequence { get; private set; }

        public void Apply(VersionEdit edit)
        {
            if (edit.LogNumber is { } ln)
            {
                LogNumber = ln;
            }

            if (edit.NextFileNumber is { } nf)
            {
                NextFileNumber = nf;
            }

            if (edit.LastSequence is { } ls)
            {
                LastSequence = ls;
            }

            foreach (var (_, number) in edit.Deleted)
            {
                _files.Remove(number);
            }

            foreach (var (level, file) in edit.Added)
            {
                _files[file.Number] = (level, file);
            }
        }

        public Version Build()
        {
            var edit = new VersionEdit();
            foreach (var (level, file) in _files.Values)
            {
                edit.Added.Add((level, file));
            }

            var empty = Version.Empty();
            var result = empty.Apply(edit);
            Discard(empty);
            return result;
        }
    }
}
