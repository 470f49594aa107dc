using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Stratus.Compatibility.Tests.S3;

/// <summary>Default bucket encryption, stored and echoed, and the encryption headers of objects.</summary>
public sealed class BucketEncryptionTests : IClassFixture<ServerFixture>
{
    private readonly ServerFixture _server;

    public BucketEncryptionTests(ServerFixture server) => _server = server;

    private static Task<PutBucketEncryptionResponse> PutDefault(AmazonS3Client s3, string bucket, string algorithm, string? key = null, bool bucketKey = false) =>
        s3.PutBucketEncryptionAsync(new PutBucketEncryptionRequest
        {
            BucketName = bucket,
            ServerSideEncryptionConfiguration = new ServerSideEncryptionConfiguration
            {
                ServerSideEncryptionRules =
                [
                    new ServerSideEncryptionRule
                    {
                        ServerSideEncryptionByDefault = new ServerSideEncryptionByDefault { ServerSideEncryptionAlgorithm = new ServerSideEncryptionMethod(algorithm), ServerSideEncryptionKeyManagementServiceKeyId = key },
                        BucketKeyEnabled = bucketKey,
                    },
                ],
            },
        });

    [Fact]
    public async Task The_default_is_SSE_S3_until_configured_and_again_after_delete()
    {
        using var s3 = S3ClientFactory.Create(_server);
        var bucket = S3ClientFactory.NewBucketName();
        await s3.PutBucketAsync(bucket);
        var rule = (await s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = bucket })).ServerSideEncryptionConfiguration.ServerSideEncryptionRules[0];
        Assert.Equal(ServerSideEncryptionMethod.AES256, rule.ServerSideEncryptionByDefault.ServerSideEncryptionAlgorithm);

        await PutDefault(s3, bucket, "aws:kms", "my-key-id", bucketKey: true);
        rule = (await s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = bucket })).ServerSideEncryptionConfiguration.ServerSideEncryptionRules[0];
        Assert.Equal(ServerSideEncryptionMethod.AWSKMS, rule.ServerSideEncryptionByDefault.ServerSideEncryptionAlgorithm);
        Assert.Equal("my-key-id", rule.ServerSideEncryptionByDefault.ServerSideEncryptionKeyManagementServiceKeyId);
        Assert.True(rule.BucketKeyEnabled);

        await s3.DeleteBucketEncryptionAsync(new DeleteBucketEncryptionRequest { BucketName = bucket });
        rule = (await s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = bucket })).ServerSideEncryptionConfiguration.ServerSideEncryptionRules[0];
        Assert.Equal(ServerSideEncryptionMethod.AES256, rule.ServerSideEncryptionByDefault.ServerSideEncryptionAlgorithm);
    }

    [Fact]
    public async Task Objects_echo_the_encryption_they_were_stored_with()
    {
        using var s3 = S3ClientFactory.Create(_server);
        var bucket = S3ClientFactory.NewBucketName();
        await s3.PutBucketAsync(bucket);
        var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "plain", ContentBody = "x" });
        Assert.Equal(ServerSideEncryptionMethod.AES256, put.ServerSideEncryptionMethod);
        Assert.Equal(ServerSideEncryptionMethod.AES256, (await s3.GetObjectMetadataAsync(bucket, "plain")).ServerSideEncryptionMethod);

        await PutDefault(s3, bucket, "aws:kms", "arn:aws:kms:us-east-1:000000000000:key/1234", bucketKey: true);
        var kms = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "kms", ContentBody = "x" });
        Assert.Equal(ServerSideEncryptionMethod.AWSKMS, kms.ServerSideEncryptionMethod);
        Assert.Equal("arn:aws:kms:us-east-1:000000000000:key/1234", kms.ServerSideEncryptionKeyManagementServiceKeyId);
        Assert.True(kms.BucketKeyEnabled);
        using (var get = await s3.GetObjectAsync(bucket, "kms"))
        {
            Assert.Equal(ServerSideEncryptionMethod.AWSKMS, get.ServerSideEncryptionMethod);
            Assert.Equal("arn:aws:kms:us-east-1:000000000000:key/1234", get.ServerSideEncryptionKeyManagementServiceKeyId);
        }

        // The object keeps what it was stored with; a request header beats the bucket default.
        Assert.Equal(ServerSideEncryptionMethod.AES256, (await s3.GetObjectMetadataAsync(bucket, "plain")).ServerSideEncryptionMethod);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "sse-s3", ContentBody = "x", ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256 });
        Assert.Equal(ServerSideEncryptionMethod.AES256, (await s3.GetObjectMetadataAsync(bucket, "sse-s3")).ServerSideEncryptionMethod);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "own-key", ContentBody = "x", ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS, ServerSideEncryptionKeyManagementServiceKeyId = "other" });
        Assert.Equal("arn:aws:kms:us-east-1:000000000000:key/other", (await s3.GetObjectMetadataAsync(bucket, "own-key")).ServerSideEncryptionKeyManagementServiceKeyId);
    }

    [Fact]
    public async Task Bad_encryption_settings_are_refused()
    {
        using var s3 = S3ClientFactory.Create(_server);
        var bucket = S3ClientFactory.NewBucketName();
        await s3.PutBucketAsync(bucket);
        Assert.Equal("MalformedXML", (await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => PutDefault(s3, bucket, "ROT13"))).ErrorCode);
        Assert.Equal("InvalidArgument", (await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => PutDefault(s3, bucket, "AES256", "some-key"))).ErrorCode);
        var header = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "x", ServerSideEncryptionMethod = new ServerSideEncryptionMethod("DES") }));
        Assert.Equal("InvalidArgument", header.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, header.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetObjectMetadataAsync(bucket, "k"))).StatusCode);
    }
}
