using Stratus.Benchmarks.Erasure;

namespace Stratus.Benchmarks;

/// <summary>Dispatches <c>&lt;name&gt; [--quick]</c> to one benchmark; each prints <c>ratio &lt;workload&gt; &lt;value&gt;</c> lines.</summary>
internal static class BenchmarkRunner
{
    private static readonly Dictionary<string, Func<bool, int>> Benchmarks = new(StringComparer.Ordinal)
    {
        ["sigv4"] = SigV4Benchmark.Run,
        ["pipeline"] = PipelineBenchmark.Run,
        ["startup"] = StartupBenchmark.Run,
        ["erasure"] = ErasureBenchmark.Run,
        ["bitrot"] = BitrotSoak.Run,
        ["lsm"] = LsmBenchmark.Run,
        ["lsm-crash-soak"] = LsmCrashSoak.Run,
        ["lsm-memory"] = LsmMemoryBenchmark.Run,
        ["iam"] = IamBenchmark.Run,
        ["s3"] = S3Benchmark.Run,
        ["s3-ceiling"] = S3Benchmark.RunCeiling,
    };

    public static int Run(string[] args)
    {
        if (args is ["ceiling-server", ..])
        {
            return CeilingServer.Serve(args[1..]);
        }

        if (args.Length == 0 || !Benchmarks.TryGetValue(args[0], out var run))
        {
            Console.Error.WriteLine($"usage: Stratus.Benchmarks <{string.Join('|', Benchmarks.Keys)}> [--quick]");
            return 2;
        }

        var quick = Array.IndexOf(args, "--quick") >= 0;
        return run(quick);
    }
}
