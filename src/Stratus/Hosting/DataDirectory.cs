namespace Stratus.Hosting;

/// <summary>
/// The data directory, held under an exclusive lock file for the life of the server so that two servers never
/// write the same files.
/// </summary>
internal sealed class DataDirectory : IDisposable
{
    private readonly FileStream _lock;

    private DataDirectory(string path, FileStream lockFile)
    {
        Path = path;
        _lock = lockFile;
    }

    public string Path { get; }

    public static DataDirectory Open(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        try
        {
            Directory.CreateDirectory(full);
            var lockFile = new FileStream(System.IO.Path.Combine(full, "stratus.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return new DataDirectory(full, lockFile);
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

    public void Dispose() => _lock.Dispose();
}
