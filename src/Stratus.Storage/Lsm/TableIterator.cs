namespace Stratus.Storage.Lsm;

/// <summary>A two-level iterator over an SSTable: the in-memory index picks the block, a block iterator walks it.</summary>
internal sealed class TableIterator(TableReader table, bool fillCache) : IInternalIterator
{
    private readonly TableReader _table = table;
    private readonly bool _fillCache = fillCache;
    private readonly BlockIterator _block = new();
    private int _blockIndex = -1;
    private byte[]? _scratch;

    public bool Valid => _blockIndex >= 0 && _blockIndex < _table.BlockCount && _block.Valid;

    public ReadOnlySpan<byte> UserKey => _block.UserKey;

    public ulong Tag => _block.Tag;

    public ReadOnlySpan<byte> Value => _block.Value;

    public void SeekToFirst()
    {
        if (!LoadBlock(0))
        {
            return;
        }

        _block.SeekToFirst();
        SkipEmptyForward();
    }

    public void SeekToLast()
    {
        if (!LoadBlock(_table.BlockCount - 1))
        {
            return;
        }

        _block.SeekToLast();
        SkipEmptyBackward();
    }

    public void Seek(ReadOnlySpan<byte> userKey, ulong tag)
    {
        if (!LoadBlock(_table.FindBlock(userKey, tag)))
        {
            return;
        }

        _block.Seek(userKey, tag);
        SkipEmptyForward();
    }

    public void Next()
    {
        _block.Next();
        SkipEmptyForward();
    }

    public void Prev()
    {
        _block.Prev();
        SkipEmptyBackward();
    }

    public void Dispose()
    {
    }

    private bool LoadBlock(int index)
    {
        _blockIndex = index;
        if (index < 0 || index >= _table.BlockCount)
        {
            return false;
        }

        var data = _fillCache ? _table.ReadBlock(index) : _table.ReadBlockUncached(index, ref _scratch);
        _block.Reset(data, _table.BlockSize(index), _table.Name, _table.BlockOffset(index));
        return true;
    }

    private void SkipEmptyForward()
    {
        while (!_block.Valid)
        {
            if (!LoadBlock(_blockIndex + 1))
            {
                return;
            }

            _block.SeekToFirst();
        }
    }

    private void SkipEmptyBackward()
    {
        while (!_block.Valid)
        {
            if (!LoadBlock(_blockIndex - 1))
            {
                return;
            }

            _block.SeekToLast();
        }
    }
}
