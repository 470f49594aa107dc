namespace Stratus.Storage.Lsm;

/// <summary>The read path: point lookups and iterators over memtables and SSTables.</summary>
public sealed partial class LsmEngine
{
    /// <summary>Looks up <paramref name="key"/>; returns false if absent.</summary>
    public bool TryGet(ReadOnlySpan<byte> key, out byte[] value) => TryGetAt(key, null, out value);

    /// <summary>Looks up <paramref name="key"/> as of <paramref name="snapshot"/>.</summary>
    public bool TryGet(ReadOnlySpan<byte> key, LsmSnapshot snapshot, out byte[] value)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return TryGetAt(key, snapshot.Sequence, out value);
    }

    /// <summary>Whether <paramref name="key"/> exists.</summary>
    public bool ContainsKey(ReadOnlySpan<byte> key) => TryGet(key, out _);

    /// <summary>Opens an iterator; dispose it to release the files it pins.</summary>
    public LsmIterator NewIterator(ReadOptions? options = null)
    {
        options ??= new ReadOptions();
        return NewIteratorAt(options.Snapshot?.Sequence, options);
    }

    /// <summary>
    /// Reads at <paramref name="at"/>, or at the latest sequence. The view is pinned before the latest sequence is
    /// read: a flush that completes in between may drop versions the view still has, but never ones it lacks.
    /// </summary>
    internal bool TryGetAt(ReadOnlySpan<byte> key, ulong? at, out byte[] value)
    {
        var view = AcquireView();
        var sequence = at ?? Volatile.Read(ref _lastSequence);
        try
        {
            EntryKind kind;
            if (!view.Active.TryGet(key, sequence, out kind, out value))
            {
                var found = false;
                foreach (var imm in view.Immutables)
                {
                    if (imm.TryGet(key, sequence, out kind, out value))
                    {
                        found = true;
                        break;
                    }
                }

                if (!found && !view.Version.TryGet(key, sequence, _tables, out kind, out value))
                {
                    value = [];
                    return false;
                }
            }

            if (kind == EntryKind.Put)
            {
                return true;
            }

            value = [];
            return false;
        }
        finally
        {
            ReleaseView(view);
        }
    }

    internal LsmIterator NewIteratorAt(ulong? at, ReadOptions options)
    {
        var view = AcquireView();
        var sequence = at ?? Volatile.Read(ref _lastSequence);
        try
        {
            var children = new List<IInternalIterator> { view.Active.NewIterator() };
            foreach (var imm in view.Immutables)
            {
                children.Add(imm.NewIterator());
            }

            view.Version.AddIterators(children, _tables);
            return new LsmIterator(this, view, new MergingIterator([.. children]), sequence, options);
        }
        catch
        {
            ReleaseView(view);
            throw;
        }
    }
}
