using System.Buffers.Binary;
using System.IO.Hashing;

namespace Stratus.Storage.Lsm;

/// <summary>
/// The record framing shared by the write-ahead log and the manifest:
/// <c>[crc32c:4][length:4][payload]</c>, the CRC covering the length field and the payload, so a torn
/// length is detected as surely as a torn payload. An all-zero header ends the log: no record has one (the CRC of a zero
/// length is not zero), and a write-ahead log is written over a file filled with zeros (see <c>LsmEngine.PrepareWal</c>).
/// </summary>
internal static class LogRecord
{
    public const int HeaderSize = 8;

    public static int Frame(Span<byte> destination, ReadOnlySpan<byte> payload)
    {
        BinaryPrimitives.WriteInt32LittleEndian(destination[4..], payload.Length);
        payload.CopyTo(destination[HeaderSize..]);
        BinaryPrimitives.WriteUInt32LittleEndian(destination, Crc(destination.Slice(4, 4 + payload.Length)));
        return HeaderSize + payload.Length;
    }

    /// <summary>Writes the header for a payload already placed at <c>destination[HeaderSize..]</c>.</summary>
    public static void FrameInPlace(Span<byte> record)
    {
        BinaryPrimitives.WriteInt32LittleEndian(record[4..], record.Length - HeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(record, Crc(record[4..]));
    }

    public static uint Crc(ReadOnlySpan<byte> lengthAndPayload) => Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, lengthAndPayload);

    public enum ReadStatus
    {
        Record,
        End,
        Torn,
    }

    /// <summary>Reads the record at <paramref name="position"/>; <see cref="ReadStatus.Torn"/> for a truncated or mismatching record.</summary>
    public static ReadStatus TryRead(ReadOnlySpan<byte> log, ref int position, out ReadOnlySpan<byte> payload)
    {
        payload = default;
        if (position >= log.Length)
        {
            return ReadStatus.End;
        }

        if (log.Length - position < HeaderSize)
        {
            return ReadStatus.Torn;
        }

        if (BinaryPrimitives.ReadUInt64LittleEndian(log[position..]) == 0)
        {
            return ReadStatus.End;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(log[(position + 4)..]);
        if (length < 0 || length > log.Length - position - HeaderSize)
        {
            return ReadStatus.Torn;
        }

        var stored = BinaryPrimitives.ReadUInt32LittleEndian(log[position..]);
        if (stored != Crc(log.Slice(position + 4, 4 + length)))
        {
            return ReadStatus.Torn;
        }

        payload = log.Slice(position + HeaderSize, length);
        position += HeaderSize + length;
        return ReadStatus.Record;
    }

    public static byte[] ReadAll(IFileSystem fileSystem, string path)
    {
        using var file = fileSystem.OpenRead(path);
        var length = file.Length;
        if (length > int.MaxValue)
        {
            throw new LsmCorruptionException(Path.GetFileName(path), 0, "log file larger than 2 GiB");
        }

        var buffer = new byte[length];
        var read = file.Read(buffer, 0);
        return read == buffer.Length ? buffer : buffer.AsSpan(0, read).ToArray();
    }
}
