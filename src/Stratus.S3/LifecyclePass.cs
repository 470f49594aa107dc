namespace Stratus.S3;

/// <summary>What one lifecycle pass did: when it ran (server clock), how many objects it expired and uploads it aborted.</summary>
public sealed record LifecyclePass(DateTimeOffset Ran, int ExpiredObjects, int AbortedUploads);
