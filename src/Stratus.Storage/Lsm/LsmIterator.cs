namespace Stratus.Storage.Lsm;

/// <summary>
/// Iterates user keys in order (or reverse) as of a sequence number, hiding deleted keys and older versions.
/// <see cref="Key"/> and <see cref="Value"/> stay valid until the next move. Not thread-safe; dispose it.
/// </summary>
public sealed class LsmIterator : IDisposable
{
    private readonly LsmEngine _engine;
    private readonly ReadView _view;
    private readonly IInternalIterator _iterator;
    private readonly ulong _sequence;
    private readonly byte[]? _lower;
    private readonly byte[]? _upper;
    private readonly bool _reverseOrder;
    private bool _forward = true;
    private bool _valid;
    private bool _started;
    private bool _disposed;
    private byte[] _savedKey = new byte[64];
    private int _savedKeyLength;
    private byte[] _savedValue = new byte[128];
    private int _savedValueLength;

    internal LsmIterator(LsmEngine engine, ReadView view, IInternalIterator iterator, ulong sequence, ReadOptions options)
    {
        _engine = engine;
        _view = view;
        _iterator = iterator;
        _sequence = sequence;
        _lower = options.LowerBound;
        _upper = options.UpperBound;
        _reverseOrder = options.Reverse;
    }

    /// <summary>Whether the iterator is positioned on a key.</summary>
    public bool Valid => _valid;

    /// <summary>The current key.</summary>
    public ReadOnlySpan<byte> Key
    {
        get
        {
            EnsureValid();
            return _forward ? _iterator.UserKey : _savedKey.AsSpan(0, _savedKeyLength);
        }
    }

    /// <summary>The current value.</summary>
    public ReadOnlySpan<byte> Value
    {
        get
        {
            EnsureValid();
            return _forward ? _iterator.Value : _savedValue.AsSpan(0, _savedValueLength);
        }
    }

    /// <summary>Steps in the direction chosen by <see cref="ReadOptions.Reverse"/>, starting at the first (or last) key in bounds.</summary>
    public bool MoveNext()
    {
        if (!_started)
        {
            _started = true;
            if (_reverseOrder)
            {
                SeekToLast();
            }
            else
            {
                SeekToFirst();
            }
        }
        else if (_valid)
        {
            if (_reverseOrder)
            {
                Prev();
            }
            else
            {
                Next();
            }
        }

        return _valid;
    }

    /// <summary>Positions at the first key in bounds.</summary>
    public void SeekToFirst()
    {
        _started = true;
        if (_lower != null)
        {
            Seek(_lower);
            return;
        }

        _forward = true;
        _iterator.SeekToFirst();
        FindNextUserEntry(skipping: false);
    }

    /// <summary>Positions at the last key in bounds.</summary>
    public void SeekToLast()
    {
        _started = true;
        _forward = false;
        if (_upper != null)
        {
            _iterator.Seek(_upper, InternalKey.Tag(InternalKey.MaxSequence, (EntryKind)0xFF));
            if (_iterator.Valid)
            {
                _iterator.Prev();
            }
            else
            {
                _iterator.SeekToLast();
            }
        }
        else
        {
            _iterator.SeekToLast();
        }

        FindPrevUserEntry();
    }

    /// <summary>Positions at the first key at or after <paramref name="target"/>.</summary>
    public void Seek(ReadOnlySpan<byte> target)
    {
        _started = true;
        if (_lower != null && target.SequenceCompareTo(_lower) < 0)
        {
            target = _lower;
        }

        _forward = true;
        _iterator.Seek(target, InternalKey.Tag(_sequence, (EntryKind)0xFF));
        FindNextUserEntry(skipping: false);
    }

    /// <summary>Positions at the last key at or before <paramref name="target"/>.</summary>
    public void SeekForPrev(ReadOnlySpan<byte> target)
    {
        _started = true;
        if (_upper != null && target.SequenceCompareTo(_upper) >= 0)
        {
            SeekToLast();
            return;
        }

        _forward = false;
        _iterator.Seek(target, 0);
        if (_iterator.Valid)
        {
            _iterator.Prev();
        }
        else
        {
            _iterator.SeekToLast();
        }

        FindPrevUserEntry();
    }

    /// <summary>Moves to the next key.</summary>
    public void Next()
    {
        EnsureValid();
        if (!_forward)
        {
            // The inner iterator sits just before the current key's entries: step into them, then skip past them.
            _forward = true;
            if (_iterator.Valid)
            {
                _iterator.Next();
            }
            else
            {
                _iterator.SeekToFirst();
            }
        }
        else
        {
            SaveKey(_iterator.UserKey);
            _iterator.Next();
        }

        FindNextUserEntry(skipping: true);
    }

    /// <summary>Moves to the previous key.</summary>
    public void Prev()
    {
        EnsureValid();
        if (_forward)
        {
            // Walk back past every entry of the current key.
            SaveKey(_iterator.UserKey);
            while (true)
            {
                _iterator.Prev();
                if (!_iterator.Valid)
                {
                    _valid = false;
                    return;
                }

                if (_iterator.UserKey.SequenceCompareTo(_savedKey.AsSpan(0, _savedKeyLength)) < 0)
                {
                    break;
                }
            }

            _forward = false;
        }

        FindPrevUserEntry();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _valid = false;
        _iterator.Dispose();
        _engine.ReleaseView(_view);
    }

    private void FindNextUserEntry(bool skipping)
    {
        for (; _iterator.Valid; _iterator.Next())
        {
            var tag = _iterator.Tag;
            if (InternalKey.SequenceOf(tag) > _sequence)
            {
                continue;
            }

            var key = _iterator.UserKey;
            if (skipping && key.SequenceCompareTo(_savedKey.AsSpan(0, _savedKeyLength)) <= 0)
            {
                continue;
            }

            if (_upper != null && key.SequenceCompareTo(_upper) >= 0)
            {
                break;
            }

            if (InternalKey.KindOf(tag) == EntryKind.Delete)
            {
                SaveKey(key);
                skipping = true;
                continue;
            }

            _valid = true;
            return;
        }

        _valid = false;
    }

    private void FindPrevUserEntry()
    {
        var kind = EntryKind.Delete;
        for (; _iterator.Valid; _iterator.Prev())
        {
            var tag = _iterator.Tag;
            var key = _iterator.UserKey;
            if (_lower != null && key.SequenceCompareTo(_lower) < 0)
            {
                break;
            }

            if (InternalKey.SequenceOf(tag) > _sequence)
            {
                continue;
            }

            if (kind != EntryKind.Delete && key.SequenceCompareTo(_savedKey.AsSpan(0, _savedKeyLength)) < 0)
            {
                // Reached an earlier key while holding a live value for the current one.
                break;
            }

            kind = InternalKey.KindOf(tag);
            if (kind == EntryKind.Delete)
            {
                _savedKeyLength = 0;
                _savedValueLength = 0;
            }
            else
            {
                SaveKey(key);
                SaveValue(_iterator.Value);
            }
        }

        if (kind == EntryKind.Delete)
        {
            _valid = false;
            _forward = true;
        }
        else
        {
            _valid = true;
        }
    }

    private void SaveKey(ReadOnlySpan<byte> key)
    {
        if (_savedKey.Length < key.Length)
        {
            _savedKey = new byte[Math.Max(key.Length, _savedKey.Length * 2)];
        }

        key.CopyTo(_savedKey);
        _savedKeyLength = key.Length;
    }

    private void SaveValue(ReadOnlySpan<byte> value)
    {
        if (_savedValue.Length < value.Length)
        {
            _savedValue = new byte[Math.Max(value.Length, _savedValue.Length * 2)];
        }

        value.CopyTo(_savedValue);
        _savedValueLength = value.Length;
    }

    private void EnsureValid()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_valid)
        {
            throw new InvalidOperationException("the iterator is not positioned on a key");
        }
    }
}
