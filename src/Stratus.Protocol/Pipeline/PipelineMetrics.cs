using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Stratus.Protocol.Pipeline;

/// <summary>The pipeline's instruments: requests by service, operation and status, and their latency.</summary>
public sealed class PipelineMetrics : IDisposable
{
    /// <summary>The meter name to export.</summary>
    public const string MeterName = "Stratus.Pipeline";

    // From 50 µs to 10 s: local calls are fast, object transfers and cold starts are not.
    private static readonly double[] LatencyBuckets =
        [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _latency;

    public PipelineMetrics(IMeterFactory? factory = null)
    {
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _requests = _meter.CreateCounter<long>("stratus.requests", "{request}", "Requests served, by service, operation and status.");
        _latency = _meter.CreateHistogram<double>(
            "stratus.request.duration",
            "s",
            "Time from the first byte read to the last byte written.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
    }

    /// <summary>Records one finished request.</summary>
    public void Record(string service, string operation, int status, double seconds)
    {
        var tags = new TagList
        {
            { "service", service },
            { "operation", operation },
            { "status", status },
        };
        _requests.Add(1, tags);
        _latency.Record(seconds, tags);
    }

    public void Dispose() => _meter.Dispose();
}
