namespace Stratus.Storage.Objects;

/// <summary>What one pass of the <see cref="ObjectScrubber"/> did.</summary>
/// <param name="Objects">Objects verified.</param>
/// <param name="DamagedShards">Shards found missing, corrupt or on an offline drive.</param>
/// <param name="RepairedShards">Shards rewritten and verified.</param>
/// <param name="UnrecoverableObjects">Objects with more than M damaged shards.</param>
/// <param name="Finished">When the pass ended, by the scrubber's clock.</param>
public sealed record ScrubPass(int Objects, int DamagedShards, int RepairedShards, int UnrecoverableObjects, DateTimeOffset Finished);
