using System.Diagnostics;
using Stratus.Storage.Objects;

namespace Stratus.Benchmarks.Erasure;

/// <summary>
/// The full object path on the default layout (6 drives, 4+2, 1 MiB blocks) in a temp directory: PUT (stream in, code,
/// hash, write, fsync, rename) and GET MB/s for 1 MiB and 64 MiB objects, and bytes written to drives per byte stored.
/// All six "drives" share one real disk here, so the figures are for the software path, not for six spindles.
/// </summary>
internal static class ObjectPathBenchmark
{
    public static void Run()
    {
        var root = Path.Combine(Path.GetTempPath(), "stratus-bench-objects-" + Guid.NewGuid().ToString("N"));
        try
        {
            var store = ObjectStore.Open(new ObjectStoreOptions { DataDirectory = root });
            Console.WriteLine($"# object path, {store.DataShards}+{store.ParityShards} on {store.DriveCount} drive folders of one disk, one stream at a time (MB = 1e6 bytes)");
            Console.WriteLine("# object      PUT MB/s   GET MB/s   written/stored");
            foreach (var (size, count) in new[] { (1 << 20, 64), (64 << 20, 4) })
            {
                var content = new byte[size];
                new Random(size).NextBytes(content);
                var manifests = new List<ObjectManifest>();
                var put = Stopwatch.StartNew();
                for (var i = 0; i < count; i++)
                {
                    manifests.Add(store.PutAsync(new MemoryStream(content)).GetAwaiter().GetResult());
                }

                put.Stop();
                var written = Directory.EnumerateFiles(Path.Combine(root, "drives"), "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
                var buffer = new byte[256 * 1024];
                var get = Stopwatch.StartNew();
                foreach (var manifest in manifests)
                {
                    using var stream = store.OpenRead(manifest);
                    while (stream.Read(buffer) > 0)
                    {
                    }
                }

                get.Stop();
                var bytes = (double)size * count;
                Console.WriteLine($"  {size >> 20,3} MiB  {bytes / put.Elapsed.TotalSeconds / 1e6,10:F0} {bytes / get.Elapsed.TotalSeconds / 1e6,10:F0} {written / bytes,16:F3}");
                foreach (var manifest in manifests)
                {
                    store.Delete(manifest);
                }
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
