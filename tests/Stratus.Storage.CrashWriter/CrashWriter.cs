using Stratus.Storage.Objects;

namespace Stratus.Storage.CrashWriter;

/// <summary>
/// <c>CrashWriter &lt;data-dir&gt; &lt;writers&gt;</c>: PUTs objects from several writers at once, forever. After each PUT it
/// commits the manifest to <c>acknowledged.log</c> (one line "seed size base64-manifest", fsynced) and only then prints
/// "ack": the stand-in for a metadata store commit. The test kills it with SIGKILL at an arbitrary point.
/// </summary>
internal static class CrashWriter
{
    public const int BlockSize = 64 * 1024;

    public static async Task<int> RunAsync(string[] args)
    {
        var directory = args[0];
        var writers = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
        var store = ObjectStore.Open(new ObjectStoreOptions { DataDirectory = directory, BlockSize = BlockSize, InlineThreshold = 4096 });
        using var log = new FileStream(Path.Combine(directory, "acknowledged.log"), FileMode.Append, FileAccess.Write, FileShare.Read);
        using var gate = new SemaphoreSlim(1);
        var next = 0;
        var tasks = new Task[writers];
        for (var w = 0; w < writers; w++)
        {
            tasks[w] = Task.Run(async () =>
            {
                while (true)
                {
                    var seed = Interlocked.Increment(ref next);
                    var content = Content(seed);
                    var manifest = await store.PutAsync(new MemoryStream(content));
                    var line = System.Text.Encoding.ASCII.GetBytes($"{seed} {content.Length} {Convert.ToBase64String(manifest.ToBytes())}\n");
                    await gate.WaitAsync();
                    try
                    {
                        await log.WriteAsync(line);
                        log.Flush(flushToDisk: true);
                        Console.WriteLine("ack");
                    }
                    finally
                    {
                        gate.Release();
                    }
                }
            });
        }

        await Task.WhenAll(tasks);
        return 0;
    }

    /// <summary>The bytes of object <paramref name="seed"/>: sizes from inline to several blocks.</summary>
    public static byte[] Content(int seed)
    {
        var random = new Random(seed);
        var content = new byte[random.Next(1, 5 * BlockSize)];
        random.NextBytes(content);
        return content;
    }
}
