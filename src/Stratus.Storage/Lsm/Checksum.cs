using System.IO.Hashing;
using System.Runtime.CompilerServices;

namespace Stratus.Storage.Lsm;

/// <summary>CRC32C (Castagnoli) over WAL records, blocks and footers.</summary>
internal static class Checksum
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Crc32C(ReadOnlySpan<byte> data) => Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, data);
}
