using Stratus.Storage.CrashWorker;

namespace Stratus.Benchmarks;

/// <summary>1,000 kill -9 cycles of the LSM crash workload (50 in quick mode); prints <c>ratio lsm-crash-soak 1</c> when all pass.</summary>
internal static class LsmCrashSoak
{
    public static int Run(bool quick)
    {
        var cycles = quick ? 50 : 1_000;
        var directory = Path.Combine(Path.GetTempPath(), "stratus-crash-soak-" + Guid.NewGuid().ToString("N"));
        try
        {
            var seed = Environment.TickCount & int.MaxValue;
            Console.Error.WriteLine($"crash soak: {cycles} cycles, seed {seed}");
            var report = CrashHarness.Run(directory, cycles, seed, log: line => Console.Error.WriteLine(line));
            Console.Error.WriteLine(report);
            Console.WriteLine("ratio lsm-crash-soak 1");
            return 0;
        }
        catch (InvalidDataException ex)
        {
            Console.Error.WriteLine($"crash soak FAILED: {ex.Message}");
            Console.WriteLine("ratio lsm-crash-soak 0");
            return 1;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
