using System.Buffers;
using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Stratus.Storage.Lsm;

namespace Stratus.Benchmarks;

/// <summary>
/// The least any durable S3 must do per request, on the same HTTP server as Stratus (Kestrel) and with no S3 behind it:
/// a PUT reads its body, computes the MD5 its ETag must be, appends the body to one preallocated log and answers once a
/// group fdatasync covers it; a GET answers the object's size in bytes from memory. No signatures, no authorization, no
/// metadata, no index, no erasure coding, no bitrot hashes. What it reaches on a machine is an upper bound for any local
/// S3 that acknowledges only durable writes there, so the <c>s3-ceiling</c> benchmark can say how much of a target the
/// machine allows at all (the <c>s3</c> benchmark's 10× s3rver).
/// </summary>
internal static class CeilingServer
{
    /// <summary>Log bytes written before wrapping to the start: the log is a ring of zeroed blocks, so an append never grows the file and an fdatasync never writes file metadata.</summary>
    private const long LogBytes = 256L << 20;

    /// <summary><c>ceiling-server &lt;port&gt; &lt;folder&gt;</c>: serves until killed.</summary>
    public static int Serve(string[] args)
    {
        var port = int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture);
        using var log = new GroupCommitLog(Path.Combine(args[1], "ceiling.log"), LogBytes);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, port);
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        var small = new byte[4 * 1024];
        var large = new byte[1024 * 1024];
        app.Run(async context =>
        {
            var request = context.Request;
            if (HttpMethods.IsPut(request.Method))
            {
                var length = (int)(request.ContentLength ?? 0);
                var body = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
                try
                {
                    await request.Body.ReadExactlyAsync(body.AsMemory(0, length));
                    var md5 = MD5.HashData(body.AsSpan(0, length));
                    await log.AppendAsync(body.AsMemory(0, length));
                    context.Response.Headers.ETag = "\"" + Convert.ToHexStringLower(md5) + "\"";
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(body);
                }

                return;
            }

            var content = request.Path.StartsWithSegments("/bench/1m", StringComparison.Ordinal) ? large : small;
            context.Response.ContentLength = content.Length;
            await context.Response.Body.WriteAsync(content);
        });
        app.Run();
        return 0;
    }

    /// <summary>
    /// Appends under one lock and makes them durable in groups: the first writer to find no fdatasync running runs one
    /// for everything written so far, and the writers that arrive meanwhile wait for the next.
    /// </summary>
    private sealed class GroupCommitLog : IDisposable
    {
        private readonly Lock _gate = new();
        private readonly string _path;
        private readonly long _capacity;
        private readonly PhysicalFileSystem _files = new();
        private readonly List<IWritableFile> _wrapped = [];
        private IWritableFile _file;
        private long _written;
        private long _synced;
        private TaskCompletionSource? _syncing;

        public GroupCommitLog(string path, long capacity)
        {
            _path = path;
            _capacity = capacity;
            using (var zeroed = _files.Create(path))
            {
                var zeros = new byte[1 << 20];
                while (zeroed.Length < capacity)
                {
                    zeroed.Append(zeros);
                }

                zeroed.Sync();
            }

            _file = _files.Overwrite(path);
        }

        public async ValueTask AppendAsync(ReadOnlyMemory<byte> data)
        {
            long end;
            lock (_gate)
            {
                if (_file.Length + data.Length > _capacity)
                {
                    // Wrapping: what the old handle wrote is synced by the next fdatasync through the new one (the same file's
                    // pages); the old one stays open until the end, as a sync may be running on it.
                    _wrapped.Add(_file);
                    _file = _files.Overwrite(_path);
                }

                _file.Append(data.Span);
                _written += data.Length;
                end = _written;
            }

            while (true)
            {
                TaskCompletionSource syncing;
                IWritableFile? file = null;
                long target = 0;
                lock (_gate)
                {
                    if (_synced >= end)
                    {
                        return;
                    }

                    if (_syncing is null)
                    {
                        _syncing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                        target = _written;
                        file = _file;
                    }

                    syncing = _syncing;
                }

                if (file is null)
                {
                    await syncing.Task;
                    continue;
                }

                file.Sync();
                lock (_gate)
                {
                    _synced = target;
                    _syncing = null;
                }

                syncing.SetResult();
            }
        }

        public void Dispose()
        {
            _file.Dispose();
            _wrapped.ForEach(file => file.Dispose());
        }
    }
}
