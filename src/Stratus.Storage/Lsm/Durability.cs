namespace Stratus.Storage.Lsm;

/// <summary>When the write-ahead log is made durable.</summary>
public enum Durability
{
    /// <summary>Every write returns after its group's fdatasync: nothing acknowledged is lost.</summary>
    Sync = 0,

    /// <summary>The log is synced on an interval: a crash may lose up to the last interval of acknowledged writes.</summary>
    Relaxed = 1,
}
