using System.Diagnostics;
using System.Globalization;
using Stratus.Storage.Erasure;

namespace Stratus.Benchmarks.Erasure;

/// <summary>
/// Encode and reconstruct throughput of <see cref="ReedSolomonCodec"/> per kernel against ISA-L, on one thread, for
/// 1 MiB blocks (each shard is 1 MiB / K). Throughput counts the 1 MiB of data per block. Reconstruction loses the first
/// M data shards (the costliest case: every lost shard is data). Also measures shard-block hash candidates.
/// </summary>
internal static unsafe class ErasureBenchmark
{
    private const int BlockBytes = 1 << 20;

    public static int Run(bool quick)
    {
        if (!IsaL.TryLoad(out var error))
        {
            Console.Error.WriteLine($"erasure: cannot compare with ISA-L: {error}");
            return 1;
        }

        var budget = quick ? TimeSpan.FromMilliseconds(250) : TimeSpan.FromMilliseconds(600);
        var trials = quick ? 3 : 5;
        var codes = quick ? new[] { (8, 4) } : new[] { (4, 2), (8, 4), (10, 4) };
        var kernels = Enum.GetValues<GaloisKernel>()
            .Where(k => k != GaloisKernel.Auto && ReedSolomonCodec.IsSupported(k) && (!quick || k != GaloisKernel.Scalar))
            .ToArray();
        foreach (var k in Enum.GetValues<GaloisKernel>())
        {
            if (k != GaloisKernel.Auto && !ReedSolomonCodec.IsSupported(k))
            {
                Console.WriteLine($"# {k}: not measured, {GaloisKernels.UnsupportedReason(k)}");
            }
        }

        Console.WriteLine($"# one thread, 1 MiB blocks, GB/s of data (1e9 bytes/s), best of {trials} trials of ≥{budget.TotalMilliseconds} ms; ISA-L = libisal.so.2 ec_encode_data");
        Console.WriteLine("# code   operation     " + string.Join(" ", kernels.Select(k => $"{k,9}")) + "     ISA-L  best/ISA-L");
        var ratios = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (k, m) in codes)
        {
            var shardLength = ((BlockBytes / k) + 63) & ~63;
            var data = (long)shardLength * k;
            var block = new Block(k, m, shardLength);
            foreach (var op in new[] { "encode", "reconstruct" })
            {
                var ours = new double[kernels.Length];
                for (var i = 0; i < kernels.Length; i++)
                {
                    var codec = new ReedSolomonCodec(k, m, kernels[i]);
                    Action step = op == "encode" ? () => codec.Encode(block.Shards) : () => ReconstructStep(codec, block);
                    ours[i] = Measure(step, data, budget, trials);
                    if (op == "reconstruct")
                    {
                        block.CheckReconstructed(codec);
                    }
                }

                var isal = op == "encode" ? Measure(block.IsaLEncode, data, budget, trials) : Measure(block.IsaLReconstruct, data, budget, trials);
                var best = ours.Max();
                var name = $"{op}-{k}+{m}";
                ratios[name] = best / isal;
                Console.WriteLine($"  {k,2}+{m,-2}  {op,-12} " + string.Join(" ", ours.Select(g => $"{g,9:F2}")) + $" {isal,9:F2}  {best / isal,10:F2}");
            }
        }

        if (!quick)
        {
            ShardHashBenchmark.Run(budget, trials);
            ObjectPathBenchmark.Run();
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio encode-8+4 {ratios["encode-8+4"]:F3}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio reconstruct-8+4 {ratios["reconstruct-8+4"]:F3}"));
        return 0;
    }

    private static void ReconstructStep(ReedSolomonCodec codec, Block block)
    {
        if (!codec.TryReconstruct(block.Shards, block.Present))
        {
            throw new InvalidOperationException("reconstruction refused with M shards lost");
        }
    }

    /// <summary>Best throughput in GB/s over several trials, each running <paramref name="step"/> until the budget is spent.</summary>
    internal static double Measure(Action step, long bytesPerStep, TimeSpan budget, int trials)
    {
        // Warm up (JIT tiers, decoder cache, page faults) for a fixed time rather than a call count.
        var warmUp = Stopwatch.StartNew();
        while (warmUp.ElapsedMilliseconds < 150)
        {
            step();
        }

        var best = 0.0;
        for (var t = 0; t < trials; t++)
        {
            var watch = Stopwatch.StartNew();
            long steps = 0;
            while (watch.Elapsed < budget)
            {
                for (var i = 0; i < 8; i++)
                {
                    step();
                }

                steps += 8;
            }

            best = Math.Max(best, steps * (double)bytesPerStep / watch.Elapsed.TotalSeconds / 1e9);
        }

        return best;
    }

    /// <summary>One block's shards in pinned arrays, shared by our codec and ISA-L, with ISA-L's prepared tables.</summary>
    private sealed class Block
    {
        private readonly int _k;
        private readonly int _m;
        private readonly int _length;
        private readonly byte[][] _arrays;
        private readonly int[] _offsets;
        private readonly byte[][] _original;
        private readonly byte[] _encodeTables;
        private readonly byte[] _decodeTables;

        public Block(int k, int m, int length)
        {
            _k = k;
            _m = m;
            _length = length;
            _arrays = new byte[k + m][];
            Shards = new Memory<byte>[k + m];
            Present = new bool[k + m];
            var random = new Random(42);
            _offsets = new int[k + m];
            for (var i = 0; i < k + m; i++)
            {
                // Page-aligned shards, as separately allocated buffers usually are: back-to-back arrays put inputs and
                // outputs a few bytes apart modulo 4 KiB, and the CPU's 4K-aliasing check then stalls loads behind stores.
                _arrays[i] = GC.AllocateArray<byte>(length + 4096, pinned: true);
                var address = (nint)System.Runtime.CompilerServices.Unsafe.AsPointer(ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(_arrays[i]));
                _offsets[i] = (int)((4096 - (address & 4095)) & 4095);
                Shards[i] = _arrays[i].AsMemory(_offsets[i], length);
                if (i < k)
                {
                    random.NextBytes(Shards[i].Span);
                }

                Present[i] = i >= m; // the first M (data) shards are the lost ones
            }

            new ReedSolomonCodec(k, m, GaloisKernel.Scalar).Encode(Shards);
            _original = Shards.Select(a => a.ToArray()).ToArray();

            // ISA-L: systematic Cauchy matrix; decode rows = inverse of the surviving rows, first M of them.
            var matrix = new byte[(k + m) * k];
            var survivors = new byte[k * k];
            var inverse = new byte[k * k];
            _encodeTables = new byte[k * m * 32];
            _decodeTables = new byte[k * m * 32];
            fixed (byte* a = matrix, s = survivors, inv = inverse, et = _encodeTables, dt = _decodeTables)
            {
                IsaL.GenerateCauchyMatrix(a, k + m, k);
                IsaL.InitTables(k, m, a + (k * k), et);
                for (var r = 0; r < k; r++)
                {
                    matrix.AsSpan((r + m) * k, k).CopyTo(survivors.AsSpan(r * k));
                }

                if (IsaL.InvertMatrix(s, inv, k) != 0)
                {
                    throw new InvalidOperationException("ISA-L could not invert the survivors' rows");
                }

                IsaL.InitTables(k, m, inv, dt);
            }
        }

        public Memory<byte>[] Shards { get; }

        public bool[] Present { get; }

        public void IsaLEncode()
        {
            var data = stackalloc byte*[_k];
            var coding = stackalloc byte*[_m];
            for (var i = 0; i < _k; i++)
            {
                data[i] = Address(i);
            }

            for (var i = 0; i < _m; i++)
            {
                coding[i] = Address(_k + i);
            }

            fixed (byte* tables = _encodeTables)
            {
                IsaL.EncodeData(_length, _k, _m, tables, data, coding);
            }
        }

        public void IsaLReconstruct()
        {
            var sources = stackalloc byte*[_k];
            var outputs = stackalloc byte*[_m];
            for (var i = 0; i < _k; i++)
            {
                sources[i] = Address(_m + i);
            }

            for (var i = 0; i < _m; i++)
            {
                outputs[i] = Address(i);
            }

            fixed (byte* tables = _decodeTables)
            {
                IsaL.EncodeData(_length, _k, _m, tables, sources, outputs);
            }
        }

        public void CheckReconstructed(ReedSolomonCodec codec)
        {
            // ISA-L's encode wrote parity under its own (Cauchy) matrix; restore ours, lose the shards, rebuild, compare.
            for (var i = 0; i < Shards.Length; i++)
            {
                _original[i].CopyTo(Shards[i]);
            }

            for (var i = 0; i < _m; i++)
            {
                Shards[i].Span.Clear();
            }

            codec.Reconstruct(Shards, Present);
            for (var i = 0; i < Shards.Length; i++)
            {
                if (!Shards[i].Span.SequenceEqual(_original[i]))
                {
                    throw new InvalidOperationException($"{codec.Kernel} rebuilt shard {i} wrong");
                }
            }
        }

        private byte* Address(int shard) => (byte*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(_arrays[shard])) + _offsets[shard];
    }
}
