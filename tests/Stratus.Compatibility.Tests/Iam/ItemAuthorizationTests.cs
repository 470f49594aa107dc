using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Stratus.Compatibility.Tests.S3;

namespace Stratus.Compatibility.Tests.Iam;

/// <summary>Operations that touch several resources authorize each one: DeleteObjects per key, CopyObject's source.</summary>
public sealed class ItemAuthorizationTests : IClassFixture<ServerFixture>
{
    private readonly ServerFixture _server;

    public ItemAuthorizationTests(ServerFixture server) => _server = server;

    [Fact]
    public async Task DeleteObjects_deletes_the_keys_the_caller_may_delete_and_reports_AccessDenied_for_the_others()
    {
        var bucket = S3ClientFactory.NewBucketName();
        using var root = S3ClientFactory.Create(_server);
        await root.PutBucketAsync(bucket);
        await root.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "tmp/a", ContentBody = "a" });
        await root.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "keep/b", ContentBody = "b" });
        var (_, key, secret) = await IamUsers.CreateAsync(_server, $$"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::{{bucket}}/tmp/*"}]}
            """);

        using var user = S3ClientFactory.Create(_server, key, secret);
        // The SDK raises the per-key errors of a 200 response as an exception that carries the whole result.
        var partial = await Assert.ThrowsAsync<DeleteObjectsException>(() => user.DeleteObjectsAsync(new DeleteObjectsRequest
        {
            BucketName = bucket,
            Objects = [new KeyVersion { Key = "tmp/a" }, new KeyVersion { Key = "keep/b" }],
        }));
        var result = partial.Response;
        Assert.Equal(["tmp/a"], result.DeletedObjects.Select(d => d.Key));
        var error = Assert.Single(result.DeleteErrors);
        Assert.Equal(("keep/b", "AccessDenied"), (error.Key, error.Code));
        Assert.Equal("b", await ReadAsync(root, bucket, "keep/b"));
        await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => root.GetObjectAsync(bucket, "tmp/a"));
    }

    [Fact]
    public async Task CopyObject_needs_GetObject_on_the_source_which_another_accounts_bucket_policy_can_grant()
    {
        var source = S3ClientFactory.NewBucketName();
        var target = S3ClientFactory.NewBucketName();
        using var owner = S3ClientFactory.Create(_server);
        using var second = S3ClientFactory.Create(_server, ServerFixture.SecondAccessKeyId, ServerFixture.SecondSecretAccessKey);
        await owner.PutBucketAsync(source);
        await owner.PutObjectAsync(new PutObjectRequest { BucketName = source, Key = "shared/doc", ContentBody = "shared" });
        await second.PutBucketAsync(target);
        var copy = new CopyObjectRequest { SourceBucket = source, SourceKey = "shared/doc", DestinationBucket = target, DestinationKey = "copy" };

        var denied = await Assert.ThrowsAsync<AmazonS3Exception>(() => second.CopyObjectAsync(copy));
        Assert.Equal((HttpStatusCode.Forbidden, "AccessDenied"), (denied.StatusCode, denied.ErrorCode));

        await owner.PutBucketPolicyAsync(source, $$"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"{{ServerFixture.SecondAccountId}}"},
              "Action":"s3:GetObject","Resource":"arn:aws:s3:::{{source}}/shared/*"}]}
            """);
        await second.CopyObjectAsync(copy);
        Assert.Equal("shared", await ReadAsync(second, target, "copy"));
    }

    private static async Task<string> ReadAsync(AmazonS3Client s3, string bucket, string key)
    {
        using var response = await s3.GetObjectAsync(bucket, key);
        return await new StreamReader(response.ResponseStream).ReadToEndAsync();
    }
}
