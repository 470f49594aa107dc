namespace Stratus.Storage.Lsm;

/// <summary>One manifest record: a change to the set of live files and the engine's counters.</summary>
internal sealed class VersionEdit
{
    private const byte FieldFormatVersion = 1;
    private const byte FieldLogNumber = 2;
    private const byte FieldNextFileNumber = 3;
    private const byte FieldLastSequence = 4;
    private const byte FieldDeletedFile = 5;
    private const byte FieldNewFile = 6;

    public uint? FormatVersion { get; set; }

    public ulong? LogNumber { get; set; }

    public ulong? NextFileNumber { get; set; }

    public ulong? LastSequence { get; set; }

    public List<(int Level, ulong Number)> Deleted { get; } = [];

    public List<(int Level, FileMetadata File)> Added { get; } = [];

    public byte[] Encode()
    {
        var buffer = new List<byte>(64);
        Span<byte> scratch = stackalloc byte[Varint.MaxLength64];
        void PutVarint(ulong value, Span<byte> s)
        {
            var n = Varint.Write(s, value);
            for (var i = 0; i < n; i++)
            {
                buffer.Add(s[i]);
            }
        }

        if (FormatVersion is { } fv)
        {
            buffer.Add(FieldFormatVersion);
            PutVarint(fv, scratch);
        }

        if (LogNumber is { } ln)
        {
            buffer.Add(FieldLogNumber);
            PutVarint(ln, scratch);
        }

        if (NextFileNumber is { } nf)
        {
            buffer.Add(FieldNextFileNumber);
            PutVarint(nf, scratch);
        }

        if (LastSequence is { } ls)
        {
            buffer.Add(FieldLastSequence);
            PutVarint(ls, scratch);
        }

        foreach (var (level, number) in Deleted)
        {
            buffer.Add(FieldDeletedFile);
            PutVarint((ulong)level, scratch);
            PutVarint(number, scratch);
        }

        foreach (var (level, file) in Added)
        {
            buffer.Add(FieldNewFile);
            PutVarint((ulong)level, scratch);
            PutVarint(file.Number, scratch);
            PutVarint((ulong)file.Size, scratch);
            PutVarint((ulong)file.Entries, scratch);
            PutVarint((ulong)file.Smallest.Length, scratch);
            buffer.AddRange(file.Smallest);
            PutVarint((ulong)file.Largest.Length, scratch);
            buffer.AddRange(file.Largest);
        }

        return [.. buffer];
    }

    public static bool TryDecode(ReadOnlySpan<byte> source, out VersionEdit edit)
    {
        edit = new VersionEdit();
        var p = 0;
        while (p < source.Length)
        {
            var field = source[p++];
            switch (field)
            {
                case FieldFormatVersion:
                    if (!Read(source, ref p, out var fv) || fv > uint.MaxValue)
                    {
                        return false;
                    }

                    edit.FormatVersion = (uint)fv;
                    break;
                case FieldLogNumber:
                    if (!Read(source, ref p, out var ln))
                    {
                        return false;
                    }

                    edit.LogNumber = ln;
                    break;
                case FieldNextFileNumber:
                    if (!Read(source, ref p, out var nf))
                    {
                        return false;
                    }

                    edit.NextFileNumber = nf;
                    break;
                case FieldLastSequence:
                    if (!Read(source, ref p, out var ls))
                    {
                        return false;
                    }

                    edit.LastSequence = ls;
                    break;
                case FieldDeletedFile:
                    if (!Read(source, ref p, out var dl) || !Read(source, ref p, out var dn) || dl >= Version.LevelCount)
                    {
                        return false;
                    }

                    edit.Deleted.Add(((int)dl, dn));
                    break;
                case FieldNewFile:
                    if (!Read(source, ref p, out var level) || level >= Version.LevelCount || !Read(source, ref p, out var number)
                        || !Read(source, ref p, out var size) || !Read(source, ref p, out var entries)
                        || !ReadBytes(source, ref p, out var smallest) || !ReadBytes(source, ref p, out var largest)
                        || smallest.Length < InternalKey.TagSize || largest.Length < InternalKey.TagSize)
                    {
                        return false;
                    }

                    edit.Added.Add(((int)level, new FileMetadata(number, (long)size, smallest, largest, (long)entries)));
                    break;
                default:
                    return false;
            }
        }

        return true;
    }

    private static bool Read(ReadOnlySpan<byte> source, ref int position, out ulong value)
    {
        var n = Varint.TryRead(source[position..], out value);
        position += n;
        return n > 0;
    }

    private static bool ReadBytes(ReadOnlySpan<byte> source, ref int position, out byte[] value)
    {
        value = [];
        if (!Read(source, ref position, out var length) || length > (ulong)(source.Length - position))
        {
            return false;
        }

        value = source.Slice(position, (int)length).ToArray();
        position += (int)length;
        return true;
    }
}
