using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Time.Testing;
using Stratus.S3;

namespace Stratus.Compatibility.Tests.S3;

/// <summary>
/// Archived storage classes (GLACIER, DEEP_ARCHIVE): unreadable until RestoreObject, then readable until the restored
/// copy expires on the server clock, as in S3.
/// </summary>
public sealed class RestoreObjectTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly ServerFixture _server;
    private AmazonS3Client _s3 = null!;
    private readonly string _bucket = S3ClientFactory.NewBucketName();

    public RestoreObjectTests()
    {
        _server = new ServerFixture { Time = _clock };
    }

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        _s3 = S3ClientFactory.Create(_server);
        await _s3.PutBucketAsync(_bucket);
    }

    public async Task DisposeAsync()
    {
        _s3.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task An_archived_object_is_read_only_while_a_restored_copy_lasts()
    {
        await Put("cold", S3StorageClass.Glacier);

        var refused = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.GetObjectAsync(_bucket, "cold"));
        Assert.Equal((HttpStatusCode.Forbidden, "InvalidObjectState"), (refused.StatusCode, refused.ErrorCode));
        var head = await _s3.GetObjectMetadataAsync(_bucket, "cold");
        Assert.Equal(S3StorageClass.Glacier, head.StorageClass);
        Assert.Null(head.RestoreExpiration);

        var restore = await _s3.RestoreObjectAsync(new RestoreObjectRequest { BucketName = _bucket, Key = "cold", Days = 2, Tier = GlacierJobTier.Bulk });
        Assert.Equal(HttpStatusCode.Accepted, restore.HttpStatusCode);

        head = await _s3.GetObjectMetadataAsync(_bucket, "cold");
        Assert.False(head.RestoreInProgress);
        Assert.Equal(S3Service.DueAt(_clock.GetUtcNow(), 2).UtcDateTime, head.RestoreExpiration?.ToUniversalTime());
        using (var get = await _s3.GetObjectAsync(_bucket, "cold"))
        {
            Assert.Equal("archived", await new StreamReader(get.ResponseStream).ReadToEndAsync());
        }

        // A copy is STANDARD unless it asks otherwise, so the restored bytes can be kept readable for good.
        await _s3.CopyObjectAsync(_bucket, "cold", _bucket, "warm");
        Assert.Equal("archived", await Read("warm"));
        var warm = await _s3.GetObjectMetadataAsync(_bucket, "warm");
        Assert.True(warm.StorageClass is null || warm.StorageClass == S3StorageClass.Standard, $"the copy is {warm.StorageClass}"); // HEAD names no class for STANDARD

        // Restoring again extends the copy and answers 200.
        var again = await _s3.RestoreObjectAsync(new RestoreObjectRequest { BucketName = _bucket, Key = "cold", Days = 1 });
        Assert.Equal(HttpStatusCode.OK, again.HttpStatusCode);

        // Days later (requests now signed on the server's clock, which the SDK does not follow), the copy is gone.
        _clock.Advance(TimeSpan.FromDays(3));
        using (var expired = await Http.SendAsync(SignedHttp.Build(_server, "GET", $"/{_bucket}/cold", "s3", [], null, clock: _clock)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
            Assert.Contains("<Code>InvalidObjectState</Code>", await expired.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var headAfter = await Http.SendAsync(SignedHttp.Build(_server, "HEAD", $"/{_bucket}/cold", "s3", [], null, clock: _clock));
        Assert.Equal(HttpStatusCode.OK, headAfter.StatusCode);
        Assert.False(headAfter.Headers.Contains("x-amz-restore"));
    }

    [Fact]
    public async Task Deep_archive_needs_a_restore_and_glacier_instant_retrieval_does_not()
    {
        await Put("deep", S3StorageClass.DeepArchive);
        await Put("instant", S3StorageClass.GlacierInstantRetrieval);

        Assert.Equal("InvalidObjectState", (await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.GetObjectAsync(_bucket, "deep"))).ErrorCode);
        Assert.Equal("archived", await Read("instant"));

        var copy = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.CopyObjectAsync(_bucket, "deep", _bucket, "copy"));
        Assert.Equal((HttpStatusCode.Forbidden, "InvalidObjectState"), (copy.StatusCode, copy.ErrorCode));
    }

    [Fact]
    public async Task Restore_refuses_objects_that_are_not_archived_and_bad_requests()
    {
        await Put("hot", S3StorageClass.Standard);
        await Put("cold", S3StorageClass.Glacier);

        var notArchived = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.RestoreObjectAsync(new RestoreObjectRequest { BucketName = _bucket, Key = "hot", Days = 1 }));
        Assert.Equal((HttpStatusCode.Forbidden, "InvalidObjectState"), (notArchived.StatusCode, notArchived.ErrorCode));

        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.RestoreObjectAsync(new RestoreObjectRequest { BucketName = _bucket, Key = "nothing", Days = 1 }));
        Assert.Equal("NoSuchKey", missing.ErrorCode);

        var noDays = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.RestoreObjectAsync(new RestoreObjectRequest { BucketName = _bucket, Key = "cold" }));
        Assert.Equal("MalformedXML", noDays.ErrorCode);
    }

    private Task<PutObjectResponse> Put(string key, S3StorageClass storageClass) =>
        _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = key, ContentBody = "archived", StorageClass = storageClass });

    private async Task<string> Read(string key)
    {
        using var get = await _s3.GetObjectAsync(_bucket, key);
        return await new StreamReader(get.ResponseStream).ReadToEndAsync();
    }
}
