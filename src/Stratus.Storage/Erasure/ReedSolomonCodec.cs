using System.Buffers;
using System.Collections.Concurrent;

namespace Stratus.Storage.Erasure;

/// <summary>
/// Systematic Reed–Solomon erasure code over GF(2^8) (polynomial 0x11D): K data shards are stored as they are and M parity
/// shards are computed from them; any K of the K+M shards rebuild the others. Thread-safe: one instance serves concurrent
/// calls. Every shard passed to one call must have the same length.
/// </summary>
public sealed unsafe class ReedSolomonCodec
{
    private const int MaxCachedDecoders = 256;

    private readonly byte[] _encodingMatrix;
    private readonly CodingMatrix _parityRows;
    private readonly ConcurrentDictionary<DecoderKey, CodingMatrix> _decoders = new();

    /// <summary>Creates a codec for <paramref name="dataShards"/> + <paramref name="parityShards"/> shards with the fastest kernel.</summary>
    public ReedSolomonCodec(int dataShards, int parityShards)
        : this(dataShards, parityShards, GaloisKernel.Auto)
    {
    }

    /// <summary>Creates a codec that uses <paramref name="kernel"/>; forcing a kernel the CPU lacks throws <see cref="PlatformNotSupportedException"/>.</summary>
    public ReedSolomonCodec(int dataShards, int parityShards, GaloisKernel kernel)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dataShards, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(parityShards, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dataShards + parityShards, 256, nameof(parityShards));
        if (!GaloisKernels.IsSupported(kernel))
        {
            throw new PlatformNotSupportedException($"Kernel {kernel} is not available: {GaloisKernels.UnsupportedReason(kernel)}.");
        }

        DataShards = dataShards;
        ParityShards = parityShards;
        Kernel = kernel == GaloisKernel.Auto ? GaloisKernels.Best : kernel;
        _encodingMatrix = GaloisMatrix.Systematic(dataShards, parityShards);
        _parityRows = new CodingMatrix(_encodingMatrix[(dataShards * dataShards)..], parityShards, dataShards);
    }

    /// <summary>K: shards that hold the data itself.</summary>
    public int DataShards { get; }

    /// <summary>M: shards computed from the data; up to M shards can be lost.</summary>
    public int ParityShards { get; }

    /// <summary>K + M.</summary>
    public int TotalShards => DataShards + ParityShards;

    /// <summary>The kernel in use (never <see cref="GaloisKernel.Auto"/>).</summary>
    public GaloisKernel Kernel { get; }

    /// <summary>The kernel <see cref="GaloisKernel.Auto"/> resolves to on this CPU.</summary>
    public static GaloisKernel BestKernel => GaloisKernels.Best;

    /// <summary>Whether <paramref name="kernel"/> can run on this CPU.</summary>
    public static bool IsSupported(GaloisKernel kernel) => GaloisKernels.IsSupported(kernel);

    /// <summary>A copy of the (K+M)×K coding matrix, row-major; its top K rows are the identity.</summary>
    public byte[] GetEncodingMatrix() => (byte[])_encodingMatrix.Clone();

    /// <summary>Computes the parity shards <c>shards[K..K+M)</c> from the data shards <c>shards[0..K)</c>.</summary>
    public void Encode(ReadOnlySpan<Memory<byte>> shards)
    {
        var length = CheckShards(shards);
        var handles = ArrayPool<MemoryHandle>.Shared.Rent(TotalShards);
        try
        {
            var pointers = stackalloc byte*[TotalShards];
            for (var i = 0; i < TotalShards; i++)
            {
                handles[i] = shards[i].Pin();
                pointers[i] = (byte*)handles[i].Pointer;
            }

            GaloisKernels.MultiplySum(Kernel, _parityRows, pointers, pointers + DataShards, length);
        }
        finally
        {
            Release(handles, TotalShards);
        }
    }

    /// <summary>Whether the parity shards match the data shards.</summary>
    public bool Verify(ReadOnlySpan<Memory<byte>> shards)
    {
        var length = CheckShards(shards);
        var scratch = new Memory<byte>[TotalShards];
        var rented = new byte[ParityShards][];
        try
        {
            for (var i = 0; i < DataShards; i++)
            {
                scratch[i] = shards[i];
            }

            for (var p = 0; p < ParityShards; p++)
            {
                rented[p] = ArrayPool<byte>.Shared.Rent(length);
                scratch[DataShards + p] = rented[p].AsMemory(0, length);
            }

            Encode(scratch);
            for (var p = 0; p < ParityShards; p++)
            {
                if (!scratch[DataShards + p].Span.SequenceEqual(shards[DataShards + p].Span))
                {
                    return false;
                }
            }

            return true;
        }
        finally
        {
            foreach (var buffer in rented)
            {
                if (buffer is not null)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
    }

    /// <summary>Rebuilds every shard not marked present, in place; throws <see cref="InsufficientShardsException"/> if fewer than K are present.</summary>
    public void Reconstruct(ReadOnlySpan<Memory<byte>> shards, ReadOnlySpan<bool> present)
    {
        if (!TryReconstruct(shards, present))
        {
            throw new InsufficientShardsException(CountPresent(present), DataShards);
        }
    }

    /// <summary>Rebuilds every shard not marked present, in place; false (and nothing written) if fewer than K are present.</summary>
    public bool TryReconstruct(ReadOnlySpan<Memory<byte>> shards, ReadOnlySpan<bool> present)
    {
        Span<bool> rebuild = stackalloc bool[TotalShards];
        for (var i = 0; i < rebuild.Length && i < present.Length; i++)
        {
            rebuild[i] = !present[i];
        }

        return TryReconstruct(shards, present, rebuild);
    }

    /// <summary>
    /// Rebuilds the shards marked in <paramref name="rebuild"/> that are not present (data or parity), leaving the others
    /// untouched: a reader that lost a data shard rebuilds only that one. False (and nothing written) if fewer than K are present.
    /// </summary>
    public bool TryReconstruct(ReadOnlySpan<Memory<byte>> shards, ReadOnlySpan<bool> present, ReadOnlySpan<bool> rebuild)
    {
        if (shards.Length != TotalShards || present.Length != TotalShards || rebuild.Length != TotalShards)
        {
            throw new ArgumentException($"Expected {TotalShards} shards and flags.", nameof(shards));
        }

        Span<int> survivors = stackalloc int[DataShards];
        Span<int> targets = stackalloc int[TotalShards];
        var survivorCount = 0;
        var targetCount = 0;
        var length = -1;
        for (var i = 0; i < TotalShards; i++)
        {
            if (present[i])
            {
                if (survivorCount < DataShards)
                {
                    survivors[survivorCount++] = i;
                    length = CheckLength(shards[i].Length, length);
                }
            }
            else if (rebuild[i])
            {
                targets[targetCount++] = i;
            }
        }

        if (survivorCount < DataShards)
        {
            return false;
        }

        if (targetCount == 0)
        {
            return true;
        }

        targets = targets[..targetCount];
        foreach (var t in targets)
        {
            CheckLength(shards[t].Length, length);
        }

        var decoder = GetDecoder(survivors, targets);
        var handles = ArrayPool<MemoryHandle>.Shared.Rent(DataShards + targetCount);
        try
        {
            var inputs = stackalloc byte*[DataShards];
            var outputs = stackalloc byte*[targetCount];
            for (var i = 0; i < DataShards; i++)
            {
                handles[i] = shards[survivors[i]].Pin();
                inputs[i] = (byte*)handles[i].Pointer;
            }

            for (var i = 0; i < targetCount; i++)
            {
                handles[DataShards + i] = shards[targets[i]].Pin();
                outputs[i] = (byte*)handles[DataShards + i].Pointer;
            }

            GaloisKernels.MultiplySum(Kernel, decoder, inputs, outputs, length);
        }
        finally
        {
            Release(handles, DataShards + targetCount);
        }

        return true;
    }

    /// <summary>
    /// The rows that turn the K chosen survivors into the targets: for a data target, its row of the inverse of the
    /// survivors' coding rows; for a parity target, its coding row times that inverse (so parity is rebuilt in one pass,
    /// without rebuilding the data first).
    /// </summary>
    private CodingMatrix GetDecoder(ReadOnlySpan<int> survivors, ReadOnlySpan<int> targets)
    {
        var key = DecoderKey.From(survivors, targets);
        if (_decoders.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var k = DataShards;
        var sub = new byte[k * k];
        for (var r = 0; r < k; r++)
        {
            _encodingMatrix.AsSpan(survivors[r] * k, k).CopyTo(sub.AsSpan(r * k));
        }

        if (!GaloisMatrix.TryInvert(sub, k, out var inverse))
        {
            throw new InvalidOperationException("Every K×K row subset of the coding matrix is invertible by construction.");
        }

        var rows = new byte[targets.Length * k];
        for (var i = 0; i < targets.Length; i++)
        {
            var t = targets[i];
            var row = t < k
                ? inverse.AsSpan(t * k, k).ToArray()
                : GaloisMatrix.Multiply(_encodingMatrix.AsSpan(t * k, k), 1, k, inverse, k);
            row.CopyTo(rows.AsSpan(i * k));
        }

        var decoder = new CodingMatrix(rows, targets.Length, k);
        if (_decoders.Count >= MaxCachedDecoders)
        {
            _decoders.Clear();
        }

        _decoders[key] = decoder;
        return decoder;
    }

    private int CheckShards(ReadOnlySpan<Memory<byte>> shards)
    {
        if (shards.Length != TotalShards)
        {
            throw new ArgumentException($"Expected {TotalShards} shards, got {shards.Length}.", nameof(shards));
        }

        var length = -1;
        foreach (var shard in shards)
        {
            length = CheckLength(shard.Length, length);
        }

        return length;
    }

    private static int CheckLength(int actual, int expected)
    {
        if (expected >= 0 && actual != expected)
        {
            throw new ArgumentException($"All shards must have the same length ({expected}); one has {actual}.");
        }

        return actual;
    }

    private static int CountPresent(ReadOnlySpan<bool> present)
    {
        var count = 0;
        foreach (var p in present)
        {
            count += p ? 1 : 0;
        }

        return count;
    }

    private static void Release(MemoryHandle[] handles, int count)
    {
        for (var i = 0; i < count; i++)
        {
            handles[i].Dispose();
            handles[i] = default;
        }

        ArrayPool<MemoryHandle>.Shared.Return(handles);
    }

    /// <summary>Which survivors feed which targets: 256-bit sets, enough for K+M ≤ 256.</summary>
    private readonly record struct DecoderKey(UInt128 SurvivorsLow, UInt128 SurvivorsHigh, UInt128 TargetsLow, UInt128 TargetsHigh)
    {
        public static DecoderKey From(ReadOnlySpan<int> survivors, ReadOnlySpan<int> targets)
        {
            UInt128 sl = 0, sh = 0, tl = 0, th = 0;
            foreach (var s in survivors)
            {
                Set(ref sl, ref sh, s);
            }

            foreach (var t in targets)
            {
                Set(ref tl, ref th, t);
            }

            return new DecoderKey(sl, sh, tl, th);
        }

        private static void Set(ref UInt128 low, ref UInt128 high, int bit)
        {
            if (bit < 128)
            {
                low |= UInt128.One << bit;
            }
            else
            {
                high |= UInt128.One << (bit - 128);
            }
        }
    }
}
