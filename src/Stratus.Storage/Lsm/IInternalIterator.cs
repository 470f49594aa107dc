namespace Stratus.Storage.Lsm;

/// <summary>An iterator over internal entries (user key, tag, value) in internal-key order.</summary>
internal interface IInternalIterator : IDisposable
{
    bool Valid { get; }

    ReadOnlySpan<byte> UserKey { get; }

    ulong Tag { get; }

    ReadOnlySpan<byte> Value { get; }

    void SeekToFirst();

    void SeekToLast();

    /// <summary>Positions at the first entry at or after (<paramref name="userKey"/>, <paramref name="tag"/>).</summary>
    void Seek(ReadOnlySpan<byte> userKey, ulong tag);

    void Next();

    void Prev();
}
