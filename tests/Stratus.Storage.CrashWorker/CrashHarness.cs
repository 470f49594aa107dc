using System.Diagnostics;
using System.Globalization;
using System.Text;
using Stratus.Storage.Lsm;

namespace Stratus.Storage.CrashWorker;

/// <summary>
/// Starts the worker as a child process, SIGKILLs it at a random point, reopens the directory in this process and
/// checks: every acknowledged batch fully present, no batch partly present, nothing that was never written.
/// </summary>
public static class CrashHarness
{
    /// <summary><c>[cycles] [seed]</c>: runs the harness standalone.</summary>
    public static int RunStandalone(string[] args)
    {
        var cycles = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50;
        var seed = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1;
        var directory = Path.Combine(Path.GetTempPath(), "stratus-crash-" + Guid.NewGuid().ToString("N"));
        try
        {
            var result = Run(directory, cycles, seed, Console.WriteLine);
            Console.WriteLine(result);
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Runs the kill/restart/verify cycles; throws <see cref="InvalidDataException"/> on the first violation.</summary>
    public static CrashReport Run(string directory, int cycles, int seed, Action<string>? log = null)
    {
        var random = new Random(seed);
        var acknowledged = new HashSet<long>();
        long nextId = 0;
        long maxAttempted = -1;
        long totalAcks = 0;
        var stopwatch = Stopwatch.StartNew();
        for (var cycle = 0; cycle < cycles; cycle++)
        {
            // Half the kills land early (during open, recovery or the first writes), half later.
            var killAfter = random.Next(2) == 0 ? random.Next(0, 20) : random.Next(20, 400);
            var acks = RunWorkerUntilKilled(directory, nextId, killAfter);
            foreach (var id in acks)
            {
                acknowledged.Add(id);
            }

            totalAcks += acks.Count;

            // The worker may have had one more batch in flight when it died.
            maxAttempted = Math.Max(maxAttempted, nextId + acks.Count);
            var present = Verify(directory, acknowledged, maxAttempted, cycle);
            nextId = Math.Max(maxAttempted, present) + 1;
            log?.Invoke($"cycle {cycle}: killed after {acks.Count} acks, {acknowledged.Count} acknowledged in all, highest present {present}");
        }

        return new CrashReport(cycles, totalAcks, stopwatch.Elapsed);
    }

    private static List<long> RunWorkerUntilKilled(string directory, long firstId, int killAfter)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(CrashHarness).Assembly.Location);
        start.ArgumentList.Add("worker");
        start.ArgumentList.Add(directory);
        start.ArgumentList.Add(firstId.ToString(CultureInfo.InvariantCulture));
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the crash worker");
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data != null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        var acks = new List<long>();
        var ready = false;
        try
        {
            while (true)
            {
                if (ready && acks.Count >= killAfter)
                {
                    break;
                }

                var line = process.StandardOutput.ReadLine();
                if (line == null)
                {
                    process.WaitForExit();
                    string errors;
                    lock (stderr)
                    {
                        errors = stderr.ToString();
                    }

                    throw new InvalidDataException($"the crash worker exited on its own (code {process.ExitCode}): {errors}");
                }

                if (line == "ready")
                {
                    ready = true;
                    if (killAfter == 0)
                    {
                        break;
                    }

                    continue;
                }

                acks.Add(long.Parse(line, CultureInfo.InvariantCulture));
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        // Acknowledgements printed before the kill but not yet read still count: the pipe holds them.
        string? rest;
        while ((rest = process.StandardOutput.ReadLine()) != null)
        {
            if (rest != "ready" && long.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                acks.Add(id);
            }
        }

        return acks;
    }

    private static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        var current = Environment.ProcessPath;
        if (current != null && Path.GetFileNameWithoutExtension(current) == "dotnet")
        {
            return current;
        }

        return "dotnet";
    }

    private static long Verify(string directory, HashSet<long> acknowledged, long maxAttempted, int cycle)
    {
        using var engine = LsmEngine.Open(directory, CrashWorkload.Options());
        var counts = new Dictionary<long, int>();
        using (var iterator = engine.NewIterator(ReadOptions.ForPrefix("b/"u8)))
        {
            while (iterator.MoveNext())
            {
                var key = Encoding.ASCII.GetString(iterator.Key);
                var parts = key.Split('/');
                var id = long.Parse(parts[1], CultureInfo.InvariantCulture);
                var j = int.Parse(parts[2], CultureInfo.InvariantCulture);
                var expected = $"{id}:{j}:{new string('x', 40)}";
                if (Encoding.ASCII.GetString(iterator.Value) != expected)
                {
                    throw new InvalidDataException($"cycle {cycle}: {key} holds '{Encoding.ASCII.GetString(iterator.Value)}', not '{expected}'");
                }

                counts[id] = counts.GetValueOrDefault(id) + 1;
            }
        }

        long highest = -1;
        foreach (var (id, count) in counts)
        {
            if (id > maxAttempted)
            {
                throw new InvalidDataException($"cycle {cycle}: batch {id} is present but was never written (highest attempted {maxAttempted})");
            }

            if (count != CrashWorkload.KeysIn(id))
            {
                throw new InvalidDataException($"cycle {cycle}: batch {id} is half-present ({count} of {CrashWorkload.KeysIn(id)} keys)");
            }

            highest = Math.Max(highest, id);
        }

        foreach (var id in acknowledged)
        {
            if (!counts.ContainsKey(id))
            {
                throw new InvalidDataException($"cycle {cycle}: acknowledged batch {id} is missing");
            }
        }

        if (highest >= 0)
        {
            if (!engine.TryGet("last"u8, out var last) || Encoding.ASCII.GetString(last) != highest.ToString(CultureInfo.InvariantCulture))
            {
                throw new InvalidDataException($"cycle {cycle}: 'last' does not name the newest batch {highest}");
            }
        }

        return highest;
    }
}
