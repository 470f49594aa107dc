using System.Buffers.Binary;

namespace Stratus.Storage.Lsm;

/// <summary>Iterates the entries of one block; seeks by binary search over restart points.</summary>
internal sealed class BlockIterator
{
    private byte[] _data = [];
    private int _restartsOffset;
    private int _restartCount;
    private int _current;
    private int _next;
    private byte[] _key = new byte[64];
    private int _keyLength;
    private int _valueOffset;
    private int _valueLength;
    private string _fileName = string.Empty;
    private long _blockOffset;

    public bool Valid => _current < _restartsOffset;

    public ReadOnlySpan<byte> InternalKeyBytes => _key.AsSpan(0, _keyLength);

    public ReadOnlySpan<byte> UserKey => _key.AsSpan(0, _keyLength - InternalKey.TagSize);

    public ulong Tag => BinaryPrimitives.ReadUInt64LittleEndian(_key.AsSpan(_keyLength - InternalKey.TagSize));

    public ReadOnlySpan<byte> Value => _data.AsSpan(_valueOffset, _valueLength);

    /// <summary>Points the iterator at a block's contents (without trailer); not positioned yet.</summary>
    public void Reset(byte[] data, int length, string fileName, long blockOffset)
    {
        _fileName = fileName;
        _blockOffset = blockOffset;
        if (length < 4)
        {
            throw Corrupt("block too short");
        }

        _restartCount = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(length - 4));
        var restartsOffset = length - 4 - (_restartCount * 4);
        if (_restartCount <= 0 || restartsOffset < 0)
        {
            throw Corrupt("bad restart count");
        }

        _data = data;
        _restartsOffset = restartsOffset;
        _current = _restartsOffset;
        _next = _restartsOffset;
        _keyLength = 0;
    }

    public void SeekToFirst()
    {
        SeekToRestart(0);
        ParseNext();
    }

    public void SeekToLast()
    {
        SeekToRestart(_restartCount - 1);
        while (ParseNext() && _next < _restartsOffset)
        {
        }
    }

    public void Next() => ParseNext();

    public void Prev()
    {
        var original = _current;
        var restart = _restartCount - 1;
        while (RestartPoint(restart) >= original)
        {
            if (restart == 0)
            {
                _current = _restartsOffset;
                _next = _restartsOffset;
                return;
            }

            restart--;
        }

        SeekToRestart(restart);
        while (ParseNext() && _next < original)
        {
        }
    }

    /// <summary>Positions at the first entry at or after (userKey, tag); invalid if all entries are smaller.</summary>
    public void Seek(ReadOnlySpan<byte> userKey, ulong tag)
    {
        var left = 0;
        var right = _restartCount - 1;
        while (left < right)
        {
            var mid = (left + right + 1) / 2;
            var offset = RestartPoint(mid);
            if (!TryDecodeRestartKey(offset, out var midKey))
            {
                throw Corrupt("bad entry at restart point");
            }

            if (InternalKey.Compare(InternalKey.UserKey(midKey), InternalKey.TagOf(midKey), userKey, tag) < 0)
            {
                left = mid;
            }
            else
            {
                right = mid - 1;
            }
        }

        SeekToRestart(left);
        while (ParseNext())
        {
            if (InternalKey.Compare(UserKey, Tag, userKey, tag) >= 0)
            {
                return;
            }
        }
    }

    private int RestartPoint(int index) => BinaryPrimitives.ReadInt32LittleEndian(_data.AsSpan(_restartsOffset + (index * 4)));

    private void SeekToRestart(int index)
    {
        _keyLength = 0;
        _next = RestartPoint(index);
        _current = _next;
    }

    private bool TryDecodeRestartKey(int offset, out ReadOnlySpan<byte> key)
    {
        var span = _data.AsSpan(offset, _restartsOffset - offset);
        var p = Varint.TryRead(span, out var shared);
        if (p == 0 || shared != 0)
        {
            key = default;
            return false;
        }

        var n = Varint.TryRead(span[p..], out var nonShared);
        p += n;
        var m = Varint.TryRead(span[p..], out _);
        p += m;
        if (n == 0 || m == 0 || nonShared < InternalKey.TagSize || (ulong)(span.Length - p) < nonShared)
        {
            key = default;
            return false;
        }

        key = span.Slice(p, (int)nonShared);
        return true;
    }

    private bool ParseNext()
    {
        _current = _next;
        if (_current >= _restartsOffset)
        {
            _current = _restartsOffset;
            return false;
        }

        var span = _data.AsSpan(_current, _restartsOffset - _current);
        var p = Varint.TryRead(span, out var shared);
        var n1 = p;
        var n2 = Varint.TryRead(span[p..], out var nonShared);
        p += n2;
        var n3 = Varint.TryRead(span[p..], out var valueLength);
        p += n3;
        if (n1 == 0 || n2 == 0 || n3 == 0 || shared > (ulong)_keyLength || (ulong)(span.Length - p) < nonShared + valueLength
            || shared + nonShared < InternalKey.TagSize)
        {
            throw Corrupt("bad entry");
        }

        var keyLength = (int)(shared + nonShared);
        if (_key.Length < keyLength)
        {
            Array.Resize(ref _key, Math.Max(keyLength, _key.Length * 2));
        }

        span.Slice(p, (int)nonShared).CopyTo(_key.AsSpan((int)shared));
        _keyLength = keyLength;
        p += (int)nonShared;
        _valueOffset = _current + p;
        _valueLength = (int)valueLength;
        _next = _valueOffset + _valueLength;
        return true;
    }

    private LsmCorruptionException Corrupt(string detail) => new(_fileName, _blockOffset, detail);
}
