namespace Stratus.Storage.Objects;

/// <summary>Where and how an <see cref="ObjectStore"/> keeps object data.</summary>
public sealed class ObjectStoreOptions
{
    /// <summary>The data directory; shards live in <c>drives/d0 … dN-1</c> under it.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>How many drives (K + M); 6 by default.</summary>
    public int Drives { get; init; } = 6;

    /// <summary>M: parity shards per block, so drives that may be lost; 2 by default.</summary>
    public int ParityShards { get; init; } = 2;

    /// <summary>Bytes of object data per erasure-coded block; 1 MiB by default.</summary>
    public int BlockSize { get; init; } = 1 << 20;

    /// <summary>Objects of at most this many bytes are kept inside the manifest instead of as shards; 128 KiB by default.</summary>
    public int InlineThreshold { get; init; } = 128 * 1024;

    /// <summary>Shards that must be durably written for a PUT to succeed; 0 means K, or K + 1 when K = M (as MinIO does).</summary>
    public int WriteQuorum { get; init; }

    /// <summary>Forces a Galois-field kernel (tests, benchmarks); Auto picks the fastest.</summary>
    public Erasure.GaloisKernel Kernel { get; init; } = Erasure.GaloisKernel.Auto;

    /// <summary>The clock orphan cleanup uses to leave recently written shards alone.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
