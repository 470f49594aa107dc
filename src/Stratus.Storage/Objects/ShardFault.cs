namespace Stratus.Storage.Objects;

/// <summary>What is wrong with a shard.</summary>
public enum ShardFault
{
    /// <summary>The shard file is absent or shorter than the manifest says.</summary>
    Missing = 1,

    /// <summary>A shard block does not match its hash (bitrot).</summary>
    Corrupt = 2,

    /// <summary>The shard's drive is offline.</summary>
    DriveOffline = 3,
}
