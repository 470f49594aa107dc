using System.Buffers.Binary;

namespace Stratus.Storage.Lsm;

/// <summary>Puts and deletes applied atomically, in order, by <see cref="LsmEngine.Write(WriteBatch)"/>.</summary>
public sealed class WriteBatch
{
    // Each operation: [kind:1][varint key length][key][varint value length][value]; a delete has no value part.
    private byte[] _buffer;
    private int _length;

    /// <summary>Creates an empty batch.</summary>
    public WriteBatch()
        : this(64)
    {
    }

    /// <summary>Creates an empty batch with room for about <paramref name="capacity"/> bytes of keys and values, so that it does not regrow as it fills.</summary>
    public WriteBatch(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _buffer = new byte[Math.Max(capacity, 64)];
    }

    /// <summary>Number of operations in the batch.</summary>
    public int Count { get; private set; }

    /// <summary>Whether the batch contains a range delete (which the engine expands to point deletes).</summary>
    internal bool HasRangeDelete { get; private set; }

    /// <summary>Bytes of keys and values in the batch.</summary>
    internal long PayloadBytes { get; private set; }

    internal ReadOnlySpan<byte> Operations => _buffer.AsSpan(0, _length);

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/>.</summary>
    public WriteBatch Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        Append(EntryKind.Put, key, value, hasValue: true);
        return this;
    }

    /// <summary>
    /// Sets <paramref name="key"/> to a value of <paramref name="valueLength"/> bytes that the caller writes into the
    /// returned span (before anything else is added to the batch), saving a copy of a value built in place.
    /// </summary>
    public Span<byte> Put(ReadOnlySpan<byte> key, int valueLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(valueLength);
        var start = Append(EntryKind.Put, key, default, hasValue: true, valueLength);
        return _buffer.AsSpan(start, valueLength);
    }

    /// <summary>Removes <paramref name="key"/>.</summary>
    public WriteBatch Delete(ReadOnlySpan<byte> key)
    {
        Append(EntryKind.Delete, key, default, hasValue: false);
        return this;
    }

    /// <summary>Removes every key in [<paramref name="begin"/>, <paramref name="end"/>).</summary>
    public WriteBatch DeleteRange(ReadOnlySpan<byte> begin, ReadOnlySpan<byte> end)
    {
        Append(EntryKind.DeleteRange, begin, end, hasValue: true);
        HasRangeDelete = true;
        return this;
    }

    /// <summary>Empties the batch for reuse.</summary>
    public void Clear()
    {
        _length = 0;
        Count = 0;
        PayloadBytes = 0;
        HasRangeDelete = false;
    }

    // Appends an operation; a value of valueLength bytes (value's own length when -1) is left for the caller to fill.
    // Returns where the value starts in the buffer.
    private int Append(EntryKind kind, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, bool hasValue, int valueLength = -1)
    {
        if (valueLength < 0)
        {
            valueLength = value.Length;
        }

        var needed = 1 + Varint.MaxLength64 + key.Length + (hasValue ? Varint.MaxLength64 + valueLength : 0);
        if (_length + needed > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + needed));
        }

        var span = _buffer.AsSpan(_length);
        span[0] = (byte)kind;
        var n = 1 + Varint.Write(span[1..], (ulong)key.Length);
        key.CopyTo(span[n..]);
        n += key.Length;
        var valueStart = 0;
        if (hasValue)
        {
            n += Varint.Write(span[n..], (ulong)valueLength);
            valueStart = _length + n;
            value.CopyTo(span[n..]);
            n += valueLength;
        }

        _length += n;
        Count++;
        PayloadBytes += key.Length + valueLength;
        return valueStart;
    }

    /// <summary>Reads the next operation from an encoded operation list; false at the end or on a malformed entry.</summary>
    internal static bool TryReadOperation(ReadOnlySpan<byte> source, ref int position, out EntryKind kind, out ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)
    {
        key = default;
        value = default;
        kind = default;
        if (position >= source.Length)
        {
            return false;
        }

        kind = (EntryKind)source[position];
        if (kind > EntryKind.DeleteRange)
        {
            return false;
        }

        var p = position + 1;
        var n = Varint.TryRead(source[p..], out var keyLength);
        if (n == 0 || keyLength > (ulong)(source.Length - p - n))
        {
            return false;
        }

        p += n;
        key = source.Slice(p, (int)keyLength);
        p += (int)keyLength;
        if (kind != EntryKind.Delete)
        {
            n = Varint.TryRead(source[p..], out var valueLength);
            if (n == 0 || valueLength > (ulong)(source.Length - p - n))
            {
                return false;
            }

            p += n;
            value = source.Slice(p, (int)valueLength);
            p += (int)valueLength;
        }

        position = p;
        return true;
    }

    internal static int WriteHeader(Span<byte> destination, ulong firstSequence, int count)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(destination, firstSequence);
        BinaryPrimitives.WriteInt32LittleEndian(destination[8..], count);
        return 12;
    }
}
