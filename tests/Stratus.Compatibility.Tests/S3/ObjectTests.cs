using System.Net;
using System.Security.Cryptography;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;

namespace Stratus.Compatibility.Tests.S3;

public sealed class ObjectTests : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private readonly ServerFixture _server;
    private readonly AmazonS3Client _s3;
    private readonly string _bucket = S3ClientFactory.NewBucketName();

    public ObjectTests(ServerFixture server)
    {
        _server = server;
        _s3 = S3ClientFactory.Create(server);
    }

    public Task InitializeAsync() => _s3.PutBucketAsync(_bucket);

    public Task DisposeAsync()
    {
        _s3.Dispose();
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(100 * 1024)]
    [InlineData(128 * 1024 + 1)]
    [InlineData(3 * 1024 * 1024 + 17)]
    public async Task Put_then_get_returns_the_same_bytes_and_an_md5_etag(int size)
    {
        var data = RandomNumberGenerator.GetBytes(size);
        var put = await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = $"sizes/{size}", InputStream = new MemoryStream(data) });
        Assert.Equal("\"" + Convert.ToHexStringLower(MD5.HashData(data)) + "\"", put.ETag);

        using var get = await _s3.GetObjectAsync(_bucket, $"sizes/{size}");
        using var copy = new MemoryStream();
        await get.ResponseStream.CopyToAsync(copy);
        Assert.Equal(data, copy.ToArray());
        Assert.Equal(put.ETag, get.ETag);
    }

    [Fact]
    public async Task Metadata_and_standard_headers_come_back()
    {
        var request = new PutObjectRequest { BucketName = _bucket, Key = "meta.txt", ContentBody = "hi", ContentType = "text/plain" };
        request.Metadata["Color"] = "blue";
        request.Headers.CacheControl = "max-age=60";
        request.Headers.ContentDisposition = "attachment; filename=\"a.txt\"";
        await _s3.PutObjectAsync(request);

        var head = await _s3.GetObjectMetadataAsync(_bucket, "meta.txt");
        Assert.Equal("text/plain", head.Headers.ContentType);
        Assert.Equal("blue", head.Metadata["color"]);
        Assert.Equal("max-age=60", head.Headers.CacheControl);
        Assert.Equal("attachment; filename=\"a.txt\"", head.Headers.ContentDisposition);
        Assert.Equal(2, head.ContentLength);
    }

    [Fact]
    public async Task Ranges_return_206_with_the_right_bytes_and_an_unsatisfiable_range_is_416()
    {
        var data = Encoding.ASCII.GetBytes("0123456789");
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "range", InputStream = new MemoryStream(data) });
        Assert.Equal("234", await ReadRange("range", new ByteRange(2, 4)));
        Assert.Equal("789", await ReadRange("range", new ByteRange("bytes=-3")));
        Assert.Equal("89", await ReadRange("range", new ByteRange("bytes=8-")));
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => ReadRange("range", new ByteRange(20, 30)));
        Assert.Equal(("InvalidRange", HttpStatusCode.RequestedRangeNotSatisfiable), (error.ErrorCode, error.StatusCode));
    }

    [Fact]
    public async Task Conditional_gets_answer_304_and_412()
    {
        var put = await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "cond", ContentBody = "x" });
        var notModified = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.GetObjectAsync(new GetObjectRequest { BucketName = _bucket, Key = "cond", EtagToNotMatch = put.ETag }));
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        var failed = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.GetObjectAsync(new GetObjectRequest { BucketName = _bucket, Key = "cond", EtagToMatch = "\"nope\"" }));
        Assert.Equal(HttpStatusCode.PreconditionFailed, failed.StatusCode);
        using var ok = await _s3.GetObjectAsync(new GetObjectRequest { BucketName = _bucket, Key = "cond", EtagToMatch = put.ETag });
        Assert.Equal(HttpStatusCode.OK, ok.HttpStatusCode);
    }

    [Fact]
    public async Task If_none_match_star_refuses_to_overwrite()
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "once", ContentBody = "first", IfNoneMatch = "*" });
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "once", ContentBody = "second", IfNoneMatch = "*" }));
        Assert.Equal(HttpStatusCode.PreconditionFailed, error.StatusCode);
        using var get = await _s3.GetObjectAsync(_bucket, "once");
        Assert.Equal("first", await new StreamReader(get.ResponseStream).ReadToEndAsync());
    }

    [Fact]
    public async Task A_wrong_content_md5_is_BadDigest_and_stores_nothing()
    {
        var request = new PutObjectRequest { BucketName = _bucket, Key = "md5", ContentBody = "payload", MD5Digest = Convert.ToBase64String(MD5.HashData("other"u8)) };
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.PutObjectAsync(request));
        Assert.Equal("BadDigest", error.ErrorCode);
        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.GetObjectMetadataAsync(_bucket, "md5"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task A_missing_key_is_NoSuchKey_and_deleting_it_is_fine()
    {
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.GetObjectAsync(_bucket, "nothing/here"));
        Assert.Equal(("NoSuchKey", HttpStatusCode.NotFound), (error.ErrorCode, error.StatusCode));
        var delete = await _s3.DeleteObjectAsync(_bucket, "nothing/here");
        Assert.Equal(HttpStatusCode.NoContent, delete.HttpStatusCode);
    }

    [Fact]
    public async Task Concurrent_unconditional_puts_of_one_key_all_succeed_and_one_of_them_wins()
    {
        var bodies = Enumerable.Range(0, 24).Select(i => $"writer {i}").ToArray();
        var puts = await Task.WhenAll(bodies.Select(body => _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "contended", ContentBody = body })));

        Assert.All(puts, put => Assert.Equal(HttpStatusCode.OK, put.HttpStatusCode));
        using var get = await _s3.GetObjectAsync(_bucket, "contended");
        Assert.Contains(await new StreamReader(get.ResponseStream).ReadToEndAsync(), bodies);
    }

    [Fact]
    public async Task Overwrite_then_delete_leaves_nothing_behind()
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "ow", InputStream = new MemoryStream(new byte[300_000]) });
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "ow", ContentBody = "small now" });
        using (var get = await _s3.GetObjectAsync(_bucket, "ow"))
        {
            Assert.Equal("small now", await new StreamReader(get.ResponseStream).ReadToEndAsync());
        }

        await _s3.DeleteObjectAsync(_bucket, "ow");
        await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.GetObjectMetadataAsync(_bucket, "ow"));
    }

    [Fact]
    public async Task Keys_with_any_utf8_round_trip_and_stay_inside_the_bucket()
    {
        string[] keys = ["../../etc/passwd", "a//b///c", "100% real/ü€😀", "sp ace+plus", "./.", "%2F%2E%2E"];
        foreach (var key in keys)
        {
            await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "odd/" + key, ContentBody = key });
        }

        foreach (var key in keys)
        {
            using var get = await _s3.GetObjectAsync(_bucket, "odd/" + key);
            Assert.Equal(key, await new StreamReader(get.ResponseStream).ReadToEndAsync());
        }

        var listed = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket, Prefix = "odd/" });
        Assert.Equal(keys.Select(k => "odd/" + k).Order(StringComparer.Ordinal), listed.S3Objects.Select(o => o.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_presigned_get_works_with_a_plain_http_client()
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "shared.txt", ContentBody = "presigned!" });
        var url = await _s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest { BucketName = _bucket, Key = "shared.txt", Expires = DateTime.UtcNow.AddMinutes(5), Protocol = Amazon.S3.Protocol.HTTP });
        using var http = new HttpClient();
        Assert.Equal("presigned!", await http.GetStringAsync(new Uri(url)));
        using var tampered = await http.GetAsync(new Uri(url.Replace("shared.txt", "shared.txu", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Forbidden, tampered.StatusCode);
    }

    [Fact]
    public async Task Delete_objects_removes_many_keys_in_one_request()
    {
        for (var i = 0; i < 5; i++)
        {
            await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = $"many/{i}", ContentBody = "x" });
        }

        var result = await _s3.DeleteObjectsAsync(new DeleteObjectsRequest
        {
            BucketName = _bucket,
            Objects = [.. Enumerable.Range(0, 5).Select(i => new KeyVersion { Key = $"many/{i}" }), new KeyVersion { Key = "many/absent" }],
        });
        Assert.Equal(6, result.DeletedObjects.Count);
        var left = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket, Prefix = "many/" });
        Assert.Empty(left.S3Objects ?? []);
    }

    [Fact]
    public async Task Copy_keeps_or_replaces_metadata_across_buckets()
    {
        var other = S3ClientFactory.NewBucketName();
        await _s3.PutBucketAsync(other);
        var put = new PutObjectRequest { BucketName = _bucket, Key = "src", ContentBody = "copy me", ContentType = "text/x-src" };
        put.Metadata["origin"] = "first";
        await _s3.PutObjectAsync(put);

        var kept = await _s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = _bucket, SourceKey = "src", DestinationBucket = other, DestinationKey = "dst" });
        var keptHead = await _s3.GetObjectMetadataAsync(other, "dst");
        Assert.Equal("first", keptHead.Metadata["origin"]);
        Assert.Equal("text/x-src", keptHead.Headers.ContentType);
        Assert.Equal(kept.ETag, keptHead.ETag);

        var replace = new CopyObjectRequest { SourceBucket = _bucket, SourceKey = "src", DestinationBucket = other, DestinationKey = "dst2", MetadataDirective = S3MetadataDirective.REPLACE, ContentType = "text/plain" };
        replace.Metadata["origin"] = "second";
        await _s3.CopyObjectAsync(replace);
        var replacedHead = await _s3.GetObjectMetadataAsync(other, "dst2");
        Assert.Equal("second", replacedHead.Metadata["origin"]);
        using var get = await _s3.GetObjectAsync(other, "dst2");
        Assert.Equal("copy me", await new StreamReader(get.ResponseStream).ReadToEndAsync());

        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = _bucket, SourceKey = "nope", DestinationBucket = other, DestinationKey = "x" }));
        Assert.Equal("NoSuchKey", missing.ErrorCode);
    }

    private async Task<string> ReadRange(string key, ByteRange range)
    {
        using var get = await _s3.GetObjectAsync(new GetObjectRequest { BucketName = _bucket, Key = key, ByteRange = range });
        Assert.Equal(HttpStatusCode.PartialContent, get.HttpStatusCode);
        return await new StreamReader(get.ResponseStream).ReadToEndAsync();
    }
}
