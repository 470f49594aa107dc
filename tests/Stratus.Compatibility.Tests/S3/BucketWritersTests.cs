using Stratus.S3;

namespace Stratus.Compatibility.Tests.S3;

public sealed class BucketWritersTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_deletion_waits_for_the_writers_inside_and_writers_arriving_meanwhile_wait_for_it()
    {
        var gate = new BucketWriters();
        var inside = await gate.EnterAsync("b");
        var deletion = gate.EnterAloneAsync("b").AsTask();
        var late = gate.EnterAsync("b").AsTask();
        Assert.False(deletion.IsCompleted);
        Assert.False(late.IsCompleted);

        inside.Dispose();
        var alone = await deletion.WaitAsync(Patience);
        Assert.False(late.IsCompleted);

        alone.Dispose();
        (await late.WaitAsync(Patience)).Dispose();
    }

    [Fact]
    public async Task Deletions_of_one_bucket_take_turns_and_other_buckets_are_not_held()
    {
        var gate = new BucketWriters();
        var first = await gate.EnterAloneAsync("b");
        var second = gate.EnterAloneAsync("b").AsTask();
        Assert.False(second.IsCompleted);
        (await gate.EnterAsync("c").AsTask().WaitAsync(Patience)).Dispose();
        (await gate.EnterAloneAsync("d").AsTask().WaitAsync(Patience)).Dispose();

        first.Dispose();
        (await second.WaitAsync(Patience)).Dispose();
        (await gate.EnterAsync("b").AsTask().WaitAsync(Patience)).Dispose();
    }
}
