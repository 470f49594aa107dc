using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Stratus.S3.Metadata;

/// <summary>
/// Version ids: 32 URL-safe characters that sort, as byte strings, newest first. The first 8 of their 24 bytes are the
/// inverted creation time in microseconds, the other 16 random, written in an alphabet whose characters are in ASCII
/// order, so the id itself is the sort key of the versions range (<see cref="S3Keys.Version"/>) and a key's latest
/// version is the first one a scan meets.
/// </summary>
internal static class VersionIds
{
    public const int Length = 32;

    // Ascending ASCII, so that comparing encoded strings compares the bytes they encode.
    private const string Alphabet = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";

    private static long _lastMicros;

    /// <summary>A new id, newer than <paramref name="newerThan"/> (the key's latest version) and than any this process made.</summary>
    public static string New(DateTimeOffset now, string? newerThan)
    {
        var micros = (now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        if (newerThan is not null && IsWellFormed(newerThan))
        {
            micros = Math.Max(micros, MicrosOf(newerThan) + 1);
        }

        // Strictly increasing within the process, so two versions made in the same microsecond still have an order.
        long last;
        do
        {
            last = Interlocked.Read(ref _lastMicros);
            micros = Math.Max(micros, last + 1);
        }
        while (Interlocked.CompareExchange(ref _lastMicros, micros, last) != last);

        Span<byte> bytes = stackalloc byte[24];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, ulong.MaxValue - (ulong)micros);
        RandomNumberGenerator.Fill(bytes[8..]);
        return Encode(bytes);
    }

    /// <summary>True when <paramref name="id"/> has the shape of an id this scheme makes.</summary>
    public static bool IsWellFormed(string id)
    {
        if (id.Length != Length)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (Alphabet.IndexOf(c, StringComparison.Ordinal) < 0)
            {
                return false;
            }
        }

        return true;
    }

    private static long MicrosOf(string id)
    {
        Span<byte> bytes = stackalloc byte[24];
        Decode(id, bytes);
        return (long)(ulong.MaxValue - BinaryPrimitives.ReadUInt64BigEndian(bytes));
    }

    private static string Encode(ReadOnlySpan<byte> bytes)
    {
        Span<char> chars = stackalloc char[Length];
        for (int i = 0, c = 0; i < bytes.Length; i += 3)
        {
            var group = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
            chars[c++] = Alphabet[(group >> 18) & 63];
            chars[c++] = Alphabet[(group >> 12) & 63];
            chars[c++] = Alphabet[(group >> 6) & 63];
            chars[c++] = Alphabet[group & 63];
        }

        return new string(chars);
    }

    private static void Decode(string id, Span<byte> bytes)
    {
        for (int i = 0, c = 0; i < bytes.Length; i += 3)
        {
            var group = (Alphabet.IndexOf(id[c++]) << 18) | (Alphabet.IndexOf(id[c++]) << 12) | (Alphabet.IndexOf(id[c++]) << 6) | Alphabet.IndexOf(id[c++]);
            bytes[i] = (byte)(group >> 16);
            bytes[i + 1] = (byte)(group >> 8);
            bytes[i + 2] = (byte)group;
        }
    }
}
