using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using Stratus.Storage.Lsm;

namespace Stratus.Benchmarks;

/// <summary>
/// Loads 10 M random keys (1 M in quick mode) with the default 64 MiB memtable and 64 MiB block cache and reports the
/// peak resident set size, to show memory stays bounded by the budgets rather than growing with the data.
/// </summary>
internal static class LsmMemoryBenchmark
{
    public static int Run(bool quick)
    {
        var keys = quick ? 1_000_000 : 10_000_000;
        var directory = Path.Combine(Path.GetTempPath(), "stratus-lsm-memory-" + Guid.NewGuid().ToString("N"));
        try
        {
            var options = new LsmOptions { Durability = Durability.Relaxed, RelaxedSyncInterval = TimeSpan.FromSeconds(1) };
            var random = new Random(7);
            var value = new byte[100];
            Span<byte> key = stackalloc byte[16];
            var start = Stopwatch.GetTimestamp();
            using (var engine = LsmEngine.Open(directory, options))
            {
                for (var i = 0; i < keys; i++)
                {
                    "key:"u8.CopyTo(key);
                    BinaryPrimitives.WriteInt32BigEndian(key[4..], 0);
                    BinaryPrimitives.WriteInt64BigEndian(key[8..], random.NextInt64(long.MaxValue));
                    random.NextBytes(value);
                    engine.Put(key, value);
                    if (i % 1_000_000 == 999_999)
                    {
                        var m = engine.GetMetrics();
                        Console.Error.WriteLine($"{i + 1:N0} keys, RSS {Rss("VmRSS") / 1e6:F0} MB, managed heap {GC.GetTotalMemory(false) / 1e6:F0} MB, " +
                            $"levels {string.Join(' ', m.Levels.Select(l => $"L{l.Level}:{l.FileCount}"))}, stalls {m.StallCount}");
                    }
                }
            }

            var elapsed = Stopwatch.GetElapsedTime(start);
            var peak = Rss("VmHWM");
            var budget = (options.MemTableSize * (1 + options.MaxImmutableMemTables)) + options.BlockCacheSize;
            Console.Error.WriteLine($"loaded {keys:N0} keys in {elapsed.TotalSeconds:F0} s; peak RSS {peak / 1e6:F0} MB; " +
                $"engine budget {budget / 1e6:F0} MB (memtables {options.MemTableSize >> 20} MiB × {1 + options.MaxImmutableMemTables} + block cache {options.BlockCacheSize >> 20} MiB)");

            // Bigger is better: the engine's memory budget over the process's peak resident set.
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio lsm-memory {(double)budget / peak:F3}"));
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static long Rss(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(parts[1], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }
}
