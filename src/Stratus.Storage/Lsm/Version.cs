namespace Stratus.Storage.Lsm;

/// <summary>An immutable set of live SSTables by level. L0 files may overlap (newest first); deeper levels are sorted and disjoint.</summary>
internal sealed class Version
{
    public const int LevelCount = 7;

    private readonly List<FileMetadata>[] _levels;
    private int _refs;

    public Version(List<FileMetadata>[] levels)
    {
        _levels = levels;
        foreach (var level in levels)
        {
            foreach (var file in level)
            {
                file.Ref();
            }
        }
    }

    public static Version Empty()
    {
        var levels = new List<FileMetadata>[LevelCount];
        for (var i = 0; i < LevelCount; i++)
        {
            levels[i] = [];
        }

        return new Version(levels);
    }

    public IReadOnlyList<FileMetadata> Files(int level) => _levels[level];

    public long LevelBytes(int level)
    {
        long total = 0;
        foreach (var file in _levels[level])
        {
            total += file.Size;
        }

        return total;
    }

    public Version Apply(VersionEdit edit)
    {
        var levels = new List<FileMetadata>[LevelCount];
        for (var i = 0; i < LevelCount; i++)
        {
            levels[i] = new List<FileMetadata>(_levels[i]);
        }

        foreach (var (level, number) in edit.Deleted)
        {
            levels[level].RemoveAll(f => f.Number == number);
        }

        foreach (var (level, file) in edit.Added)
        {
            levels[level].Add(file);
        }

        levels[0].Sort(static (a, b) => b.Number.CompareTo(a.Number));
        for (var i = 1; i < LevelCount; i++)
        {
            levels[i].Sort(static (a, b) => InternalKey.Compare(a.Smallest, b.Smallest));
        }

        return new Version(levels);
    }

    public void Ref() => Interlocked.Increment(ref _refs);

    /// <summary>Drops a reference; when the last one goes, returns files no live version holds any more.</summary>
    public List<FileMetadata>? Unref()
    {
        if (Interlocked.Decrement(ref _refs) != 0)
        {
            return null;
        }

        var obsolete = new List<FileMetadata>();
        foreach (var level in _levels)
        {
            foreach (var file in level)
            {
                if (file.Unref())
                {
                    obsolete.Add(file);
                }
            }
        }

        return obsolete;
    }

    public bool TryGet(ReadOnlySpan<byte> userKey, ulong sequence, TableCache tables, out EntryKind kind, out byte[] value)
    {
        var hash = BloomFilter.Hash(userKey);
        foreach (var file in _levels[0])
        {
            if (userKey.SequenceCompareTo(file.SmallestUserKey) >= 0 && userKey.SequenceCompareTo(file.LargestUserKey) <= 0
                && tables.Get(file).TryGet(userKey, hash, sequence, out kind, out value))
            {
                return true;
            }
        }

        for (var level = 1; level < LevelCount; level++)
        {
            var files = _levels[level];
            var index = FindFile(files, userKey);
            if (index < files.Count && userKey.SequenceCompareTo(files[index].SmallestUserKey) >= 0
                && tables.Get(files[index]).TryGet(userKey, hash, sequence, out kind, out value))
            {
                return true;
            }
        }

        kind = default;
        value = [];
        return false;
    }

    /// <summary>Index of the first file in a sorted level whose largest user key is at or after the key.</summary>
    public static int FindFile(IReadOnlyList<FileMetadata> files, ReadOnlySpan<byte> userKey)
    {
        var left = 0;
        var right = files.Count;
        while (left < right)
        {
            var mid = (left + right) >>> 1;
            if (files[mid].LargestUserKey.SequenceCompareTo(userKey) < 0)
            {
                left = mid + 1;
            }
            else
            {
                right = mid;
            }
        }

        return left;
    }

    public List<FileMetadata> Overlapping(int level, ReadOnlySpan<byte> smallestUserKey, ReadOnlySpan<byte> largestUserKey)
    {
        var result = new List<FileMetadata>();
        foreach (var file in _levels[level])
        {
            if (file.LargestUserKey.SequenceCompareTo(smallestUserKey) >= 0 && file.SmallestUserKey.SequenceCompareTo(largestUserKey) <= 0)
            {
                result.Add(file);
            }
        }

        return result;
    }

    public void AddIterators(List<IInternalIterator> iterators, TableCache tables)
    {
        foreach (var file in _levels[0])
        {
            iterators.Add(tables.Get(file).NewIterator());
        }

        for (var level = 1; level < LevelCount; level++)
        {
            if (_levels[level].Count > 0)
            {
                iterators.Add(new LevelIterator(_levels[level], tables));
            }
        }
    }
}
