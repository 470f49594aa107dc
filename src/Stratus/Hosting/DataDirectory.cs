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

    /// <summary>A fresh directory under the system temp folder, deleted when the server stops (<c>--ephemeral</c>).</summary>
    public static DataDirectory CreateTemporary() =>
        Open(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "stratus-ephemeral-" + Guid.NewGuid().ToString("N")), temporary: true);

    public static DataDirectory Open(string path) => Open(path, temporary: false);

    private static DataDirectory Open(string path, bool temporary)
    {
        var full = System.IO.Path.GetFullPath(path);
        try
        {
            Directory.CreateDirectory(full);
            var lockFile = new FileStream(System.IO.Path.Combine(full, "stratus.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
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
