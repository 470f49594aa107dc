using System.IO.Hashing;
using System.Runtime.CompilerServices;

namespace Stratus.Storage.Lsm;

/// <summary>A whole-file bloom filter over user keys: double hashing of XxHash3; the last byte holds the probe count.</summary>
internal static class BloomFilter
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Hash(ReadOnlySpan<byte> key) => XxHash3.HashToUInt64(key);

    public static byte[] Build(List<ulong> hashes, int bitsPerKey)
    {
        var probes = Math.Clamp((int)Math.Round(bitsPerKey * 0.69), 1, 30);
        var bits = Math.Max(64, hashes.Count * bitsPerKey);
        var bytes = (bits + 7) / 8;
        bits = bytes * 8;
        var filter = new byte[bytes + 1];
        foreach (var hash in hashes)
        {
            var h = (uint)hash;
            var delta = (uint)(hash >> 32) | 1;
            for (var i = 0; i < probes; i++)
            {
                var bit = h % (uint)bits;
                filter[bit >> 3] |= (byte)(1 << (int)(bit & 7));
                h += delta;
            }
        }

        filter[bytes] = (byte)probes;
        return filter;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool MayContain(ReadOnlySpan<byte> filter, ulong hash)
    {
        if (filter.Length < 2)
        {
            return true;
        }

        var bits = (uint)((filter.Length - 1) * 8);
        var probes = filter[^1];
        var h = (uint)hash;
        var delta = (uint)(hash >> 32) | 1;
        for (var i = 0; i < probes; i++)
        {
            var bit = h % bits;
            if ((filter[(int)(bit >> 3)] & (1 << (int)(bit & 7))) == 0)
            {
                return false;
            }

            h += delta;
        }

        return true;
    }
}
