namespace Stratus.Storage.Lsm;

/// <summary>One level of the tree: how many SSTables and how many bytes.</summary>
public readonly record struct LevelMetrics(int Level, int FileCount, long Bytes);
