namespace Stratus.Storage.Lsm;

/// <summary>What a reader needs, captured together: the active memtable, the immutable ones (newest first) and the SSTable version.</summary>
internal sealed class ReadView(MemTable active, MemTable[] immutables, Version version)
{
    private int _refs = 1;

    public MemTable Active { get; } = active;

    public MemTable[] Immutables { get; } = immutables;

    public Version Version { get; } = version;

    /// <summary>Takes a reference unless the view already died.</summary>
    public bool TryRef()
    {
        while (true)
        {
            var refs = Volatile.Read(ref _refs);
            if (refs == 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _refs, refs + 1, refs) == refs)
            {
                return true;
            }
        }
    }

    /// <summary>Returns true when the last reference went.</summary>
    public bool Unref() => Interlocked.Decrement(ref _refs) == 0;
}
