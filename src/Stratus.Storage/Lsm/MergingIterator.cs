namespace Stratus.Storage.Lsm;

/// <summary>Merges child iterators in internal-key order, forwards and backwards (LevelDB's direction-switching scheme).</summary>
internal sealed class MergingIterator(IInternalIterator[] children) : IInternalIterator
{
    private readonly IInternalIterator[] _children = children;
    private IInternalIterator? _current;
    private bool _forward = true;

    public bool Valid => _current != null && _current.Valid;

    public ReadOnlySpan<byte> UserKey => _current!.UserKey;

    public ulong Tag => _current!.Tag;

    public ReadOnlySpan<byte> Value => _current!.Value;

    public void SeekToFirst()
    {
        foreach (var child in _children)
        {
            child.SeekToFirst();
        }

        _forward = true;
        FindSmallest();
    }

    public void SeekToLast()
    {
        foreach (var child in _children)
        {
            child.SeekToLast();
        }

        _forward = false;
        FindLargest();
    }

    public void Seek(ReadOnlySpan<byte> userKey, ulong tag)
    {
        foreach (var child in _children)
        {
            child.Seek(userKey, tag);
        }

        _forward = true;
        FindSmallest();
    }

    public void Next()
    {
        var current = _current!;
        if (!_forward)
        {
            // Every other child is before the current key: move each to the first entry after it.
            var key = current.UserKey.ToArray();
            var tag = current.Tag;
            foreach (var child in _children)
            {
                if (ReferenceEquals(child, current))
                {
                    continue;
                }

                child.Seek(key, tag);
                if (child.Valid && InternalKey.Compare(child.UserKey, child.Tag, key, tag) == 0)
                {
                    child.Next();
                }
            }

            _forward = true;
        }

        current.Next();
        FindSmallest();
    }

    public void Prev()
    {
        var current = _current!;
        if (_forward)
        {
            // Every other child is after the current key: move each to the last entry before it.
            var key = current.UserKey.ToArray();
            var tag = current.Tag;
            foreach (var child in _children)
            {
                if (ReferenceEquals(child, current))
                {
                    continue;
                }

                child.Seek(key, tag);
                if (child.Valid)
                {
                    child.Prev();
                }
                else
                {
                    child.SeekToLast();
                }
            }

            _forward = false;
        }

        current.Prev();
        FindLargest();
    }

    public void Dispose()
    {
        foreach (var child in _children)
        {
            child.Dispose();
        }
    }

    private void FindSmallest()
    {
        IInternalIterator? smallest = null;
        foreach (var child in _children)
        {
            if (child.Valid && (smallest == null || InternalKey.Compare(child.UserKey, child.Tag, smallest.UserKey, smallest.Tag) < 0))
            {
                smallest = child;
            }
        }

        _current = smallest;
    }

    private void FindLargest()
    {
        IInternalIterator? largest = null;
        for (var i = _children.Length - 1; i >= 0; i--)
        {
            var child = _children[i];
            if (child.Valid && (largest == null || InternalKey.Compare(child.UserKey, child.Tag, largest.UserKey, largest.Tag) > 0))
            {
                largest = child;
            }
        }

        _current = largest;
    }
}
