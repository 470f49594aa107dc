using System.Text;
using System.Text.Json.Nodes;
using Amazon.S3;
using Amazon.S3.Model;
using Stratus.Storage.Lsm;
using Stratus.Storage.Objects;

namespace Stratus.Compatibility.Tests.S3;

/// <summary>A data directory written before versioning existed: its objects become null versions at start-up.</summary>
public sealed partial class CrashTests
{
    [Fact]
    public async Task Objects_stored_before_versioning_existed_become_null_versions_on_restart()
    {
        const string bucket = "legacy-bucket";
        await StoreOneObjectAsync(bucket, "old.txt", "from before");

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

    [Fact]
    public async Task Small_objects_whose_records_hold_their_bytes_still_read_and_free_their_bytes_when_replaced()
    {
        const string bucket = "inline-bucket";
        await StoreOneObjectAsync(bucket, "small.txt", "bytes in the record");

        // Before 2026-11-29 a small object's records carried its whole manifest, bytes and all; put that back in both.
        byte[] referenceKey;
        using (var kv = LsmEngine.Open(Path.Combine(_dataDir, "kv")))
        {
            var recordKey = Encoding.UTF8.GetBytes($"s3/o/{bucket}/small.txt");
            Assert.True(kv.TryGet(recordKey, out var bytes));
            var record = JsonNode.Parse(bytes)!.AsObject();
            var part = record["Parts"]![0]!.AsObject();
            Assert.True(ObjectManifest.TryParse(Convert.FromBase64String(part["Manifest"]!.GetValue<string>()), out var detached));
            Assert.True(detached!.IsDetached);
            referenceKey = Encoding.UTF8.GetBytes("s3/r/" + detached.ObjectId);
            Assert.True(kv.TryGet(referenceKey, out var whole));
            part["Manifest"] = Convert.ToBase64String(whole);
            var legacy = Encoding.UTF8.GetBytes(record.ToJsonString());
            var versionKey = Encoding.UTF8.GetBytes($"s3/v/{bucket}/small.txt").Concat(new byte[] { 0, 0 }).Concat(Encoding.ASCII.GetBytes(record["Stamp"]!.GetValue<string>())).ToArray();
            Assert.True(kv.ContainsKey(versionKey));
            await kv.WriteAsync(new WriteBatch().Put(recordKey, legacy).Put(versionKey, legacy));
        }

        using (var restarted = Start())
        {
            using var client = Client(await ReadyAsync(restarted));
            using (var get = await client.GetObjectAsync(bucket, "small.txt"))
            {
                Assert.Equal("bytes in the record", await new StreamReader(get.ResponseStream).ReadToEndAsync());
            }

            await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "small.txt", ContentBody = "replaced" });
            using (var get = await client.GetObjectAsync(bucket, "small.txt"))
            {
                Assert.Equal("replaced", await new StreamReader(get.ResponseStream).ReadToEndAsync());
            }

            restarted.Kill(entireProcessTree: true);
            await restarted.WaitForExitAsync();
        }

        using (var kv = LsmEngine.Open(Path.Combine(_dataDir, "kv")))
        {
            Assert.False(kv.ContainsKey(referenceKey)); // the replaced version's bytes went with it
        }
    }

    // A server that stores one object in a new bucket and is then killed, leaving the data directory to rewrite.
    private async Task StoreOneObjectAsync(string bucket, string key, string body)
    {
        using var server = Start();
        using (var s3 = Client(await ReadyAsync(server)))
        {
            await s3.PutBucketAsync(bucket);
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = body });
        }

        server.Kill(entireProcessTree: true);
        await server.WaitForExitAsync();
    }
}
