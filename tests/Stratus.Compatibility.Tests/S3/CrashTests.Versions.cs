using System.Collections.Concurrent;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Stratus.Compatibility.Tests.S3;

/// <summary>
/// Versions are made and removed in one batch each: after SIGKILL during concurrent versioned PUTs, deletes (markers)
/// and deletes of versions, every acknowledged version reads back byte-identical, every listed version is readable and
/// was written by someone, and each key's current object is its newest live version.
/// </summary>
public sealed partial class CrashTests
{
    [Fact]
    public async Task Kill_9_during_versioned_writes_and_deletes_keeps_every_key_consistent()
    {
        const string bucket = "crash-versions";
        var acknowledged = new ConcurrentDictionary<string, (string Key, byte[] Data)>();
        var removed = new ConcurrentDictionary<string, bool>();
        var attempted = new ConcurrentDictionary<string, ConcurrentBag<byte[]>>();
        for (var cycle = 0; cycle < 3; cycle++)
        {
            using var server = Start();
            using var s3 = Client(await ReadyAsync(server));
            if (cycle == 0)
            {
                await s3.PutBucketAsync(bucket);
                await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
            }

            await VerifyVersionsAsync(s3, bucket, acknowledged, removed, attempted);

            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var key = $"k{i % 3}";
                    try
                    {
                        if (i % 5 == 4)
                        {
                            await s3.DeleteObjectAsync(bucket, key);
                        }
                        else if (i % 7 == 6 && acknowledged.Keys.FirstOrDefault(v => acknowledged[v].Key == key && !removed.ContainsKey(v)) is { } victim)
                        {
                            removed[victim] = true; // from here on it may or may not exist
                            await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = key, VersionId = victim });
                        }
                        else
                        {
                            var data = RandomNumberGenerator.GetBytes(i % 2 == 0 ? 500 : 200_000);
                            attempted.GetOrAdd(key, _ => []).Add(data);
                            var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = new MemoryStream(data) });
                            acknowledged[put.VersionId] = (key, data);
                        }
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
        await VerifyVersionsAsync(client, bucket, acknowledged, removed, attempted);
        Assert.NotEmpty(acknowledged);
        final.Kill(entireProcessTree: true);
        await final.WaitForExitAsync();
    }

    private static async Task VerifyVersionsAsync(
        AmazonS3Client s3,
        string bucket,
        ConcurrentDictionary<string, (string Key, byte[] Data)> acknowledged,
        ConcurrentDictionary<string, bool> removed,
        ConcurrentDictionary<string, ConcurrentBag<byte[]>> attempted)
    {
        foreach (var (versionId, (key, data)) in acknowledged)
        {
            if (!removed.ContainsKey(versionId))
            {
                Assert.Equal(data, await ReadVersionAsync(s3, bucket, key, versionId));
            }
        }

        var versions = (await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket })).Versions ?? [];
        foreach (var group in versions.GroupBy(v => v.Key))
        {
            var latest = group.First();
            Assert.True(latest.IsLatest);
            foreach (var version in group.Where(v => v.IsDeleteMarker != true))
            {
                var data = await ReadVersionAsync(s3, bucket, version.Key, version.VersionId);
                Assert.Contains(attempted[version.Key], written => written.AsSpan().SequenceEqual(data));
            }

            if (latest.IsDeleteMarker == true)
            {
                await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetObjectAsync(bucket, group.Key));
            }
            else
            {
                using var current = await s3.GetObjectAsync(bucket, group.Key);
                Assert.Equal(latest.VersionId, current.VersionId);
            }
        }
    }

    private static async Task<byte[]> ReadVersionAsync(AmazonS3Client s3, string bucket, string key, string versionId)
    {
        using var get = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key, VersionId = versionId });
        using var copy = new MemoryStream();
        await get.ResponseStream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
