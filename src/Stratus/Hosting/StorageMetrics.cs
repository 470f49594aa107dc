using System.Diagnostics;
using System.Diagnostics.Metrics;
using Stratus.Storage.Lsm;

namespace Stratus.Hosting;

/// <summary>The storage engine's internals as Prometheus gauges: per-level files and bytes, write amplification, stalls, cache.</summary>
internal sealed class StorageMetrics : IDisposable
{
    public const string MeterName = "Stratus.Storage";

    private readonly Meter _meter = new(MeterName);
    private readonly LsmEngine _kv;
    private LsmMetrics? _snapshot;
    private long _snapshotAt;

    public StorageMetrics(LsmEngine kv)
    {
        _kv = kv;
        _meter.CreateObservableGauge("stratus.lsm.level.files", () => Levels(l => l.FileCount), "{file}", "SSTables per level.");
        _meter.CreateObservableGauge("stratus.lsm.level.bytes", () => Levels(l => l.Bytes), "By", "Bytes of SSTables per level.");
        _meter.CreateObservableGauge("stratus.lsm.write_amplification", () => Snapshot().WriteAmplification, null, "Bytes written to disk per byte written by users.");
        _meter.CreateObservableCounter("stratus.lsm.stalls", () => Snapshot().StallCount, "{stall}", "Writes held back because level 0 was full.");
        _meter.CreateObservableCounter("stratus.lsm.flushes", () => Snapshot().Flushes, "{flush}", "Memtables flushed to level 0.");
        _meter.CreateObservableCounter("stratus.lsm.compactions", () => Snapshot().Compactions, "{compaction}", "Compactions run.");
        _meter.CreateObservableGauge("stratus.lsm.block_cache.hit_ratio", () => Snapshot().BlockCacheHitRate, null, "Block cache hits over lookups.");
        _meter.CreateObservableGauge("stratus.lsm.block_cache.bytes", () => Snapshot().BlockCacheBytes, "By", "Bytes held by the block cache.");
        _meter.CreateObservableGauge("stratus.lsm.memtable.bytes", () => Snapshot().MemTableBytes, "By", "Bytes in the active memtable.");
        _meter.CreateObservableGauge("stratus.lsm.failed", () => Snapshot().IsFailed ? 1 : 0, null, "1 when the engine is read-only after an I/O failure.");
    }

    public void Dispose() => _meter.Dispose();

    // One scrape reads every gauge; take the engine's metrics once per scrape rather than once per gauge.
    private LsmMetrics Snapshot()
    {
        var now = Stopwatch.GetTimestamp();
        if (_snapshot is null || Stopwatch.GetElapsedTime(_snapshotAt, now) > TimeSpan.FromMilliseconds(500))
        {
            _snapshot = _kv.GetMetrics();
            _snapshotAt = now;
        }

        return _snapshot;
    }

    private IEnumerable<Measurement<long>> Levels(Func<LevelMetrics, long> value)
    {
        foreach (var level in Snapshot().Levels)
        {
            yield return new Measurement<long>(value(level), new KeyValuePair<string, object?>("level", level.Level));
        }
    }
}
