using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Stratus.Compatibility.Tests;

/// <summary>The built executable as a user runs it: it starts, says where it listens, and stops cleanly on SIGTERM.</summary>
public sealed partial class ProcessLifecycleTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "stratus-proc-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Sigterm_stops_the_server_cleanly_and_frees_the_data_directory()
    {
        using var server = Start();
        var endpoint = await ReadyEndpointAsync(server);
        using (var http = new HttpClient())
        {
            Assert.True((await http.GetAsync(new Uri(endpoint, "/_stratus/health"))).IsSuccessStatusCode);
        }

        Assert.Equal(0, SysKill(server.Id, 15));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await server.WaitForExitAsync(timeout.Token);
        Assert.Equal(0, server.ExitCode);

        using var again = Start();
        await ReadyEndpointAsync(again); // the lock was released
        again.Kill(entireProcessTree: true);
        await again.WaitForExitAsync();
    }

    [Fact]
    public async Task A_second_server_on_the_same_data_directory_refuses_to_start()
    {
        using var first = Start();
        await ReadyEndpointAsync(first);
        using var second = Start();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await second.WaitForExitAsync(timeout.Token);
        Assert.Equal(2, second.ExitCode);
        Assert.Contains("another Stratus", await second.StandardError.ReadToEndAsync(), StringComparison.Ordinal);
        first.Kill(entireProcessTree: true);
        await first.WaitForExitAsync();
    }

    public void Dispose()
    {
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    private Process Start()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "stratus.dll");
        var info = new ProcessStartInfo("dotnet", ["exec", dll, "serve", "--port", "0", "--data-dir", _dataDir])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        return Process.Start(info)!;
    }

    private static async Task<Uri> ReadyEndpointAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            var match = ReadyLine().Match(line);
            if (match.Success)
            {
                // Keep draining the output so the server never blocks on a full pipe.
                _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                return new Uri(match.Groups[1].Value);
            }
        }

        throw new InvalidOperationException("The server exited before it was ready: " + await process.StandardError.ReadToEndAsync());
    }

    [GeneratedRegex(@"ready on (http://\S+?)/? ")]
    private static partial Regex ReadyLine();

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SysKill(int pid, int signal);
}
