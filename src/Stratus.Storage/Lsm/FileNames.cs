namespace Stratus.Storage.Lsm;

/// <summary>Names of the engine's files: <c>NNNNNN.sst</c>, <c>NNNNNN.wal</c>, <c>MANIFEST-NNNNNN</c>, <c>CURRENT</c>, <c>LOCK</c>.</summary>
internal static class FileNames
{
    public const string Current = "CURRENT";
    public const string Lock = "LOCK";
    public const string ManifestPrefix = "MANIFEST-";

    public static string Table(string directory, ulong number) => Path.Combine(directory, $"{number:D6}.sst");

    public static string Wal(string directory, ulong number) => Path.Combine(directory, $"{number:D6}.wal");

    public static string Manifest(string directory, ulong number) => Path.Combine(directory, $"{ManifestPrefix}{number:D6}");

    public enum Kind
    {
        Unknown,
        Table,
        Wal,
        Manifest,
        Current,
        Temp,
    }

    public static Kind Parse(string name, out ulong number)
    {
        number = 0;
        if (name == Current)
        {
            return Kind.Current;
        }

        if (name.EndsWith(".tmp", StringComparison.Ordinal))
        {
            return Kind.Temp;
        }

        if (name.StartsWith(ManifestPrefix, StringComparison.Ordinal))
        {
            return ulong.TryParse(name.AsSpan(ManifestPrefix.Length), out number) ? Kind.Manifest : Kind.Unknown;
        }

        var dot = name.LastIndexOf('.');
        if (dot <= 0 || !ulong.TryParse(name.AsSpan(0, dot), out number))
        {
            return Kind.Unknown;
        }

        return name.AsSpan(dot) switch
        {
            ".sst" => Kind.Table,
            ".wal" => Kind.Wal,
            _ => Kind.Unknown,
        };
    }
}
