namespace Stratus.Storage.Objects;

/// <summary>A shard found missing or corrupt, queued for healing.</summary>
/// <param name="ObjectId">The object the shard belongs to.</param>
/// <param name="Shard">The shard index (0 … K+M−1).</param>
/// <param name="Fault">What was wrong.</param>
public readonly record struct ShardDamage(string ObjectId, int Shard, ShardFault Fault);
