namespace Stratus.Storage.Lsm;

/// <summary>Concatenates the sorted, non-overlapping files of one level (L1 and deeper), opening one table at a time.</summary>
internal sealed class LevelIterator(IReadOnlyList<FileMetadata> files, TableCache tables, bool fillCache = true) : IInternalIterator
{
    private readonly bool _fillCache = fillCache;
    private readonly IReadOnlyList<FileMetadata> _files = files;
    private readonly TableCache _tables = tables;
    private IInternalIterator? _table;
    private int _fileIndex = -1;

    public bool Valid => _table != null && _table.Valid;

    public ReadOnlySpan<byte> UserKey => _table!.UserKey;

    public ulong Tag => _table!.Tag;

    public ReadOnlySpan<byte> Value => _table!.Value;

    public void SeekToFirst()
    {
        if (Open(0))
        {
            _table!.SeekToFirst();
            SkipForward();
        }
    }

    public void SeekToLast()
    {
        if (Open(_files.Count - 1))
        {
            _table!.SeekToLast();
            SkipBackward();
        }
    }

    public void Seek(ReadOnlySpan<byte> userKey, ulong tag)
    {
        // First file whose largest key is at or after the target.
        var left = 0;
        var right = _files.Count;
        while (left < right)
        {
            var mid = (left + right) >>> 1;
            var largest = _files[mid].Largest;
            if (InternalKey.Compare(InternalKey.UserKey(largest), InternalKey.TagOf(largest), userKey, tag) < 0)
            {
                left = mid + 1;
            }
            else
            {
                right = mid;
            }
        }

        if (Open(left))
        {
            _table!.Seek(userKey, tag);
            SkipForward();
        }
    }

    public void Next()
    {
        _table!.Next();
        SkipForward();
    }

    public void Prev()
    {
        _table!.Prev();
        SkipBackward();
    }

    public void Dispose() => _table?.Dispose();

    private bool Open(int index)
    {
        if (index == _fileIndex && _table != null)
        {
            return true;
        }

        _table?.Dispose();
        _table = null;
        _fileIndex = index;
        if (index < 0 || index >= _files.Count)
        {
            return false;
        }

        _table = _tables.Get(_files[index]).NewIterator(_fillCache);
        return true;
    }

    private void SkipForward()
    {
        while (_table != null && !_table.Valid)
        {
            if (!Open(_fileIndex + 1))
            {
                return;
            }

            _table!.SeekToFirst();
        }
    }

    private void SkipBackward()
    {
        while (_table != null && !_table.Valid)
        {
            if (!Open(_fileIndex - 1))
            {
                return;
            }

            _table!.SeekToLast();
        }
    }
}
