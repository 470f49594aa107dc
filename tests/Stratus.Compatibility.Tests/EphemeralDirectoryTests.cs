using Stratus.Hosting;

namespace Stratus.Compatibility.Tests;

/// <summary>Ephemeral data directories left by servers that were killed are removed by the next ephemeral start.</summary>
public sealed class EphemeralDirectoryTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "stratus-tmp-root-" + Guid.NewGuid().ToString("N"));

    public EphemeralDirectoryTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Only_old_directories_whose_lock_nobody_holds_are_removed()
    {
        var now = DateTime.UtcNow;
        var abandoned = Make("stratus-ephemeral-abandoned", now.AddMinutes(-5));
        var held = Make("stratus-ephemeral-held", now.AddMinutes(-5));
        var starting = Make("stratus-ephemeral-starting", now.AddSeconds(-10));
        var other = Make("somebody-elses", now.AddMinutes(-5));

        int removed;
        using (new FileStream(Path.Combine(held, "stratus.lock"), FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            removed = DataDirectory.RemoveAbandonedTemporaries(_root, now);
        }

        Assert.Equal(1, removed);
        Assert.False(Directory.Exists(abandoned));
        Assert.True(Directory.Exists(held));
        Assert.True(Directory.Exists(starting));
        Assert.True(Directory.Exists(other));
    }

    private string Make(string name, DateTime lastWrite)
    {
        var path = Path.Combine(_root, name);
        Directory.CreateDirectory(Path.Combine(path, "kv"));
        File.WriteAllText(Path.Combine(path, "stratus.lock"), "");
        File.WriteAllText(Path.Combine(path, "kv", "000001.sst"), "data");
        Directory.SetLastWriteTimeUtc(path, lastWrite);
        return path;
    }
}
