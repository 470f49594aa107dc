using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Stratus.Storage.Lsm;

/// <summary>The real file system: positional reads with <see cref="RandomAccess"/>, fdatasync on Linux.</summary>
public sealed partial class PhysicalFileSystem : IFileSystem
{
    /// <summary>The shared instance.</summary>
    public static PhysicalFileSystem Instance { get; } = new();

    /// <inheritdoc />
    public void CreateDirectory(string path) => Directory.CreateDirectory(path);

    /// <inheritdoc />
    public IReadOnlyList<string> ListFiles(string directory)
    {
        var names = new List<string>();
        foreach (var path in Directory.EnumerateFiles(directory))
        {
            names.Add(Path.GetFileName(path));
        }

        return names;
    }

    /// <inheritdoc />
    public bool FileExists(string path) => File.Exists(path);

    /// <inheritdoc />
    public IWritableFile Create(string path) =>
        new PhysicalWritableFile(File.OpenHandle(path, FileMode.Create, FileAccess.Write, FileShare.Read | FileShare.Delete));

    /// <inheritdoc />
    public IWritableFile Overwrite(string path) =>
        new PhysicalWritableFile(File.OpenHandle(path, FileMode.Open, FileAccess.Write, FileShare.Read | FileShare.Delete));

    /// <inheritdoc />
    public IReadableFile OpenRead(string path) =>
        new PhysicalReadableFile(File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));

    /// <inheritdoc />
    public void Delete(string path) => File.Delete(path);

    /// <inheritdoc />
    public void Rename(string source, string destination) => File.Move(source, destination, overwrite: true);

    /// <inheritdoc />
    public void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }

        // A directory fsync makes a rename or a new file's entry durable (POSIX leaves it to the caller).
        var fd = Open(directory, 0 /* O_RDONLY */);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory {directory} to sync it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (FSync(fd) != 0)
            {
                throw new IOException($"fsync of directory {directory} failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <inheritdoc />
    public IDisposable Lock(string path)
    {
        try
        {
            // FileShare.None takes an advisory flock on Unix: a second process (or engine) fails here.
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new IOException($"{path} is locked: another engine has this directory open", ex);
        }
    }

    internal static void DataSync(SafeFileHandle handle)
    {
        if (OperatingSystem.IsLinux())
        {
            // fdatasync skips the metadata journal write that fsync adds; file length changes are still covered.
            if (FDataSync(handle) != 0)
            {
                throw new IOException($"fdatasync failed (errno {Marshal.GetLastPInvokeError()})");
            }

            return;
        }

        using var stream = new FileStream(handle, FileAccess.Write, 0);
        stream.Flush(flushToDisk: true);
    }

    [LibraryImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static partial int FDataSync(SafeFileHandle fd);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    private sealed class PhysicalWritableFile(SafeFileHandle handle) : IWritableFile
    {
        private readonly SafeFileHandle _handle = handle;
        private long _length;

        public long Length => _length;

        public void Append(ReadOnlySpan<byte> data)
        {
            RandomAccess.Write(_handle, data, _length);
            _length += data.Length;
        }

        public void Sync() => DataSync(_handle);

        public void Dispose() => _handle.Dispose();
    }

    private sealed class PhysicalReadableFile(SafeFileHandle handle) : IReadableFile
    {
        private readonly SafeFileHandle _handle = handle;

        public long Length => RandomAccess.GetLength(_handle);

        public int Read(Span<byte> destination, long offset)
        {
            var total = 0;
            while (total < destination.Length)
            {
                var n = RandomAccess.Read(_handle, destination[total..], offset + total);
                if (n == 0)
                {
                    break;
                }

                total += n;
            }

            return total;
        }

        public void Dispose() => _handle.Dispose();
    }
}
