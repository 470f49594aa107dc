using System.IO.Hashing;

namespace Stratus.Benchmarks.Erasure;

/// <summary>
/// Candidates for the per-shard-block bitrot hash, on one thread, at shard-block sizes of the default layouts
/// (1 MiB / 4 = 256 KiB, 1 MiB / 8 = 128 KiB) and a small 4 KiB block.
/// HighwayHash itself is not on the package mirror; BLAKE3 (SIMD, keyed, cryptographic) stands in as the stronger
/// SIMD-hash alternative.
/// </summary>
internal static class ShardHashBenchmark
{
    public static void Run(TimeSpan budget, int trials)
    {
        var candidates = new (string Name, Func<byte[], ulong> Hash)[]
        {
            ("xxHash3-64", b => XxHash3.HashToUInt64(b)),
            ("xxHash128", b => (ulong)XxHash128.HashToUInt128(b)),
            ("CRC32C", b => Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, b)),
            ("CRC64/NVME", b => Crc64.HashToUInt64(Crc64ParameterSet.Nvme, b)),
            ("BLAKE3-256", b => (ulong)Blake3.Hasher.Hash(b).AsSpan()[0]),
        };
        var sizes = new[] { 256 * 1024, 128 * 1024, 4 * 1024 };
        Console.WriteLine("# shard-block hash, one thread, GB/s");
        Console.WriteLine("# hash          " + string.Join(" ", sizes.Select(s => $"{s / 1024,7} KiB")));
        foreach (var (name, hash) in candidates)
        {
            var line = $"  {name,-12}";
            foreach (var size in sizes)
            {
                var buffer = new byte[size];
                new Random(size).NextBytes(buffer);
                ulong sink = 0;
                var gbps = ErasureBenchmark.Measure(() => sink ^= hash(buffer), size, budget, trials);
                GC.KeepAlive(sink);
                line += $" {gbps,11:F2}";
            }

            Console.WriteLine(line);
        }
    }
}
