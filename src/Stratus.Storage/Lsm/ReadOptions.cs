namespace Stratus.Storage.Lsm;

/// <summary>Bounds, snapshot and direction for an iterator.</summary>
public sealed class ReadOptions
{
    /// <summary>Inclusive lower bound on keys, or null.</summary>
    public byte[]? LowerBound { get; init; }

    /// <summary>Exclusive upper bound on keys, or null.</summary>
    public byte[]? UpperBound { get; init; }

    /// <summary>Read as of this snapshot instead of the latest state.</summary>
    public LsmSnapshot? Snapshot { get; init; }

    /// <summary>Whether <see cref="LsmIterator.MoveNext"/> walks from the last key downwards.</summary>
    public bool Reverse { get; init; }

    /// <summary>Options for every key starting with <paramref name="prefix"/>.</summary>
    public static ReadOptions ForPrefix(ReadOnlySpan<byte> prefix, bool reverse = false, LsmSnapshot? snapshot = null) =>
        new() { LowerBound = prefix.ToArray(), UpperBound = PrefixSuccessor(prefix), Reverse = reverse, Snapshot = snapshot };

    internal static byte[]? PrefixSuccessor(ReadOnlySpan<byte> prefix)
    {
        var result = prefix.ToArray();
        for (var i = result.Length - 1; i >= 0; i--)
        {
            if (result[i] != 0xFF)
            {
                result[i]++;
                return result.AsSpan(0, i + 1).ToArray();
            }
        }

        return null;
    }
}
