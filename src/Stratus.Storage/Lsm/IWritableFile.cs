namespace Stratus.Storage.Lsm;

/// <summary>An append-only file; <see cref="Sync"/> makes what was appended durable.</summary>
public interface IWritableFile : IDisposable
{
    /// <summary>Bytes appended so far.</summary>
    long Length { get; }

    /// <summary>Appends bytes (they may sit in the OS cache until <see cref="Sync"/>).</summary>
    void Append(ReadOnlySpan<byte> data);

    /// <summary>Flushes to the device (fdatasync); throws if the device reports an error.</summary>
    void Sync();
}
