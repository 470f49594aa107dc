namespace Stratus.Storage.Lsm;

/// <summary>A live SSTable as the manifest records it.</summary>
internal sealed class FileMetadata(ulong number, long size, byte[] smallest, byte[] largest, long entries)
{
    private int _refs;

    public ulong Number { get; } = number;

    public long Size { get; } = size;

    /// <summary>Smallest internal key.</summary>
    public byte[] Smallest { get; } = smallest;

    /// <summary>Largest internal key.</summary>
    public byte[] Largest { get; } = largest;

    public long Entries { get; } = entries;

    public ReadOnlySpan<byte> SmallestUserKey => InternalKey.UserKey(Smallest);

    public ReadOnlySpan<byte> LargestUserKey => InternalKey.UserKey(Largest);

    public void Ref() => Interlocked.Increment(ref _refs);

    /// <summary>Returns true when the last version holding the file let go of it.</summary>
    public bool Unref() => Interlocked.Decrement(ref _refs) == 0;
}
