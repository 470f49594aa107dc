using Stratus.Storage.Objects;

namespace Stratus.Benchmarks.Erasure;

/// <summary>
/// The bitrot soak (<c>bitrot</c>; <c>--quick</c> for 100 flips instead of 1,000): random bit flips across the shards of
/// stored objects, at most M shards of an object damaged at a time; every object is read back and compared, then the
/// scrubber heals. Prints flips, shards detected on read, shards healed, wrong bytes returned; exits non-zero on any miss.
/// </summary>
internal static class BitrotSoak
{
    public static int Run(bool quick)
    {
        var flipsWanted = quick ? 100 : 1000;
        var root = Path.Combine(Path.GetTempPath(), "stratus-bitrot-" + Guid.NewGuid().ToString("N"));
        try
        {
            var store = ObjectStore.Open(new ObjectStoreOptions { DataDirectory = root, BlockSize = 256 * 1024, InlineThreshold = 16 * 1024 });
            var random = new Random(1000);
            var objects = new List<(ObjectManifest Manifest, byte[] Content)>();
            for (var i = 0; i < 16; i++)
            {
                var content = new byte[random.Next(20_000, 1_500_000)];
                random.NextBytes(content);
                objects.Add((store.PutAsync(new MemoryStream(content)).GetAwaiter().GetResult(), content));
            }

            long flips = 0, damagedShards = 0, detected = 0, healed = 0, wrongBytes = 0, failedReads = 0;
            while (flips < flipsWanted)
            {
                var (manifest, content) = objects[random.Next(objects.Count)];
                var shards = Enumerable.Range(0, manifest.TotalShards).OrderBy(_ => random.Next()).Take(random.Next(1, manifest.ParityShards + 1)).ToArray();
                foreach (var shard in shards)
                {
                    var bits = new HashSet<long>();
                    var count = random.Next(1, 6);
                    while (bits.Count < count)
                    {
                        bits.Add(random.NextInt64(store.ShardFileLength(manifest, shard) * 8));
                    }

                    foreach (var bit in bits)
                    {
                        store.FlipBit(manifest, shard, bit);
                    }

                    flips += bits.Count;
                }

                damagedShards += shards.Length;
                try
                {
                    using var stream = store.OpenRead(manifest);
                    var read = new byte[content.Length];
                    stream.ReadExactly(read);
                    for (var i = 0; i < read.Length; i++)
                    {
                        wrongBytes += read[i] != content[i] ? 1 : 0;
                    }
                }
                catch (Exception e) when (e is IOException or InvalidDataException or Stratus.Storage.Erasure.InsufficientShardsException)
                {
                    failedReads++;
                }

                // Reads see the shards they read; the scrub checks every shard, so detection is counted from it.
                store.DrainDamage();
                var report = store.Scrub(manifest);
                detected += report.Damaged.Count;
                healed += report.Repaired.Count;
                if (!store.Scrub(manifest, repair: false).Clean)
                {
                    Console.WriteLine($"object {manifest.ObjectId} still damaged after healing");
                    return 1;
                }
            }

            Console.WriteLine($"bitrot soak: {flips} bit flips in {damagedShards} shard-damage events; detected {detected}, healed {healed}, failed reads {failedReads}, wrong bytes returned {wrongBytes}");
            return detected == damagedShards && healed == damagedShards && wrongBytes == 0 && failedReads == 0 ? 0 : 1;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
