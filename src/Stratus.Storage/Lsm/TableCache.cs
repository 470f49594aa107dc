using System.Collections.Concurrent;

namespace Stratus.Storage.Lsm;

/// <summary>Open table readers by file number; a reader is closed when its file becomes obsolete.</summary>
internal sealed class TableCache(IFileSystem fileSystem, string directory, BlockCache? blockCache) : IDisposable
{
    private readonly ConcurrentDictionary<ulong, Lazy<TableReader>> _readers = new();
    private readonly IFileSystem _fileSystem = fileSystem;
    private readonly string _directory = directory;
    private readonly BlockCache? _blockCache = blockCache;

    public TableReader Get(FileMetadata file)
    {
        var lazy = _readers.GetOrAdd(
            file.Number,
            static (number, self) => new Lazy<TableReader>(() => TableReader.Open(self._fileSystem, FileNames.Table(self._directory, number), number, self._blockCache)),
            this);
        try
        {
            return lazy.Value;
        }
        catch
        {
            _readers.TryRemove(new KeyValuePair<ulong, Lazy<TableReader>>(file.Number, lazy));
            throw;
        }
    }

    public void Evict(ulong number)
    {
        if (_readers.TryRemove(number, out var lazy) && lazy.IsValueCreated)
        {
            lazy.Value.Dispose();
        }

        _blockCache?.EvictFile(number);
    }

    public void Dispose()
    {
        foreach (var pair in _readers)
        {
            if (pair.Value.IsValueCreated)
            {
                pair.Value.Value.Dispose();
            }
        }

        _readers.Clear();
    }
}
