namespace Stratus.Storage.Lsm;

/// <summary>A file read by position, safe for concurrent readers.</summary>
public interface IReadableFile : IDisposable
{
    /// <summary>The file's length in bytes.</summary>
    long Length { get; }

    /// <summary>Reads up to <paramref name="destination"/>.Length bytes at <paramref name="offset"/>; returns the count read.</summary>
    int Read(Span<byte> destination, long offset);
}
