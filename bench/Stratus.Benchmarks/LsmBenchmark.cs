using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using RocksDbSharp;
using Stratus.Storage.Lsm;

namespace Stratus.Benchmarks;

/// <summary>
/// The LSM engine side by side with RocksDB, same process, same machine, same settings: 16-byte keys, 100-byte values,
/// no compression, 64 MiB memtable and block cache, 10-bit bloom filters. Prints <c>ratio &lt;workload&gt; &lt;ours ÷ RocksDB&gt;</c>.
/// </summary>
internal static class LsmBenchmark
{
    private const int KeySize = 16;
    private const int ValueSize = 100;
    private const int ScanLength = 100;
    private const int SyncThreads = 8;

    public static int Run(bool quick)
    {
        var keys = quick ? 200_000 : 1_000_000;
        var seeks = quick ? 20_000 : 100_000;
        var syncWrites = quick ? 4_000 : 40_000;
        var root = Path.Combine(Path.GetTempPath(), "stratus-lsm-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            var workload = new Workload(keys, seeks, syncWrites, seed: 42);
            Log($"lsm benchmark: {keys:N0} keys of {KeySize} B, values of {ValueSize} B, {seeks:N0} seeks + {ScanLength}-key scans, " +
                $"{syncWrites:N0} synced writes from {SyncThreads} threads; {(quick ? "quick" : "full")} mode");
            // Quick mode shrinks the memtable and cache so that flushes, compactions and SSTable reads still happen.
            var memtable = quick ? 4L << 20 : 64L << 20;
            var cache = quick ? 8L << 20 : 64L << 20;
            Log($"memtable {memtable >> 20} MiB, block cache {cache >> 20} MiB, no compression, bloom 10 bits/key, for both engines");
            var ours = RunEngine("stratus", Path.Combine(root, "stratus"), workload, (dir, sync) => new StratusStore(dir, sync, memtable, cache));
            var rocks = RunEngine("rocksdb", Path.Combine(root, "rocksdb"), workload, (dir, sync) => new RocksStore(dir, sync, memtable, cache));

            Log("");
            Log($"{"workload",-18} {"stratus ops/s",14} {"p99 µs",9} {"rocksdb ops/s",14} {"p99 µs",9} {"ratio",7}");
            foreach (var (name, result) in ours.Results)
            {
                var other = rocks.Results[name];
                Log($"{name,-18} {result.OpsPerSecond,14:N0} {result.P99Micros,9:F1} {other.OpsPerSecond,14:N0} {other.P99Micros,9:F1} {result.OpsPerSecond / other.OpsPerSecond,7:F2}");
            }

            Log($"write amplification (device bytes ÷ user bytes, fillrandom + overwrite): stratus {ours.WriteAmplification:F2}, rocksdb {rocks.WriteAmplification:F2}");
            Log($"space on disk after overwrite: stratus {ours.SpaceBytes / 1e6:F1} MB, rocksdb {rocks.SpaceBytes / 1e6:F1} MB (user data {(double)keys * (KeySize + ValueSize) / 1e6:F1} MB)");
            if (ours.EngineMetrics != null)
            {
                var m = ours.EngineMetrics;
                Log($"stratus engine: WA {m.WriteAmplification:F2} (wal {m.WalBytesWritten / 1e6:F0} MB, flush {m.FlushBytesWritten / 1e6:F0} MB, compaction {m.CompactionBytesWritten / 1e6:F0} MB), " +
                    $"stalls {m.StallCount} ({m.StallTime.TotalMilliseconds:F0} ms), cache hit rate {m.BlockCacheHitRate:P1}, levels {string.Join(' ', m.Levels.Select(l => $"L{l.Level}:{l.FileCount}"))}");
            }

            foreach (var name in new[] { "fillseq", "fillrandom", "overwrite", "readrandom", "seekrandom" })
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio {name} {ours.Results[name].OpsPerSecond / rocks.Results[name].OpsPerSecond:F3}"));
            }

            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static void Log(string line) => Console.Error.WriteLine(line);

    private sealed class Workload
    {
        public Workload(int keys, int seeks, int syncWrites, int seed)
        {
            Keys = keys;
            var random = new Random(seed);
            Values = new byte[1 << 20];
            random.NextBytes(Values);
            RandomOrder = Enumerable.Range(0, keys).ToArray();
            random.Shuffle(RandomOrder);
            Overwrite = new int[keys];
            for (var i = 0; i < keys; i++)
            {
                Overwrite[i] = random.Next(keys);
            }

            Reads = new int[keys];
            for (var i = 0; i < keys; i++)
            {
                Reads[i] = random.Next(keys);
            }

            Seeks = new int[seeks];
            for (var i = 0; i < seeks; i++)
            {
                Seeks[i] = random.Next(keys);
            }

            SyncKeys = new int[syncWrites];
            for (var i = 0; i < syncWrites; i++)
            {
                SyncKeys[i] = random.Next(keys);
            }
        }

        public int Keys { get; }

        public byte[] Values { get; }

        public int[] RandomOrder { get; }

        public int[] Overwrite { get; }

        public int[] Reads { get; }

        public int[] Seeks { get; }

        public int[] SyncKeys { get; }

        public static void Key(Span<byte> destination, int index)
        {
            // 16 bytes: a fixed prefix, then the index big-endian so byte order is numeric order.
            "key:"u8.CopyTo(destination);
            destination[4..8].Clear();
            BinaryPrimitives.WriteInt64BigEndian(destination[8..], index);
        }

        public ReadOnlySpan<byte> Value(int i) => Values.AsSpan((int)((i * 7919L) % (Values.Length - ValueSize)), ValueSize);
    }

    private readonly record struct Result(double OpsPerSecond, double P99Micros);

    private sealed class EngineRun
    {
        public Dictionary<string, Result> Results { get; } = [];

        public double WriteAmplification { get; set; }

        public long SpaceBytes { get; set; }

        public LsmMetrics? EngineMetrics { get; set; }
    }

    private interface IStore : IDisposable
    {
        void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value);

        bool Get(ReadOnlySpan<byte> key);

        int Scan(ReadOnlySpan<byte> start, int count);

        LsmMetrics? Metrics { get; }
    }

    private static EngineRun RunEngine(string name, string directory, Workload w, Func<string, bool, IStore> open)
    {
        var run = new EngineRun();
        Span<byte> key = stackalloc byte[KeySize];

        using (var store = open(directory + "-seq", false))
        {
            var latencies = new long[w.Keys];
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < w.Keys; i++)
            {
                var t = Stopwatch.GetTimestamp();
                Workload.Key(key, i);
                store.Put(key, w.Value(i));
                latencies[i] = Stopwatch.GetTimestamp() - t;
            }

            run.Results["fillseq"] = Summarize(name, "fillseq", start, latencies);
        }

        var writtenBefore = DeviceBytesWritten();
        var store2 = open(directory, false);
        try
        {
            var latencies = new long[w.Keys];
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < w.Keys; i++)
            {
                var t = Stopwatch.GetTimestamp();
                Workload.Key(key, w.RandomOrder[i]);
                store2.Put(key, w.Value(i));
                latencies[i] = Stopwatch.GetTimestamp() - t;
            }

            run.Results["fillrandom"] = Summarize(name, "fillrandom", start, latencies);

            start = Stopwatch.GetTimestamp();
            for (var i = 0; i < w.Keys; i++)
            {
                var t = Stopwatch.GetTimestamp();
                Workload.Key(key, w.Overwrite[i]);
                store2.Put(key, w.Value(i + 1));
                latencies[i] = Stopwatch.GetTimestamp() - t;
            }

            run.Results["overwrite"] = Summarize(name, "overwrite", start, latencies);

            var found = 0;
            start = Stopwatch.GetTimestamp();
            for (var i = 0; i < w.Keys; i++)
            {
                var t = Stopwatch.GetTimestamp();
                Workload.Key(key, w.Reads[i]);
                found += store2.Get(key) ? 1 : 0;
                latencies[i] = Stopwatch.GetTimestamp() - t;
            }

            run.Results["readrandom"] = Summarize(name, "readrandom", start, latencies);
            if (found != w.Keys)
            {
                throw new InvalidOperationException($"{name}: readrandom found {found} of {w.Keys} keys");
            }

            var seekLatencies = new long[w.Seeks.Length];
            long scanned = 0;
            start = Stopwatch.GetTimestamp();
            for (var i = 0; i < w.Seeks.Length; i++)
            {
                var t = Stopwatch.GetTimestamp();
                Workload.Key(key, w.Seeks[i]);
                scanned += store2.Scan(key, ScanLength);
                seekLatencies[i] = Stopwatch.GetTimestamp() - t;
            }

            run.Results["seekrandom"] = Summarize(name, "seekrandom", start, seekLatencies);
            Log($"  {name}: seekrandom scanned {scanned:N0} entries");
            run.EngineMetrics = store2.Metrics;
        }
        finally
        {
            store2.Dispose();
        }

        var userBytes = 2.0 * w.Keys * (KeySize + ValueSize);
        run.WriteAmplification = (DeviceBytesWritten() - writtenBefore) / userBytes;
        run.SpaceBytes = Directory.EnumerateFiles(directory).Sum(f => new FileInfo(f).Length);

        using (var store = open(directory + "-sync", true))
        {
            var latencies = new long[w.SyncKeys.Length];
            var perThread = w.SyncKeys.Length / SyncThreads;
            var start = Stopwatch.GetTimestamp();
            var threads = new Thread[SyncThreads];
            for (var t = 0; t < SyncThreads; t++)
            {
                var first = t * perThread;
                threads[t] = new Thread(() =>
                {
                    Span<byte> k = stackalloc byte[KeySize];
                    for (var i = first; i < first + perThread; i++)
                    {
                        var t0 = Stopwatch.GetTimestamp();
                        Workload.Key(k, w.SyncKeys[i]);
                        store.Put(k, w.Value(i));
                        latencies[i] = Stopwatch.GetTimestamp() - t0;
                    }
                });
                threads[t].Start();
            }

            foreach (var thread in threads)
            {
                thread.Join();
            }

            run.Results["fillrandom-sync8"] = Summarize(name, "fillrandom-sync8", start, latencies.AsSpan(0, perThread * SyncThreads).ToArray());
        }

        return run;
    }

    private static TimeSpan _lastGcPause;
    private static int _lastGen2;

    private static Result Summarize(string engine, string workload, long start, long[] latencies)
    {
        var elapsed = Stopwatch.GetElapsedTime(start);
        var pause = GC.GetTotalPauseDuration();
        var gen2 = GC.CollectionCount(2);
        var gcNote = $"GC pauses {(pause - _lastGcPause).TotalMilliseconds:F0} ms, {gen2 - _lastGen2} gen2";
        _lastGcPause = pause;
        _lastGen2 = gen2;
        Array.Sort(latencies);
        var p99 = latencies[Math.Min(latencies.Length - 1, (int)(latencies.Length * 0.99))] * 1e6 / Stopwatch.Frequency;
        var result = new Result(latencies.Length / elapsed.TotalSeconds, p99);
        Log($"  {engine,-8} {workload,-18} {result.OpsPerSecond,12:N0} ops/s  p99 {result.P99Micros,8:F1} µs  ({elapsed.TotalSeconds:F2} s; {gcNote})");
        return result;
    }

    /// <summary>Bytes this process caused to be written to storage (Linux /proc/self/io), or 0 elsewhere.</summary>
    private static long DeviceBytesWritten()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/io"))
            {
                if (line.StartsWith("write_bytes:", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan("write_bytes:".Length).Trim(), CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }

    private sealed class StratusStore(string directory, bool sync, long memtable, long cache) : IStore
    {
        private readonly LsmEngine _engine = LsmEngine.Open(directory, new LsmOptions
        {
            Durability = sync ? Durability.Sync : Durability.Relaxed,
            RelaxedSyncInterval = TimeSpan.FromSeconds(1),
            MemTableSize = memtable,
            BlockCacheSize = cache,
        });

        public LsmMetrics? Metrics => _engine.GetMetrics();

        public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => _engine.Put(key, value);

        public bool Get(ReadOnlySpan<byte> key) => _engine.TryGet(key, out _);

        public int Scan(ReadOnlySpan<byte> start, int count)
        {
            using var iterator = _engine.NewIterator();
            var n = 0;
            for (iterator.Seek(start); iterator.Valid && n < count; iterator.Next())
            {
                n += iterator.Value.Length > 0 ? 1 : 0;
            }

            return n;
        }

        public void Dispose() => _engine.Dispose();
    }

    private sealed class RocksStore : IStore
    {
        private readonly RocksDb _db;
        private readonly WriteOptions _write;

        public RocksStore(string directory, bool sync, long memtable, long cache)
        {
            var table = new BlockBasedTableOptions()
                .SetBlockCache(Cache.CreateLru((ulong)cache))
                .SetFilterPolicy(BloomFilterPolicy.Create(10, false))
                .SetBlockSize(4096);
            var options = new DbOptions()
                .SetCreateIfMissing(true)
                .SetWriteBufferSize((ulong)memtable)
                .SetCompression(Compression.No)
                .SetBlockBasedTableFactory(table)
                .IncreaseParallelism(2);
            _db = RocksDb.Open(options, directory);
            _write = new WriteOptions().SetSync(sync);
        }

        public LsmMetrics? Metrics => null;

        public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => _db.Put(key, value, null, _write);

        public bool Get(ReadOnlySpan<byte> key) => _db.Get(key, null, null) != null;

        public int Scan(ReadOnlySpan<byte> start, int count)
        {
            using var iterator = _db.NewIterator(null, null);
            var n = 0;
            for (iterator.Seek(start); iterator.Valid() && n < count; iterator.Next())
            {
                n += iterator.GetValueSpan().Length > 0 ? 1 : 0;
            }

            return n;
        }

        public void Dispose() => _db.Dispose();
    }
}
