namespace Stratus.Storage.Objects;

/// <summary>What a scrub of one object found and repaired.</summary>
/// <param name="ObjectId">The object scrubbed.</param>
/// <param name="Damaged">Shards found missing, corrupt or on an offline drive.</param>
/// <param name="Repaired">Shards rewritten and verified.</param>
/// <param name="Recoverable">False when more than M shards are damaged: the object's bytes are lost.</param>
public sealed record ScrubReport(string ObjectId, IReadOnlyList<ShardDamage> Damaged, IReadOnlyList<int> Repaired, bool Recoverable)
{
    /// <summary>Whether every shard was sound when the scrub began.</summary>
    public bool Clean => Damaged.Count == 0;
}
