namespace Stratus.Storage.Lsm;

/// <summary>Writes an SSTable: data blocks, a bloom filter block, an index block, then the footer.</summary>
internal sealed class TableBuilder : IDisposable
{
    private readonly IWritableFile _file;
    private readonly LsmOptions _options;
    private readonly BlockBuilder _data;
    private readonly BlockBuilder _index;
    private readonly List<ulong> _hashes = [];
    private readonly byte[] _writeBuffer = new byte[256 << 10];
    private int _buffered;
    private long _offset;
    private byte[] _pendingIndexKey = [];
    private long _pendingOffset;
    private int _pendingSize;
    private bool _pendingIndex;
    private byte[] _lastUserKey = [];
    private bool _hasLast;

    public TableBuilder(IWritableFile file, LsmOptions options)
    {
        _file = file;
        _options = options;
        _data = new BlockBuilder(options.BlockRestartInterval);
        _index = new BlockBuilder(1);
    }

    public long Entries { get; private set; }

    public byte[]? Smallest { get; private set; }

    public byte[]? Largest { get; private set; }

    public long FileSize => _offset + _buffered + _data.EstimatedSize;

    public void Add(ReadOnlySpan<byte> userKey, ulong tag, ReadOnlySpan<byte> value)
    {
        if (_pendingIndex)
        {
            AddIndexEntry();
        }

        Smallest ??= InternalKey.Make(userKey, tag);
        if (!_hasLast || !userKey.SequenceEqual(_lastUserKey))
        {
            _hashes.Add(BloomFilter.Hash(userKey));
            _lastUserKey = userKey.ToArray();
            _hasLast = true;
        }

        _data.Add(userKey, tag, value);
        Entries++;
        if (_data.EstimatedSize >= _options.BlockSize)
        {
            FlushDataBlock();
        }
    }

    /// <summary>Finishes the table; returns its size. The caller syncs and closes the file.</summary>
    public long Finish()
    {
        if (!_data.IsEmpty)
        {
            FlushDataBlock();
        }

        if (_pendingIndex)
        {
            AddIndexEntry();
        }

        var filter = BloomFilter.Build(_hashes, _options.BloomBitsPerKey);
        var filterOffset = _offset + _buffered;
        WriteBlock(filter);
        var indexOffset = _offset + _buffered;
        var index = _index.Finish();
        var indexSize = index.Length;
        WriteBlock(index);
        Span<byte> footer = stackalloc byte[TableFormat.FooterSize];
        TableFormat.WriteFooter(footer, filterOffset, filter.Length, indexOffset, indexSize);
        WriteRaw(footer);
        FlushBuffer();
        return _offset;
    }

    public void SyncFile() => _file.Sync();

    public void Dispose() => _file.Dispose();

    private void FlushDataBlock()
    {
        Largest = _data.LastKey.ToArray();
        _pendingIndexKey = Largest;
        var contents = _data.Finish();
        _pendingOffset = _offset + _buffered;
        _pendingSize = contents.Length;
        WriteBlock(contents);
        _data.Reset();
        _pendingIndex = true;
    }

    private void AddIndexEntry()
    {
        Span<byte> handle = stackalloc byte[2 * Varint.MaxLength64];
        var n = Varint.Write(handle, (ulong)_pendingOffset);
        n += Varint.Write(handle[n..], (ulong)_pendingSize);
        _index.Add(InternalKey.UserKey(_pendingIndexKey), InternalKey.TagOf(_pendingIndexKey), handle[..n]);
        _pendingIndex = false;
    }

    private void WriteBlock(ReadOnlySpan<byte> contents)
    {
        WriteRaw(contents);
        Span<byte> trailer = stackalloc byte[TableFormat.BlockTrailerSize];
        TableFormat.WriteTrailer(trailer, contents);
        WriteRaw(trailer);
    }

    private void WriteRaw(ReadOnlySpan<byte> data)
    {
        while (data.Length > 0)
        {
            var n = Math.Min(data.Length, _writeBuffer.Length - _buffered);
            data[..n].CopyTo(_writeBuffer.AsSpan(_buffered));
            _buffered += n;
            data = data[n..];
            if (_buffered == _writeBuffer.Length)
            {
                FlushBuffer();
            }
        }
    }

    private void FlushBuffer()
    {
        if (_buffered > 0)
        {
            _file.Append(_writeBuffer.AsSpan(0, _buffered));
            _offset += _buffered;
            _buffered = 0;
        }
    }

    internal static bool TryReadHandle(ReadOnlySpan<byte> value, out long offset, out int size)
    {
        offset = 0;
        size = 0;
        var n = Varint.TryRead(value, out var o);
        if (n == 0)
        {
            return false;
        }

        var m = Varint.TryRead(value[n..], out var s);
        if (m == 0 || s > int.MaxValue || o > long.MaxValue)
        {
            return false;
        }

        offset = (long)o;
        size = (int)s;
        return true;
    }
}
