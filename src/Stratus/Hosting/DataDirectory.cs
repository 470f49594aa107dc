namespace Stratus.Hosting;

/// <summary>
/// The data directory, held under an exclusive lock file for the life of the server so that two servers never
/// write the same files.
/// </summary>
internal sealed class DataDirectory : IDisposable
{
    private readonly FileStream _lock;
    private readonly bool _temporary;

    private DataDirectory(string path, FileStream lockFile, bool temporary)
    {
        Path = path;
        _lock = lockFile;
        _temporary = temporary;
    }

    public string Path { get; }

    /// <summary>True for the throw-away directory of <c>--ephemeral</c>.</summary>
    public bool IsTemporary => _temporary;

    private const string TemporaryPrefix = "stratus-ephemeral-";
    private const string LockFileName = "stratus.lock";

    /// <summary>
    /// A fresh directory under the system temp folder, deleted when the server stops (<c>--ephemeral</c>). A server killed
    /// with SIGKILL never gets to delete its own, so this first removes those of earlier servers that are gone.
    /// </summary>
    public static DataDirectory CreateTemporary()
    {
        RemoveAbandonedTemporaries(System.IO.Path.GetTempPath(), TimeProvider.System.GetUtcNow().UtcDateTime);
        return Open(System.IO.Path.Combine(System.IO.Path.GetTempPath(), TemporaryPrefix + Guid.NewGuid().ToString("N")), temporary: true);
    }

    /// <summary>
    /// Deletes the ephemeral directories under <paramref name="tempRoot"/> whose lock no live server holds (the lock is
    /// an exclusive <c>flock</c>, released by the kernel when its process dies, however it dies). A directory less than a
    /// minute old is left alone: its server may be starting and not hold its lock yet. Returns how many it removed.
    /// </summary>
    internal static int RemoveAbandonedTemporaries(string tempRoot, DateTime utcNow)
    {
        var removed = 0;
        IEnumerable<string> candidates;
        try
        {
            candidates = Directory.EnumerateDirectories(tempRoot, TemporaryPrefix + "*").ToList();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return 0;
        }

        foreach (var directory in candidates)
        {
            try
            {
                if (utcNow - Directory.GetLastWriteTimeUtc(directory) < TimeSpan.FromMinutes(1))
                {
                    continue;
                }

                // Fails while a live server holds it; a directory without one never got as far as taking it.
                using (new FileStream(System.IO.Path.Combine(directory, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
                {
                    Directory.Delete(directory, recursive: true);
                }

                removed++;
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                // Held by a live server, or not ours to delete: leave it.
            }
        }

        return removed;
    }

    public static DataDirectory Open(string path) => Open(path, temporary: false);

    private static DataDirectory Open(string path, bool temporary)
    {
        var full = System.IO.Path.GetFullPath(path);
        try
        {
            Directory.CreateDirectory(full);
            var lockFile = new FileStream(System.IO.Path.Combine(full, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return new DataDirectory(full, lockFile, temporary);
        }
        catch (IOException error)
        {
            throw new StartupException($"cannot use data directory {full}: {error.Message} (is another Stratus running on it?)");
        }
        catch (UnauthorizedAccessException error)
        {
            throw new StartupException($"cannot use data directory {full}: {error.Message}");
        }
    }

    public void Dispose()
    {
        _lock.Dispose();
        if (_temporary)
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: the system cleans its temp folder eventually.
            }
        }
    }
}
