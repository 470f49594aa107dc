namespace Stratus.Storage.CrashWorker;

/// <summary>What a crash run did.</summary>
public sealed record CrashReport(int Cycles, long AcknowledgedBatches, TimeSpan Elapsed)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"{Cycles} kill -9 cycles, {AcknowledgedBatches} acknowledged batches, all verified, in {Elapsed.TotalSeconds:F1} s";
}
