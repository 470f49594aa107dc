using Amazon.S3;
using Amazon.S3.Model;

namespace Stratus.Compatibility.Tests.S3;

public sealed class ListTests : IClassFixture<ServerFixture>
{
    private readonly ServerFixture _server;

    public ListTests(ServerFixture server) => _server = server;

    [Fact]
    public async Task Listing_pages_through_keys_in_binary_order_with_common_prefixes()
    {
        using var s3 = S3ClientFactory.Create(_server);
        var bucket = S3ClientFactory.NewBucketName();
        await s3.PutBucketAsync(bucket);
        string[] keys = ["a.txt", "dir/1", "dir/2", "dir/sub/3", "other/x", "z", "Ä", "B"];
        foreach (var key in keys)
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = key });
        }

        var all = new List<string>();
        string? token = null;
        do
        {
            var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, MaxKeys = 3, ContinuationToken = token });
            Assert.True(page.KeyCount <= 3);
            all.AddRange(page.S3Objects.Select(o => o.Key));
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);

        Assert.Equal(keys.OrderBy(k => k, StringComparer.Ordinal), all);

        var rolled = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Delimiter = "/" });
        Assert.Equal(["B", "a.txt", "z", "Ä"], rolled.S3Objects.Select(o => o.Key));
        Assert.Equal(["dir/", "other/"], rolled.CommonPrefixes);

        var inside = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "dir/", Delimiter = "/" });
        Assert.Equal(["dir/1", "dir/2"], inside.S3Objects.Select(o => o.Key));
        Assert.Equal(["dir/sub/"], inside.CommonPrefixes);

        var after = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, StartAfter = "dir/2" });
        Assert.Equal("dir/sub/3", after.S3Objects[0].Key);

        var v1 = await s3.ListObjectsAsync(new ListObjectsRequest { BucketName = bucket, Prefix = "dir/", MaxKeys = 2 });
        Assert.Equal(["dir/1", "dir/2"], v1.S3Objects.Select(o => o.Key));
        Assert.True(v1.IsTruncated);
    }

    [Fact]
    public async Task A_bad_continuation_token_is_InvalidArgument()
    {
        using var s3 = S3ClientFactory.Create(_server);
        var bucket = S3ClientFactory.NewBucketName();
        await s3.PutBucketAsync(bucket);
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, ContinuationToken = "!!!" }));
        Assert.Equal("InvalidArgument", error.ErrorCode);
    }
}
