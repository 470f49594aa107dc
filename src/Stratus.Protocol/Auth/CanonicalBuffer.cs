using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;

namespace Stratus.Protocol.Auth;

/// <summary>A growable UTF-8 byte buffer over a stack or pooled array, for building canonical strings without garbage.</summary>
internal ref struct CanonicalBuffer
{
    private Span<byte> _span;
    private byte[]? _rented;
    private int _length;

    public CanonicalBuffer(Span<byte> initial)
    {
        _span = initial;
        _rented = null;
        _length = 0;
    }

    public readonly int Length => _length;

    public readonly ReadOnlySpan<byte> Written => _span[.._length];

    public void Append(byte b)
    {
        if (_length == _span.Length)
        {
            Grow(1);
        }

        _span[_length++] = b;
    }

    public void Append(scoped ReadOnlySpan<byte> bytes)
    {
        if (_length + bytes.Length > _span.Length)
        {
            Grow(bytes.Length);
        }

        bytes.CopyTo(_span[_length..]);
        _length += bytes.Length;
    }

    /// <summary>Appends text as UTF-8 (ASCII fast path).</summary>
    public void Append(scoped ReadOnlySpan<char> text)
    {
        var max = text.Length * 3;
        if (_length + max > _span.Length)
        {
            Grow(max);
        }

        if (Ascii.FromUtf16(text, _span[_length..], out var written) == OperationStatus.Done)
        {
            _length += written;
            return;
        }

        _length += Encoding.UTF8.GetBytes(text, _span[_length..]);
    }

    /// <summary>Appends a byte as '%' and two upper-case hex digits.</summary>
    public void AppendPercentEncoded(byte b)
    {
        if (_length + 3 > _span.Length)
        {
            Grow(3);
        }

        _span[_length] = (byte)'%';
        _span[_length + 1] = HexUpper(b >> 4);
        _span[_length + 2] = HexUpper(b & 0xF);
        _length += 3;
    }

    /// <summary>Appends bytes as lower-case hex.</summary>
    public void AppendHexLower(scoped ReadOnlySpan<byte> bytes)
    {
        var needed = bytes.Length * 2;
        if (_length + needed > _span.Length)
        {
            Grow(needed);
        }

        Convert.TryToHexStringLower(bytes, _span.Slice(_length, needed), out _);
        _length += needed;
    }

    public readonly string ToUtf8String() => Encoding.UTF8.GetString(Written);

    public void Dispose()
    {
        var rented = _rented;
        _rented = null;
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte HexUpper(int nibble) => (byte)(nibble < 10 ? '0' + nibble : 'A' + nibble - 10);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int additional)
    {
        var newSize = Math.Max(_span.Length * 2, _length + additional + 256);
        var next = ArrayPool<byte>.Shared.Rent(newSize);
        _span[.._length].CopyTo(next);
        var old = _rented;
        _rented = next;
        _span = next;
        if (old is not null)
        {
            ArrayPool<byte>.Shared.Return(old);
        }
    }
}
