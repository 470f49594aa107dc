using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Stratus.Compatibility.Tests.S3;

public sealed class BucketTests : IClassFixture<ServerFixture>
{
    private readonly ServerFixture _server;

    public BucketTests(ServerFixture server) => _server = server;

    [Fact]
    public async Task A_created_bucket_is_listed_headed_located_and_deleted()
    {
        using var s3 = S3ClientFactory.Create(_server);
        var name = S3ClientFactory.NewBucketName();
        await s3.PutBucketAsync(name);

        var list = await s3.ListBucketsAsync();
        Assert.Contains(list.Buckets, b => b.BucketName == name);
        var head = await s3.HeadBucketAsync(new HeadBucketRequest { BucketName = name });
        Assert.Equal(HttpStatusCode.OK, head.HttpStatusCode);
        var location = await s3.GetBucketLocationAsync(name);
        Assert.True(string.IsNullOrEmpty(location.Location?.Value) || location.Location.Value == "us-east-1");

        await s3.DeleteBucketAsync(name);
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.HeadBucketAsync(new HeadBucketRequest { BucketName = name }));
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task Creating_your_own_bucket_again_is_BucketAlreadyOwnedByYou_and_anothers_is_BucketAlreadyExists()
    {
        using var s3 = S3ClientFactory.Create(_server);
        using var other = S3ClientFactory.Create(_server, ServerFixture.SecondAccessKeyId, ServerFixture.SecondSecretAccessKey);
        var name = S3ClientFactory.NewBucketName();
        await s3.PutBucketAsync(name);
        Assert.Equal("BucketAlreadyOwnedByYou", (await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutBucketAsync(name))).ErrorCode);
        Assert.Equal("BucketAlreadyExists", (await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => other.PutBucketAsync(name))).ErrorCode);
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("Upper-Case")]
    [InlineData("under_score")]
    [InlineData("192.168.5.4")]
    [InlineData("two..dots")]
    [InlineData("-leading-hyphen")]
    public async Task Bad_bucket_names_are_InvalidBucketName(string name)
    {
        using var s3 = S3ClientFactory.Create(_server);
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutBucketAsync(name));
        Assert.Equal("InvalidBucketName", error.ErrorCode);
    }

    [Fact]
    public async Task A_bucket_with_objects_is_not_deleted()
    {
        using var s3 = S3ClientFactory.Create(_server);
        var name = S3ClientFactory.NewBucketName();
        await s3.PutBucketAsync(name);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = name, Key = "k", ContentBody = "x" });
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.DeleteBucketAsync(name));
        Assert.Equal(("BucketNotEmpty", HttpStatusCode.Conflict), (error.ErrorCode, error.StatusCode));
    }

    [Fact]
    public async Task Deleting_a_bucket_takes_its_multipart_uploads_with_it_as_S3_does()
    {
        using var s3 = S3ClientFactory.Create(_server);
        var name = S3ClientFactory.NewBucketName();
        await s3.PutBucketAsync(name);
        var upload = await s3.InitiateMultipartUploadAsync(name, "big");
        await s3.UploadPartAsync(new UploadPartRequest { BucketName = name, Key = "big", UploadId = upload.UploadId, PartNumber = 1, InputStream = new MemoryStream(new byte[1024]) });

        await s3.DeleteBucketAsync(name);
        await s3.PutBucketAsync(name);
        Assert.Empty((await s3.ListMultipartUploadsAsync(name)).MultipartUploads ?? []);
        var part = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.UploadPartAsync(new UploadPartRequest { BucketName = name, Key = "big", UploadId = upload.UploadId, PartNumber = 2, InputStream = new MemoryStream(new byte[8]) }));
        Assert.Equal(("NoSuchUpload", HttpStatusCode.NotFound), (part.ErrorCode, part.StatusCode));
    }

    [Fact]
    public async Task A_put_whose_body_is_still_arriving_when_its_bucket_is_deleted_fails_and_leaves_nothing_behind()
    {
        using var s3 = S3ClientFactory.Create(_server);
        var name = S3ClientFactory.NewBucketName();
        await s3.PutBucketAsync(name);

        // The PUT has passed its bucket check and is storing its body when DeleteBucket runs; the bucket is empty then,
        // so the deletion succeeds, and the PUT must then fail rather than commit an object into a deleted bucket.
        var body = new byte[2 * 1024 * 1024];
        var paused = new PausedContent(body, pauseAt: body.Length / 2);
        using var http = new HttpClient();
        using var request = SignedHttp.Build(_server, "PUT", $"/{name}/late", "s3", body, null);
        request.Content = paused;
        var put = http.SendAsync(request);
        await paused.Paused.Task;
        await Task.Delay(100);
        await s3.DeleteBucketAsync(name);
        paused.Resume.SetResult();

        using var response = await put;
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("<Code>NoSuchBucket</Code>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await s3.PutBucketAsync(name);
        Assert.Empty((await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = name })).S3Objects ?? []);
    }

    // A body that sends its first bytes, then waits to be told to send the rest.
    private sealed class PausedContent(byte[] body, int pauseAt) : HttpContent
    {
        public TaskCompletionSource Paused { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Resume { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(body.AsMemory(0, pauseAt));
            await stream.FlushAsync();
            Paused.SetResult();
            await Resume.Task;
            await stream.WriteAsync(body.AsMemory(pauseAt));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = body.Length;
            return true;
        }
    }

    [Fact]
    public async Task Another_accounts_bucket_is_not_listed_and_not_readable()
    {
        using var s3 = S3ClientFactory.Create(_server);
        using var other = S3ClientFactory.Create(_server, ServerFixture.SecondAccessKeyId, ServerFixture.SecondSecretAccessKey);
        var name = S3ClientFactory.NewBucketName();
        await s3.PutBucketAsync(name);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = name, Key = "secret", ContentBody = "x" });
        Assert.DoesNotContain((await other.ListBucketsAsync()).Buckets ?? [], b => b.BucketName == name);
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => other.GetObjectAsync(name, "secret"));
        Assert.Equal(("AccessDenied", HttpStatusCode.Forbidden), (error.ErrorCode, error.StatusCode));
    }

    [Fact]
    public async Task A_fresh_bucket_answers_the_settings_reads_as_aws_does_for_one()
    {
        using var s3 = S3ClientFactory.Create(_server);
        var name = S3ClientFactory.NewBucketName();
        await s3.PutBucketAsync(name);

        var acl = await s3.GetBucketAclAsync(new GetBucketAclRequest { BucketName = name });
        Assert.Equal("000000000000", acl.Owner.Id);
        Assert.Equal(S3Permission.FULL_CONTROL, Assert.Single(acl.Grants).Permission);
        var versioning = await s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = name });
        Assert.Equal(VersionStatus.Off, versioning.VersioningConfig.Status);
        var encryption = await s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = name });
        Assert.Equal(ServerSideEncryptionMethod.AES256, encryption.ServerSideEncryptionConfiguration.ServerSideEncryptionRules[0].ServerSideEncryptionByDefault.ServerSideEncryptionAlgorithm);

        using var http = new HttpClient();
        foreach (var (query, code) in new[] { ("cors", "NoSuchCORSConfiguration"), ("lifecycle", "NoSuchLifecycleConfiguration"), ("tagging", "NoSuchTagSet"), ("website", "NoSuchWebsiteConfiguration") })
        {
            using var response = await http.SendAsync(SignedHttp.Build(_server, "GET", $"/{name}?{query}", "s3", [], null));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains($"<Code>{code}</Code>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Bucket_tags_are_stored_returned_replaced_validated_and_deleted()
    {
        using var s3 = S3ClientFactory.Create(_server);
        var name = S3ClientFactory.NewBucketName();
        await s3.PutBucketAsync(name);
        await s3.PutBucketTaggingAsync(new PutBucketTaggingRequest { BucketName = name, TagSet = [new Tag { Key = "team", Value = "storage" }, new Tag { Key = "env", Value = "dev" }] });
        var tags = await s3.GetBucketTaggingAsync(new GetBucketTaggingRequest { BucketName = name });
        Assert.Equal(["env=dev", "team=storage"], tags.TagSet.Select(t => $"{t.Key}={t.Value}").Order(StringComparer.Ordinal));

        var duplicate = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutBucketTaggingAsync(new PutBucketTaggingRequest { BucketName = name, TagSet = [new Tag { Key = "a", Value = "1" }, new Tag { Key = "a", Value = "2" }] }));
        Assert.Equal("InvalidTag", duplicate.ErrorCode);
        var system = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutBucketTaggingAsync(new PutBucketTaggingRequest { BucketName = name, TagSet = [new Tag { Key = "aws:owner", Value = "x" }] }));
        Assert.Equal("InvalidTag", system.ErrorCode);

        await s3.DeleteBucketTaggingAsync(new DeleteBucketTaggingRequest { BucketName = name });
        using var http = new HttpClient();
        using var response = await http.SendAsync(SignedHttp.Build(_server, "GET", $"/{name}?tagging", "s3", [], null));
        Assert.Contains("<Code>NoSuchTagSet</Code>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_bucket_is_NoSuchBucket()
    {
        using var s3 = S3ClientFactory.Create(_server);
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "no-such-bucket-here" }));
        Assert.Equal(("NoSuchBucket", HttpStatusCode.NotFound), (error.ErrorCode, error.StatusCode));
    }
}
