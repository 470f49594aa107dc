using System.Buffers.Binary;

namespace Stratus.Storage.Lsm;

/// <summary>Builds a block of internal-key entries with shared-prefix compression and restart points.</summary>
internal sealed class BlockBuilder(int restartInterval)
{
    private readonly int _restartInterval = restartInterval;
    private readonly List<int> _restarts = [0];
    private byte[] _buffer = new byte[8192];
    private byte[] _lastKey = new byte[256];
    private int _lastKeyLength;
    private int _length;
    private int _counter;

    public bool IsEmpty => _length == 0;

    public int EstimatedSize => _length + (_restarts.Count * 4) + 4;

    public ReadOnlySpan<byte> LastKey => _lastKey.AsSpan(0, _lastKeyLength);

    public void Add(ReadOnlySpan<byte> userKey, ulong tag, ReadOnlySpan<byte> value)
    {
        var keyLength = userKey.Length + InternalKey.TagSize;
        var shared = 0;
        if (_counter < _restartInterval)
        {
            var last = _lastKey.AsSpan(0, _lastKeyLength);
            var limit = Math.Min(last.Length, userKey.Length);
            shared = last[..limit].CommonPrefixLength(userKey[..limit]);
        }
        else
        {
            _restarts.Add(_length);
            _counter = 0;
        }

        var nonShared = keyLength - shared;
        Ensure(_length + (3 * Varint.MaxLength64) + nonShared + value.Length);
        var span = _buffer.AsSpan(_length);
        var n = Varint.Write(span, (ulong)shared);
        n += Varint.Write(span[n..], (ulong)nonShared);
        n += Varint.Write(span[n..], (ulong)value.Length);
        if (shared < userKey.Length)
        {
            userKey[shared..].CopyTo(span[n..]);
            n += userKey.Length - shared;
            BinaryPrimitives.WriteUInt64LittleEndian(span[n..], tag);
            n += InternalKey.TagSize;
        }
        else
        {
            // The whole user key is shared: only part of the tag differs.
            Span<byte> tagBytes = stackalloc byte[InternalKey.TagSize];
            BinaryPrimitives.WriteUInt64LittleEndian(tagBytes, tag);
            tagBytes[(shared - userKey.Length)..].CopyTo(span[n..]);
            n += nonShared;
        }

        value.CopyTo(span[n..]);
        n += value.Length;
        _length += n;
        _counter++;

        if (_lastKey.Length < keyLength)
        {
            Array.Resize(ref _lastKey, Math.Max(keyLength, _lastKey.Length * 2));
        }

        InternalKey.Write(_lastKey, userKey, tag);
        _lastKeyLength = keyLength;
    }

    /// <summary>Appends the restart array and returns the finished block contents (valid until the next Reset).</summary>
    public ReadOnlySpan<byte> Finish()
    {
        Ensure(_length + (_restarts.Count * 4) + 4);
        foreach (var restart in _restarts)
        {
            BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_length), restart);
            _length += 4;
        }

        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_length), _restarts.Count);
        _length += 4;
        return _buffer.AsSpan(0, _length);
    }

    public void Reset()
    {
        _length = 0;
        _counter = 0;
        _lastKeyLength = 0;
        _restarts.Clear();
        _restarts.Add(0);
    }

    private void Ensure(int size)
    {
        if (size > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(size, _buffer.Length * 2));
        }
    }
}
