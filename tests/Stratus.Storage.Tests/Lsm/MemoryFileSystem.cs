using Stratus.Storage.Lsm;

namespace Stratus.Storage.Tests.Lsm;

/// <summary>
/// An in-memory file system that remembers what was synced, so tests can simulate a crash (unsynced bytes vanish,
/// optionally leaving a torn prefix), fail writes or syncs, and flip bytes.
/// </summary>
internal sealed class MemoryFileSystem : IFileSystem
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, MemoryFile> _files = new(StringComparer.Ordinal);
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal);
    private readonly HashSet<string> _locks = new(StringComparer.Ordinal);

    /// <summary>When it returns true for a path, Append to that path throws.</summary>
    public Func<string, bool>? FailAppend { get; set; }

    /// <summary>When it returns true for a path, Sync of that path throws.</summary>
    public Func<string, bool>? FailSync { get; set; }

    public int SyncCount { get; private set; }

    /// <summary>Syncs of write-ahead logs only (not of tables, manifests or a log being prepared).</summary>
    public int WalSyncCount { get; private set; }

    public void CreateDirectory(string path)
    {
        lock (_lock)
        {
            _directories.Add(Normalize(path));
        }
    }

    public IReadOnlyList<string> ListFiles(string directory)
    {
        var prefix = Normalize(directory) + "/";
        lock (_lock)
        {
            var names = new List<string>();
            foreach (var path in _files.Keys)
            {
                if (path.StartsWith(prefix, StringComparison.Ordinal) && path.IndexOf('/', prefix.Length) < 0)
                {
                    names.Add(path[prefix.Length..]);
                }
            }

            return names;
        }
    }

    public bool FileExists(string path)
    {
        lock (_lock)
        {
            return _files.ContainsKey(Normalize(path));
        }
    }

    public IWritableFile Create(string path)
    {
        var file = new MemoryFile();
        lock (_lock)
        {
            _files[Normalize(path)] = file;
        }

        return new Writable(this, Normalize(path), file);
    }

    // Dropping what lies past the appends, as the contract allows: the engine must read it as the end of the log either way.
    public IWritableFile Overwrite(string path)
    {
        lock (_lock)
        {
            if (!_files.ContainsKey(Normalize(path)))
            {
                throw new FileNotFoundException(path);
            }
        }

        return Create(path);
    }

    public IReadableFile OpenRead(string path)
    {
        lock (_lock)
        {
            if (!_files.TryGetValue(Normalize(path), out var file))
            {
                throw new FileNotFoundException(path);
            }

            return new Readable(this, file);
        }
    }

    public void Delete(string path)
    {
        lock (_lock)
        {
            _files.Remove(Normalize(path));
        }
    }

    public void Rename(string source, string destination)
    {
        lock (_lock)
        {
            if (_files.Remove(Normalize(source), out var file))
            {
                _files[Normalize(destination)] = file;
            }
        }
    }

    public void SyncDirectory(string directory)
    {
    }

    public IDisposable Lock(string path)
    {
        lock (_lock)
        {
            if (!_locks.Add(Normalize(path)))
            {
                throw new IOException($"{path} is locked: another engine has this directory open");
            }
        }

        return new Unlocker(this, Normalize(path));
    }

    private sealed class Unlocker(MemoryFileSystem fs, string path) : IDisposable
    {
        public void Dispose()
        {
            lock (fs._lock)
            {
                fs._locks.Remove(path);
            }
        }
    }

    /// <summary>Simulates power loss: every file keeps only what was synced, plus <paramref name="tornBytes"/> of its unsynced tail.</summary>
    public void Crash(int tornBytes = 0)
    {
        lock (_lock)
        {
            _locks.Clear();
            foreach (var file in _files.Values)
            {
                var keep = Math.Min(file.Length, file.Synced + tornBytes);
                file.Length = keep;
                file.Synced = keep;
            }
        }
    }

    /// <summary>Cuts <paramref name="bytes"/> off the end of a file, as a torn last write would.</summary>
    public void Truncate(string path, int bytes)
    {
        lock (_lock)
        {
            var file = _files[Normalize(path)];
            file.Length = Math.Max(0, file.Length - bytes);
            file.Synced = Math.Min(file.Synced, file.Length);
        }
    }

    public void FlipByte(string path, long offset)
    {
        lock (_lock)
        {
            _files[Normalize(path)].Data[offset] ^= 0x5A;
        }
    }

    public long Length(string path)
    {
        lock (_lock)
        {
            return _files[Normalize(path)].Length;
        }
    }

    private static string Normalize(string path) => path.Replace('\\', '/').TrimEnd('/');

    private sealed class MemoryFile
    {
        public byte[] Data = new byte[256];
        public int Length;
        public int Synced;
    }

    private sealed class Writable(MemoryFileSystem fs, string path, MemoryFile file) : IWritableFile
    {
        public long Length
        {
            get
            {
                lock (fs._lock)
                {
                    return file.Length;
                }
            }
        }

        public void Append(ReadOnlySpan<byte> data)
        {
            if (fs.FailAppend?.Invoke(path) == true)
            {
                throw new IOException($"injected write failure on {path}");
            }

            lock (fs._lock)
            {
                if (file.Length + data.Length > file.Data.Length)
                {
                    Array.Resize(ref file.Data, Math.Max(file.Length + data.Length, file.Data.Length * 2));
                }

                data.CopyTo(file.Data.AsSpan(file.Length));
                file.Length += data.Length;
            }
        }

        public void Sync()
        {
            if (fs.FailSync?.Invoke(path) == true)
            {
                throw new IOException($"injected fsync failure on {path}");
            }

            lock (fs._lock)
            {
                file.Synced = file.Length;
                fs.SyncCount++;
                fs.WalSyncCount += path.EndsWith(".wal", StringComparison.Ordinal) ? 1 : 0;
            }
        }

        public void Dispose()
        {
        }
    }

    private sealed class Readable(MemoryFileSystem fs, MemoryFile file) : IReadableFile
    {
        public long Length
        {
            get
            {
                lock (fs._lock)
                {
                    return file.Length;
                }
            }
        }

        public int Read(Span<byte> destination, long offset)
        {
            lock (fs._lock)
            {
                var n = (int)Math.Max(0, Math.Min(destination.Length, file.Length - offset));
                file.Data.AsSpan((int)offset, n).CopyTo(destination);
                return n;
            }
        }

        public void Dispose()
        {
        }
    }
}
