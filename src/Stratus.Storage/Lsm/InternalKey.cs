using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Stratus.Storage.Lsm;

/// <summary>
/// An internal key is the user key followed by an 8-byte little-endian tag <c>(sequence &lt;&lt; 8) | kind</c>.
/// Order: user key ascending (bytewise), then tag descending so the newest version of a key comes first.
/// </summary>
internal static class InternalKey
{
    public const int TagSize = 8;
    public const ulong MaxSequence = (1UL << 56) - 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Tag(ulong sequence, EntryKind kind) => (sequence << 8) | (byte)kind;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SequenceOf(ulong tag) => tag >> 8;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static EntryKind KindOf(ulong tag) => (EntryKind)(tag & 0xFF);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ReadOnlySpan<byte> UserKey(ReadOnlySpan<byte> internalKey) => internalKey[..^TagSize];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong TagOf(ReadOnlySpan<byte> internalKey) => BinaryPrimitives.ReadUInt64LittleEndian(internalKey[^TagSize..]);

    public static byte[] Make(ReadOnlySpan<byte> userKey, ulong tag)
    {
        var result = new byte[userKey.Length + TagSize];
        userKey.CopyTo(result);
        BinaryPrimitives.WriteUInt64LittleEndian(result.AsSpan(userKey.Length), tag);
        return result;
    }

    public static void Write(Span<byte> destination, ReadOnlySpan<byte> userKey, ulong tag)
    {
        userKey.CopyTo(destination);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[userKey.Length..], tag);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Compare(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        var c = UserKey(a).SequenceCompareTo(UserKey(b));
        if (c != 0)
        {
            return c;
        }

        return TagOf(b).CompareTo(TagOf(a));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Compare(ReadOnlySpan<byte> userKeyA, ulong tagA, ReadOnlySpan<byte> userKeyB, ulong tagB)
    {
        var c = userKeyA.SequenceCompareTo(userKeyB);
        if (c != 0)
        {
            return c;
        }

        return tagB.CompareTo(tagA);
    }
}
