using Microsoft.Extensions.Time.Testing;
using Stratus.Storage.Objects;

namespace Stratus.Storage.Tests.Objects;

public sealed class ObjectScrubberTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Each_interval_the_scrubber_finds_and_repairs_damage_in_every_listed_object()
    {
        var clock = new FakeTimeProvider();
        var store = ObjectStore.Open(new ObjectStoreOptions { DataDirectory = _directory.Path, BlockSize = 64 * 1024, InlineThreshold = 1024, TimeProvider = clock });
        var objects = new List<ObjectManifest>();
        for (var i = 0; i < 3; i++)
        {
            var content = new byte[100_000 + i];
            new Random(i).NextBytes(content);
            objects.Add(await store.PutAsync(new MemoryStream(content)));
        }

        await using var scrubber = new ObjectScrubber(store, () => objects, id => objects.Find(o => o.ObjectId == id), TimeSpan.FromHours(1), clock);
        store.FlipBit(objects[0], 5, 1234);
        store.DeleteShard(objects[2], 0);

        var first = scrubber.NextPassAsync();
        clock.Advance(TimeSpan.FromHours(1));
        var pass = await first.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(3, pass.Objects);
        Assert.Equal(2, pass.DamagedShards);
        Assert.Equal(2, pass.RepairedShards);
        Assert.Equal(0, pass.UnrecoverableObjects);

        var second = scrubber.NextPassAsync();
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, (await second.WaitAsync(TimeSpan.FromSeconds(30))).DamagedShards);
    }

    [Fact]
    public async Task No_pass_runs_before_the_interval_elapses()
    {
        var clock = new FakeTimeProvider();
        var store = ObjectStore.Open(new ObjectStoreOptions { DataDirectory = _directory.Path, TimeProvider = clock });
        await using var scrubber = new ObjectScrubber(store, () => [], _ => null, TimeSpan.FromHours(1), clock);

        clock.Advance(TimeSpan.FromMinutes(59));

        Assert.Null(scrubber.LastPass);
        Assert.False(scrubber.NextPassAsync().IsCompleted);
    }
}
