namespace Stratus.Storage.Lsm;

/// <summary>The file operations the engine needs, so tests can inject faults and run in memory.</summary>
public interface IFileSystem
{
    /// <summary>Creates the directory if it does not exist.</summary>
    void CreateDirectory(string path);

    /// <summary>Names (not paths) of the files directly in a directory.</summary>
    IReadOnlyList<string> ListFiles(string directory);

    /// <summary>Whether a file exists.</summary>
    bool FileExists(string path);

    /// <summary>Creates or truncates a file for appending.</summary>
    IWritableFile Create(string path);

    /// <summary>
    /// Opens an existing file to write it again from its start, without truncating it: appends replace its bytes in place,
    /// so while they stay within its length a sync writes no metadata (no block allocation, no size change). What lies
    /// past the last append keeps its old contents (an implementation may drop it instead).
    /// </summary>
    IWritableFile Overwrite(string path);

    /// <summary>Opens a file for positional reads.</summary>
    IReadableFile OpenRead(string path);

    /// <summary>Deletes a file if it exists.</summary>
    void Delete(string path);

    /// <summary>Atomically replaces <paramref name="destination"/> with <paramref name="source"/>.</summary>
    void Rename(string source, string destination);

    /// <summary>Makes the directory's entries (creations, renames) durable.</summary>
    void SyncDirectory(string directory);

    /// <summary>Takes an exclusive lock on <paramref name="path"/> (creating it), so two engines never share a directory.</summary>
    IDisposable Lock(string path);
}
