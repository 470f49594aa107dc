using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Stratus.Compatibility.Tests.S3;

/// <summary>
/// Acknowledged means durable: a real server process is killed with SIGKILL while clients PUT (single and multipart),
/// restarted on the same data directory, and every acknowledged object must read back byte-identical; anything else
/// visible must be a whole object whose PUT was in flight, never a torn one.
/// </summary>
public sealed partial class CrashTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "stratus-crash-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Kill_9_during_concurrent_puts_loses_no_acknowledged_object()
    {
        const string bucket = "crash-bucket";
        var acknowledged = new System.Collections.Concurrent.ConcurrentDictionary<string, byte[]>();
        var attempted = new System.Collections.Concurrent.ConcurrentDictionary<string, byte[]>();
        for (var cycle = 0; cycle < 3; cycle++)
        {
            using var server = Start();
            var endpoint = await ReadyAsync(server);
            using var s3 = Client(endpoint);
            if (cycle == 0)
            {
                await s3.PutBucketAsync(bucket);
            }

            await VerifyAsync(s3, bucket, acknowledged, attempted);

            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var key = $"c{cycle}/w{w}/{i}";
                    var size = (i % 3) switch { 0 => 1000, 1 => 300_000, _ => 2_000_000 };
                    var data = RandomNumberGenerator.GetBytes(size);
                    attempted[key] = data;
                    try
                    {
                        if (i % 7 == 6)
                        {
                            await MultipartAsync(s3, bucket, key, data);
                        }
                        else
                        {
                            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = new MemoryStream(data) });
                        }

                        acknowledged[key] = data;
                    }
                    catch (Exception) when (stop.IsCancellationRequested || server.HasExited)
                    {
                        return;
                    }
                    catch (AmazonServiceException)
                    {
                        return;
                    }
                    catch (HttpRequestException)
                    {
                        return;
                    }
                }
            })).ToArray();

            await KillMidWriteAsync(server, stop, writers);
        }

        using var final = Start();
        using var client = Client(await ReadyAsync(final));
        await VerifyAsync(client, bucket, acknowledged, attempted);
        Assert.NotEmpty(acknowledged);
        final.Kill(entireProcessTree: true);
        await final.WaitForExitAsync();
    }

    public void Dispose()
    {
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    private static async Task VerifyAsync(AmazonS3Client s3, string bucket, System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> acknowledged, System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> attempted)
    {
        foreach (var (key, data) in acknowledged)
        {
            Assert.Equal(data, await ReadAsync(s3, bucket, key));
        }

        string? token = null;
        do
        {
            var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, ContinuationToken = token });
            foreach (var item in page.S3Objects ?? [])
            {
                Assert.True(attempted.TryGetValue(item.Key, out var expected), $"{item.Key} was never written");
                Assert.Equal(expected, await ReadAsync(s3, bucket, item.Key));
            }

            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
    }

    private static async Task<byte[]> ReadAsync(AmazonS3Client s3, string bucket, string key)
    {
        using var get = await s3.GetObjectAsync(bucket, key);
        using var copy = new MemoryStream();
        await get.ResponseStream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private static async Task MultipartAsync(AmazonS3Client s3, string bucket, string key, byte[] data)
    {
        var upload = await s3.InitiateMultipartUploadAsync(bucket, key);
        var part = await s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = key, UploadId = upload.UploadId, PartNumber = 1, InputStream = new MemoryStream(data) });
        await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = upload.UploadId, PartETags = [new PartETag(1, part.ETag)] });
    }

    private static AmazonS3Client Client(Uri endpoint) =>
        new(new BasicAWSCredentials("test", "test"), new AmazonS3Config { ServiceURL = endpoint.ToString().TrimEnd('/'), ForcePathStyle = true, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    private Process Start()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "stratus.dll");
        return Process.Start(new ProcessStartInfo("dotnet", ["exec", dll, "serve", "--port", "0", "--data-dir", _dataDir])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
    }

    private static async Task<Uri> ReadyAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            var match = ReadyLine().Match(line);
            if (match.Success)
            {
                _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                _ = process.StandardError.ReadToEndAsync(CancellationToken.None);
                return new Uri(match.Groups[1].Value);
            }
        }

        throw new InvalidOperationException("The server exited before it was ready: " + await process.StandardError.ReadToEndAsync());
    }

    [GeneratedRegex(@"ready on (http://\S+?)/? ")]
    private static partial Regex ReadyLine();

    /// <summary>Lets the writers run for a random moment, SIGKILLs the server under them, then stops and awaits them.</summary>
    private static async Task KillMidWriteAsync(Process server, CancellationTokenSource stop, Task[] writers)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(400 + Random.Shared.Next(800)));
        server.Kill(entireProcessTree: true); // SIGKILL
        await server.WaitForExitAsync();
        await stop.CancelAsync();
        await Task.WhenAll(writers);
    }
}
