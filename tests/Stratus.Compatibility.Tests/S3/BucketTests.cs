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
