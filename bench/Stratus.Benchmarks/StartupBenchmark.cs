using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Stratus.Benchmarks;

/// <summary>
/// Time from launching the built <c>stratus</c> executable to its first served request (a signed-free health call),
/// with an empty ephemeral store. The anchor is the 0.5 s target.
/// </summary>
internal static class StartupBenchmark
{
    private const double TargetMilliseconds = 500;

    public static int Run(bool quick)
    {
        var executable = Path.Combine(AppContext.BaseDirectory, "stratus");
        if (!File.Exists(executable))
        {
            Console.Error.WriteLine($"startup: {executable} not found; build the benchmark project first");
            return 1;
        }

        var runs = quick ? 5 : 20;
        var samples = new List<double>();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        for (var run = 0; run < runs + 1; run++)
        {
            var port = FreePort();
            var clock = Stopwatch.StartNew();
            using var process = Process.Start(new ProcessStartInfo(executable, ["serve", "--ephemeral", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--log-level", "Warning"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            try
            {
                while (!Served(http, port))
                {
                    if (process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(30))
                    {
                        Console.Error.WriteLine("startup: the server did not come up: " + process.StandardError.ReadToEnd());
                        return 1;
                    }

                    Thread.Sleep(2);
                }

                clock.Stop();
                if (run > 0)
                {
                    samples.Add(clock.Elapsed.TotalMilliseconds); // the first run warms the file cache
                }
            }
            finally
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }
        }

        samples.Sort();
        var median = samples[samples.Count / 2];
        Console.WriteLine($"startup-to-first-request: median {median:F0} ms, min {samples[0]:F0} ms, max {samples[^1]:F0} ms over {runs} launches");
        Console.WriteLine($"ratio startup {TargetMilliseconds / median:F2}");
        return 0;
    }

    private static bool Served(HttpClient http, int port)
    {
        try
        {
            using var response = http.GetAsync(new Uri($"http://127.0.0.1:{port}/_stratus/health")).GetAwaiter().GetResult();
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
