namespace Stratus.Storage.Lsm;

/// <summary>
/// Preconditions checked atomically with a batch (compare-and-swap): each key must be absent, present,
/// or hold exactly a given value. Services build conditional writes (DynamoDB, S3 If-Match) on it.
/// </summary>
public sealed class WriteCondition
{
    private readonly List<(byte[] Key, ConditionKind Kind, byte[]? Expected)> _checks = [];

    internal enum ConditionKind
    {
        Absent,
        Present,
        Equals,
    }

    internal IReadOnlyList<(byte[] Key, ConditionKind Kind, byte[]? Expected)> Checks => _checks;

    /// <summary>Requires <paramref name="key"/> to be absent.</summary>
    public WriteCondition KeyAbsent(ReadOnlySpan<byte> key)
    {
        _checks.Add((key.ToArray(), ConditionKind.Absent, null));
        return this;
    }

    /// <summary>Requires <paramref name="key"/> to exist.</summary>
    public WriteCondition KeyPresent(ReadOnlySpan<byte> key)
    {
        _checks.Add((key.ToArray(), ConditionKind.Present, null));
        return this;
    }

    /// <summary>Requires <paramref name="key"/> to hold exactly <paramref name="expected"/>.</summary>
    public WriteCondition ValueEquals(ReadOnlySpan<byte> key, ReadOnlySpan<byte> expected)
    {
        _checks.Add((key.ToArray(), ConditionKind.Equals, expected.ToArray()));
        return this;
    }
}
