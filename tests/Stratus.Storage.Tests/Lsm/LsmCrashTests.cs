using Stratus.Storage.CrashWorker;

namespace Stratus.Storage.Tests.Lsm;

public sealed class LsmCrashTests
{
    [Fact]
    public void Fifty_kill_9_cycles_lose_no_acknowledged_batch_and_show_no_partial_or_unwritten_one()
    {
        var directory = Path.Combine(Path.GetTempPath(), "stratus-crash-" + Guid.NewGuid().ToString("N"));
        try
        {
            var report = CrashHarness.Run(directory, cycles: 50, seed: 4242);
            Assert.Equal(50, report.Cycles);
            Assert.True(report.AcknowledgedBatches > 0);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
