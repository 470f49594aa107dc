using Stratus.Storage.Erasure;
using Stratus.Storage.Objects;

namespace Stratus.Storage.Tests.Objects;

public sealed class ObjectStoreTests : IDisposable
{
    private const int BlockSize = 64 * 1024;
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(8 * 1024)]
    [InlineData((8 * 1024) + 1)]
    [InlineData(BlockSize - 1)]
    [InlineData(BlockSize)]
    [InlineData((3 * BlockSize) + 12_345)]
    public async Task Put_then_get_returns_the_same_bytes(int size)
    {
        var store = Open();
        var content = Bytes(size, size);

        var manifest = await store.PutAsync(new TrickleStream(content));

        Assert.Equal(size, manifest.Size);
        Assert.Equal(size <= 8 * 1024, manifest.IsInline);
        Assert.Equal(content, await ReadAll(store, manifest));
    }

    [Fact]
    public async Task With_default_options_small_objects_are_inline_and_large_ones_are_sharded_on_six_drives()
    {
        var store = ObjectStore.Open(new ObjectStoreOptions { DataDirectory = _directory.Path });
        Assert.Equal((4, 2, 6), (store.DataShards, store.ParityShards, store.DriveCount));

        var small = await store.PutAsync(new MemoryStream(Bytes(128 * 1024, 1)));
        var large = await store.PutAsync(new MemoryStream(Bytes((2 << 20) + 5, 2)));

        Assert.True(small.IsInline);
        Assert.False(large.IsInline);
        Assert.Equal(3, large.BlockCount);
        Assert.Equal(Bytes((2 << 20) + 5, 2), await ReadAll(store, large));
        for (var d = 0; d < 6; d++)
        {
            Assert.Single(Directory.GetFiles(Path.Combine(_directory.Path, "drives", $"d{d}"), "*", SearchOption.AllDirectories));
        }
    }

    [Fact]
    public async Task Byte_ranges_return_the_same_bytes_as_slicing_the_object()
    {
        var store = Open();
        var content = Bytes((5 * BlockSize) + 777, 3);
        var manifest = await store.PutAsync(new MemoryStream(content));
        var random = new Random(3);
        for (var i = 0; i < 40; i++)
        {
            var offset = random.Next(content.Length);
            var length = random.Next(content.Length - offset + 1);
            using var stream = store.OpenRead(manifest, offset, length);
            var read = new byte[length];
            stream.ReadExactly(read);
            Assert.Equal(content.AsSpan(offset, length).ToArray(), read);
            Assert.Equal(0, stream.Read(new byte[1]));
        }
    }

    [Fact]
    public async Task A_small_range_reads_only_the_shards_it_lies_in_and_rebuilds_one_that_is_lost()
    {
        var store = Open();
        var content = Bytes(3 * BlockSize, 12);
        var manifest = await store.PutAsync(new MemoryStream(content));
        var shardLength = BlockSize / store.DataShards;
        Assert.True(store.DeleteShard(manifest, 3));

        // Bytes inside data shard 0 of block 1: shard 3 is never touched, so nothing is reported.
        Assert.Equal(content.AsSpan(BlockSize + 10, 100).ToArray(), await ReadRange(store, manifest, BlockSize + 10, 100));
        Assert.Empty(store.DrainDamage());

        // Bytes inside data shard 3: rebuilt from the others, and the loss is reported.
        var inShard3 = BlockSize + (3 * shardLength) + 5;
        Assert.Equal(content.AsSpan(inShard3, 200).ToArray(), await ReadRange(store, manifest, inShard3, 200));
        Assert.Equal([new ShardDamage(manifest.ObjectId, 3, ShardFault.Missing)], store.DrainDamage());
    }

    [Fact]
    public async Task Any_M_drives_offline_still_reads_every_object_byte_for_byte()
    {
        var store = Open(drives: 6, parity: 2);
        var objects = await PutMany(store, 6);
        foreach (var lost in ErasureSets(6, 2))
        {
            foreach (var d in lost)
            {
                store.SetDriveOffline(d, true);
            }

            foreach (var (manifest, content) in objects)
            {
                Assert.Equal(content, await ReadAll(store, manifest));
            }

            foreach (var d in lost)
            {
                store.SetDriveOffline(d, false);
            }
        }
    }

    [Fact]
    public async Task Two_drives_wiped_and_replaced_empty_read_back_intact_and_the_healer_restores_every_shard()
    {
        var store = Open(drives: 6, parity: 2);
        var objects = await PutMany(store, 5);
        foreach (var d in new[] { 1, 4 })
        {
            var drive = Path.Combine(_directory.Path, "drives", $"d{d}");
            Directory.Delete(drive, recursive: true);
            Directory.CreateDirectory(drive);
        }

        foreach (var (manifest, content) in objects)
        {
            Assert.Equal(content, await ReadAll(store, manifest));
        }

        foreach (var (manifest, _) in objects.Where(o => !o.Manifest.IsInline))
        {
            Assert.Equal(2, store.Scrub(manifest).Repaired.Count);
            Assert.True(store.Scrub(manifest, repair: false).Clean);
        }

        var shardFiles = Directory.GetFiles(Path.Combine(_directory.Path, "drives"), "*", SearchOption.AllDirectories).Length;
        Assert.Equal(6 * objects.Count(o => !o.Manifest.IsInline), shardFiles);
    }

    [Fact]
    public async Task M_plus_one_drives_offline_is_a_clear_error_and_nothing_is_corrupted()
    {
        var store = Open(drives: 6, parity: 2);
        var objects = await PutMany(store, 3);
        foreach (var d in new[] { 0, 2, 5 })
        {
            store.SetDriveOffline(d, true);
        }

        foreach (var (manifest, _) in objects)
        {
            var error = await Assert.ThrowsAsync<InsufficientShardsException>(() => ReadAll(store, manifest));
            Assert.Contains("4 are needed", error.Message, StringComparison.Ordinal);
        }

        foreach (var d in new[] { 0, 2, 5 })
        {
            store.SetDriveOffline(d, false);
        }

        foreach (var (manifest, content) in objects)
        {
            Assert.Equal(content, await ReadAll(store, manifest));
            Assert.True(store.Scrub(manifest, repair: false).Clean);
        }
    }

    [Fact]
    public async Task Writes_go_on_with_a_quorum_and_the_returning_drive_is_healed()
    {
        var store = Open(drives: 6, parity: 2);
        store.SetDriveOffline(4, true);
        store.SetDriveOffline(1, true);
        var content = Bytes((2 * BlockSize) + 99, 9);

        var manifest = await store.PutAsync(new MemoryStream(content));

        Assert.Equal(content, await ReadAll(store, manifest));
        store.SetDriveOffline(4, false);
        store.SetDriveOffline(1, false);
        var reports = store.HealPending(id => id == manifest.ObjectId ? manifest : null);
        var report = Assert.Single(reports);
        Assert.Equal(2, report.Repaired.Count);
        Assert.True(store.Scrub(manifest, repair: false).Clean);
    }

    [Fact]
    public async Task A_drive_that_fails_goes_offline_by_itself_and_a_probe_brings_it_back_for_the_scrubber_to_heal()
    {
        var store = Open(drives: 6, parity: 2);
        var drive = Path.Combine(_directory.Path, "drives", "d3");
        Directory.Delete(drive, recursive: true);
        await File.WriteAllTextAsync(drive, "a file where the drive's folder should be: every write to it fails");
        var content = Bytes((2 * BlockSize) + 5, 11);

        var manifest = await store.PutAsync(new MemoryStream(content));

        Assert.True(store.IsDriveOffline(3));
        Assert.Empty(store.ProbeOfflineDrives()); // still broken
        File.Delete(drive);
        Assert.Equal([3], store.ProbeOfflineDrives());
        Assert.False(store.IsDriveOffline(3));
        var scrubber = new ObjectScrubber(store, () => [manifest], id => id == manifest.ObjectId ? manifest : null, TimeSpan.FromHours(1), TimeProvider.System);
        await using (scrubber)
        {
            var pass = scrubber.RunPass();
            Assert.Equal(0, pass.UnrecoverableObjects);
        }

        Assert.True(store.Scrub(manifest, repair: false).Clean);
        Assert.Equal(content, await ReadAll(store, manifest));
    }

    [Fact]
    public async Task Below_the_write_quorum_a_put_fails_cleanly_and_leaves_no_files()
    {
        var store = Open(drives: 6, parity: 2);
        foreach (var d in new[] { 0, 1, 2 })
        {
            store.SetDriveOffline(d, true);
        }

        var error = await Assert.ThrowsAsync<WriteQuorumException>(() => store.PutAsync(new MemoryStream(Bytes(3 * BlockSize, 1))));

        Assert.Contains("write quorum is 4", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(_directory.Path, "drives"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Random_bit_flips_are_all_detected_healed_and_never_returned()
    {
        var store = Open(drives: 6, parity: 2);
        var objects = await PutMany(store, 4);
        var random = new Random(2024);
        var flips = 0;
        for (var round = 0; round < 25; round++)
        {
            var (manifest, content) = objects[random.Next(objects.Count)];

            // Up to M shards of one object get a few flipped bits each.
            var shards = Enumerable.Range(0, 6).OrderBy(_ => random.Next()).Take(random.Next(1, 3)).ToArray();
            foreach (var shard in shards)
            {
                for (var f = 0; f < random.Next(1, 4); f++)
                {
                    store.FlipBit(manifest, shard, random.NextInt64(store.ShardFileLength(manifest, shard) * 8));
                    flips++;
                }
            }

            Assert.Equal(content, await ReadAll(store, manifest));

            // A read reads the data shards (and parity only in their place), so it catches every corrupt data shard.
            var detected = store.DrainDamage().Where(d => d.ObjectId == manifest.ObjectId).Select(d => d.Shard).Order().ToArray();
            Assert.Equal(shards.Where(s => s < store.DataShards).Order().ToArray(), detected.Where(s => s < store.DataShards).ToArray());
            Assert.All(detected, s => Assert.Contains(s, shards));

            var report = store.Scrub(manifest);
            Assert.Equal(shards.Order().ToArray(), report.Repaired.Order().ToArray());
            Assert.True(store.Scrub(manifest, repair: false).Clean);
        }

        Assert.True(flips >= 25);
    }

    [Fact]
    public async Task A_deleted_shard_is_rebuilt_on_read_and_restored_by_the_healer()
    {
        var store = Open();
        var content = Bytes((2 * BlockSize) + 1, 4);
        var manifest = await store.PutAsync(new MemoryStream(content));
        Assert.True(store.DeleteShard(manifest, 1));

        Assert.Equal(content, await ReadAll(store, manifest));
        var reports = store.HealPending(id => manifest);

        Assert.Equal([1], Assert.Single(reports).Repaired);
        Assert.True(store.Scrub(manifest, repair: false).Clean);
    }

    [Fact]
    public async Task Temporary_files_left_by_a_crash_are_removed_at_open_and_committed_objects_survive()
    {
        var store = Open();
        var content = Bytes(3 * BlockSize, 5);
        var committed = await store.PutAsync(new MemoryStream(content));
        // A crash mid-write leaves shards under temporary names and no manifest.
        var leftover = Path.Combine(_directory.Path, "drives", "d3", "ab", "ab000000000000000000000000000000.3.tmp");
        Directory.CreateDirectory(Path.GetDirectoryName(leftover)!);
        await File.WriteAllBytesAsync(leftover, new byte[100]);

        var reopened = Open();

        Assert.Equal(1, reopened.RemovedTemporaryFiles);
        Assert.False(File.Exists(leftover));
        Assert.Equal(content, await ReadAll(reopened, committed));
    }

    [Fact]
    public async Task Orphan_cleanup_removes_only_unreferenced_shards_old_enough()
    {
        var store = Open();
        var kept = await store.PutAsync(new MemoryStream(Bytes(2 * BlockSize, 6)));
        var orphan = await store.PutAsync(new MemoryStream(Bytes(2 * BlockSize, 7)));

        Assert.Equal(0, store.RemoveOrphans(id => id == kept.ObjectId, TimeSpan.FromHours(1)));
        Assert.Equal(6, store.RemoveOrphans(id => id == kept.ObjectId, TimeSpan.Zero));

        Assert.Equal(Bytes(2 * BlockSize, 6), await ReadAll(store, kept));
        await Assert.ThrowsAsync<InsufficientShardsException>(() => ReadAll(store, orphan));
    }

    [Fact]
    public async Task Delete_removes_every_shard_file()
    {
        var store = Open();
        var manifest = await store.PutAsync(new MemoryStream(Bytes(BlockSize + 1, 8)));

        store.Delete(manifest);

        Assert.Empty(Directory.GetFiles(Path.Combine(_directory.Path, "drives"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Manifests_round_trip_through_bytes_and_a_corrupted_manifest_is_refused()
    {
        var store = Open();
        foreach (var size in new[] { 0, 100, (2 * BlockSize) + 3 })
        {
            var manifest = await store.PutAsync(new MemoryStream(Bytes(size, size)));
            var bytes = manifest.ToBytes();
            var inPlace = new byte[manifest.EncodedLength + 5];
            manifest.WriteTo(inPlace);
            Assert.Equal(bytes, inPlace[..bytes.Length]);

            Assert.True(ObjectManifest.TryParse(bytes, out var parsed));
            Assert.Equal(manifest.ObjectId, parsed!.ObjectId);
            Assert.Equal(manifest.MerkleRoot, parsed.MerkleRoot);
            Assert.Equal(Bytes(size, size), await ReadAll(store, parsed));

            for (var i = 0; i < bytes.Length; i += Math.Max(1, bytes.Length / 50))
            {
                var corrupted = (byte[])bytes.Clone();
                corrupted[i] ^= 0x01;
                Assert.False(ObjectManifest.TryParse(corrupted, out _));
            }

            Assert.False(ObjectManifest.TryParse(bytes.AsSpan(0, bytes.Length - 1), out _));
        }
    }

    [Fact]
    public async Task A_detached_inline_manifest_round_trips_without_its_bytes_and_names_only_its_own_whole_manifest()
    {
        var store = Open();
        var whole = await store.PutAsync(new MemoryStream(Bytes(100, 7)));
        var other = await store.PutAsync(new MemoryStream(Bytes(100, 8)));
        var detached = whole.Detach();
        var bytes = detached.ToBytes();

        Assert.True(bytes.Length < whole.ToBytes().Length - 100);
        Assert.True(ObjectManifest.TryParse(bytes, out var parsed));
        Assert.True(parsed!.IsDetached && parsed.IsInline && parsed.InlineData is null);
        Assert.Equal((whole.ObjectId, whole.Size), (parsed.ObjectId, parsed.Size));
        Assert.Equal(whole.MerkleRoot, parsed.MerkleRoot);
        Assert.True(parsed.IsDetachedFrom(whole));
        Assert.False(parsed.IsDetachedFrom(other));
        Assert.False(whole.IsDetachedFrom(whole));
        Assert.Throws<InvalidOperationException>(() => store.OpenRead(parsed));
        Assert.Throws<InvalidOperationException>(() => parsed.Detach());
        store.Delete(parsed); // nothing of its own to delete: no shards
        for (var i = 0; i < bytes.Length; i++)
        {
            var corrupted = (byte[])bytes.Clone();
            corrupted[i] ^= 0x01;
            Assert.False(ObjectManifest.TryParse(corrupted, out _));
        }
    }

    [Fact]
    public async Task Every_kernel_writes_shards_that_every_other_kernel_reads()
    {
        var content = Bytes((2 * BlockSize) + 17, 10);
        var manifest = await Open(kernel: GaloisKernel.Scalar).PutAsync(new MemoryStream(content));
        foreach (var kernel in Enum.GetValues<GaloisKernel>().Where(ReedSolomonCodec.IsSupported))
        {
            var store = Open(kernel: kernel);
            store.SetDriveOffline(manifest.DriveOf(0), true);
            store.SetDriveOffline(manifest.DriveOf(3), true);
            Assert.Equal(content, await ReadAll(store, manifest));
        }
    }

    private ObjectStore Open(int drives = 6, int parity = 2, GaloisKernel kernel = GaloisKernel.Auto) => ObjectStore.Open(new ObjectStoreOptions
    {
        DataDirectory = _directory.Path,
        Drives = drives,
        ParityShards = parity,
        BlockSize = BlockSize,
        InlineThreshold = 8 * 1024,
        Kernel = kernel,
    });

    private static async Task<List<(ObjectManifest Manifest, byte[] Content)>> PutMany(ObjectStore store, int count)
    {
        var objects = new List<(ObjectManifest, byte[])>();
        for (var i = 0; i < count; i++)
        {
            var content = Bytes((i * BlockSize / 2) + 9000 + i, 100 + i);
            objects.Add((await store.PutAsync(new MemoryStream(content)), content));
        }

        return objects;
    }

    private static async Task<byte[]> ReadRange(ObjectStore store, ObjectManifest manifest, long offset, int length)
    {
        await using var stream = store.OpenRead(manifest, offset, length);
        var bytes = new byte[length];
        await stream.ReadExactlyAsync(bytes);
        return bytes;
    }

    private static async Task<byte[]> ReadAll(ObjectStore store, ObjectManifest manifest)
    {
        await using var stream = store.OpenRead(manifest);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private static byte[] Bytes(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static IEnumerable<int[]> ErasureSets(int n, int m)
    {
        for (var a = 0; a < n; a++)
        {
            yield return [a];
            for (var b = a + 1; b < n && m >= 2; b++)
            {
                yield return [a, b];
            }
        }
    }
}
