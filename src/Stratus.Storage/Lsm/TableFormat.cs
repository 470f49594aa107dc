using System.Buffers.Binary;

namespace Stratus.Storage.Lsm;

/// <summary>SSTable constants and the footer codec.</summary>
internal static class TableFormat
{
    public const ulong Magic = 0x5354524154555353UL; // "SSUTARTS" little-endian: "STRATUSS"
    public const uint Version = 1;
    public const int FooterSize = 48;
    public const int BlockTrailerSize = 5;
    public const byte BlockUncompressed = 0;

    public static void WriteFooter(Span<byte> footer, long filterOffset, int filterSize, long indexOffset, int indexSize)
    {
        BinaryPrimitives.WriteInt64LittleEndian(footer, filterOffset);
        BinaryPrimitives.WriteInt64LittleEndian(footer[8..], filterSize);
        BinaryPrimitives.WriteInt64LittleEndian(footer[16..], indexOffset);
        BinaryPrimitives.WriteInt64LittleEndian(footer[24..], indexSize);
        BinaryPrimitives.WriteUInt32LittleEndian(footer[32..], Version);
        BinaryPrimitives.WriteUInt32LittleEndian(footer[36..], Checksum.Crc32C(footer[..36]));
        BinaryPrimitives.WriteUInt64LittleEndian(footer[40..], Magic);
    }

    /// <summary>Appends [kind][crc32c(contents + kind)] after a block.</summary>
    public static void WriteTrailer(Span<byte> trailer, ReadOnlySpan<byte> contents)
    {
        trailer[0] = BlockUncompressed;
        var crc = Crc32C(contents, BlockUncompressed);
        BinaryPrimitives.WriteUInt32LittleEndian(trailer[1..], crc);
    }

    public static uint Crc32C(ReadOnlySpan<byte> contents, byte kind)
    {
        var crc = new System.IO.Hashing.Crc32(System.IO.Hashing.Crc32ParameterSet.Crc32C);
        crc.Append(contents);
        crc.Append([kind]);
        return crc.GetCurrentHashAsUInt32();
    }
}
