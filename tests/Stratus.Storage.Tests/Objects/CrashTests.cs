using System.Diagnostics;
using Stratus.Storage.Objects;

namespace Stratus.Storage.Tests.Objects;

public sealed class CrashTests : IDisposable
{
    private const int BlockSize = 64 * 1024; // as in Stratus.Storage.CrashWriter
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Kill_9_during_concurrent_writes_leaves_every_acknowledged_object_whole_and_no_temporary_files()
    {
        for (var round = 1; round <= 2; round++)
        {
            await RunWriterUntilKilled(acknowledgements: 8 * round);
        }

        var store = ObjectStore.Open(new ObjectStoreOptions { DataDirectory = _directory.Path, BlockSize = BlockSize, InlineThreshold = 4096 });

        Assert.Empty(Directory.GetFiles(Path.Combine(_directory.Path, "drives"), "*.tmp", SearchOption.AllDirectories));
        var acknowledged = new HashSet<string>(StringComparer.Ordinal);
        var lines = await File.ReadAllTextAsync(Path.Combine(_directory.Path, "acknowledged.log"));
        foreach (var line in lines.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            Assert.True(ObjectManifest.TryParse(Convert.FromBase64String(parts[2]), out var manifest), "an acknowledged manifest is whole");
            var expected = Content(int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(expected.Length, manifest!.Size);
            await using var stream = store.OpenRead(manifest);
            var actual = new byte[expected.Length];
            stream.ReadExactly(actual);
            Assert.Equal(expected, actual);
            Assert.True(store.Scrub(manifest, repair: false).Clean, "every shard of an acknowledged object is in place");
            acknowledged.Add(manifest.ObjectId);
        }

        Assert.True(acknowledged.Count >= 16);

        // Objects written but never acknowledged are orphans: not visible through any manifest, and removable.
        store.RemoveOrphans(acknowledged.Contains, TimeSpan.Zero);
        foreach (var file in Directory.GetFiles(Path.Combine(_directory.Path, "drives"), "*", SearchOption.AllDirectories))
        {
            Assert.Contains(Path.GetFileName(file)[..32], acknowledged);
        }
    }

    private async Task RunWriterUntilKilled(int acknowledgements)
    {
        var writer = Path.Combine(AppContext.BaseDirectory, "Stratus.Storage.CrashWriter.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { writer, _directory.Path, "4" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var acks = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            while (acks < acknowledgements)
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                    ?? throw new InvalidOperationException("writer exited: " + await process.StandardError.ReadToEndAsync(timeout.Token));
                acks += line == "ack" ? 1 : 0;
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true); // SIGKILL: no finally blocks, no flushes
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    private static byte[] Content(int seed)
    {
        var random = new Random(seed);
        var content = new byte[random.Next(1, 5 * BlockSize)];
        random.NextBytes(content);
        return content;
    }
}
