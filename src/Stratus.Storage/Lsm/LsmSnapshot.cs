namespace Stratus.Storage.Lsm;

/// <summary>A point-in-time view: reads through it see the state at its sequence number. Dispose to release it.</summary>
public sealed class LsmSnapshot : IDisposable
{
    private readonly LsmEngine _engine;
    private int _disposed;

    internal LsmSnapshot(LsmEngine engine, ulong sequence)
    {
        _engine = engine;
        Sequence = sequence;
    }

    /// <summary>The last sequence number visible through this snapshot.</summary>
    public ulong Sequence { get; }

    internal LsmEngine Engine => _engine;

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _engine.ReleaseSnapshot(this);
        }
    }
}
