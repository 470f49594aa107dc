namespace Stratus.Storage.Lsm;

/// <summary>Stored data failed a check (CRC, framing, magic); names the file and the byte offset.</summary>
public sealed class LsmCorruptionException : IOException
{
    /// <summary>Creates the exception.</summary>
    public LsmCorruptionException()
    {
        FileName = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    public LsmCorruptionException(string message)
        : base(message)
    {
        FileName = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    public LsmCorruptionException(string message, Exception innerException)
        : base(message, innerException)
    {
        FileName = string.Empty;
    }

    /// <summary>Creates the exception for a corrupt region of a file.</summary>
    public LsmCorruptionException(string fileName, long offset, string detail)
        : base($"corruption in {fileName} at offset {offset}: {detail}")
    {
        FileName = fileName;
        Offset = offset;
    }

    /// <summary>The file in which the corruption was found.</summary>
    public string FileName { get; }

    /// <summary>The byte offset of the corrupt block or record.</summary>
    public long Offset { get; }
}
