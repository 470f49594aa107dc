using System.Text;
using System.Text.Json.Nodes;
using Amazon.S3;
using Amazon.S3.Model;
using Stratus.Storage.Lsm;

namespace Stratus.Compatibility.Tests.S3;

/// <summary>A data directory written before versioning existed: its objects become null versions at start-up.</summary>
public sealed partial class CrashTests
{
    [Fact]
    public async Task Objects_stored_before_versioning_existed_become_null_versions_on_restart()
    {
        const string bucket = "legacy-bucket";
        using (var server = Start())
        {
            using var s3 = Client(await ReadyAsync(server));
            await s3.PutBucketAsync(bucket);
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "old.txt", ContentBody = "from before" });
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }

        // Rewrite the metadata as an older Stratus left it: no stamp, no versions range, not upgraded.
        using (var kv = LsmEngine.Open(Path.Combine(_dataDir, "kv")))
        {
            var recordKey = Encoding.UTF8.GetBytes($"s3/o/{bucket}/old.txt");
            Assert.True(kv.TryGet(recordKey, out var bytes));
            var record = JsonNode.Parse(bytes)!.AsObject();
            record.Remove("Stamp");
            await kv.WriteAsync(new WriteBatch()
                .Put(recordKey, Encoding.UTF8.GetBytes(record.ToJsonString()))
                .DeleteRange(Encoding.UTF8.GetBytes($"s3/v/{bucket}/"), Encoding.UTF8.GetBytes($"s3/v/{bucket}0"))
                .Delete("s3/meta/versions-upgraded"u8));
        }

        using var restarted = Start();
        using var client = Client(await ReadyAsync(restarted));
        var version = Assert.Single((await client.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket })).Versions);
        Assert.Equal(("old.txt", "null", true), (version.Key, version.VersionId, version.IsLatest ?? false));

        await client.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
        var put = await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "old.txt", ContentBody = "after" });
        var versions = (await client.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket })).Versions;
        Assert.Equal([put.VersionId, "null"], versions.Select(v => v.VersionId));
        using var old = await client.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "old.txt", VersionId = "null" });
        Assert.Equal("from before", await new StreamReader(old.ResponseStream).ReadToEndAsync());
        restarted.Kill(entireProcessTree: true);
        await restarted.WaitForExitAsync();
    }
}
