using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Stratus.Compatibility.Tests.S3;

/// <summary>Bucket policies are stored, validated and enforced by the policy engine on every request.</summary>
public sealed class BucketPolicyTests : IClassFixture<ServerFixture>
{
    private static readonly HttpClient Http = new();
    private readonly ServerFixture _server;

    public BucketPolicyTests(ServerFixture server) => _server = server;

    [Fact]
    public async Task A_public_read_policy_lets_anonymous_callers_get_objects_and_nothing_else()
    {
        using var s3 = S3ClientFactory.Create(_server);
        var bucket = S3ClientFactory.NewBucketName();
        await s3.PutBucketAsync(bucket);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "public/index.html", ContentBody = "<h1>hello</h1>" });
        var url = new Uri(_server.Endpoint, $"/{bucket}/public/index.html");

        using (var before = await Http.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.Forbidden, before.StatusCode);
            Assert.Contains("<Code>AccessDenied</Code>", await before.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await s3.PutBucketPolicyAsync(bucket, $$"""
            {"Version": "2012-10-17", "Statement": [{"Sid": "PublicRead", "Effect": "Allow", "Principal": "*",
              "Action": "s3:GetObject", "Resource": "arn:aws:s3:::{{bucket}}/public/*"}]}
            """);
        Assert.Equal("<h1>hello</h1>", await Http.GetStringAsync(url));
        using (var list = await Http.GetAsync(new Uri(_server.Endpoint, $"/{bucket}?list-type=2")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        }

        using (var put = await Http.PutAsync(new Uri(_server.Endpoint, $"/{bucket}/public/evil"), new StringContent("x")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        }

        var stored = await s3.GetBucketPolicyAsync(bucket);
        Assert.Contains("PublicRead", stored.Policy, StringComparison.Ordinal);
        await s3.DeleteBucketPolicyAsync(bucket);
        using var after = await Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.Forbidden, after.StatusCode);
    }

    [Fact]
    public async Task Another_account_is_denied_until_the_bucket_policy_allows_it_and_an_explicit_deny_wins()
    {
        using var owner = S3ClientFactory.Create(_server);
        using var other = S3ClientFactory.Create(_server, ServerFixture.SecondAccessKeyId, ServerFixture.SecondSecretAccessKey);
        var bucket = S3ClientFactory.NewBucketName();
        await owner.PutBucketAsync(bucket);
        await owner.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "shared/a", ContentBody = "a" });
        await owner.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "shared/secret", ContentBody = "s" });

        var denied = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => other.GetObjectAsync(bucket, "shared/a"));
        Assert.Equal("AccessDenied", denied.ErrorCode);

        await owner.PutBucketPolicyAsync(bucket, $$"""
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::{{ServerFixture.SecondAccountId}}:root"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::{{bucket}}/shared/*"},
              {"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::{{bucket}}/shared/secret"}]}
            """);
        using (var get = await other.GetObjectAsync(bucket, "shared/a"))
        {
            Assert.Equal("a", await new StreamReader(get.ResponseStream).ReadToEndAsync());
        }

        Assert.Equal("AccessDenied", (await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => other.GetObjectAsync(bucket, "shared/secret"))).ErrorCode);
        Assert.Equal("AccessDenied", (await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => owner.GetObjectAsync(bucket, "shared/secret"))).ErrorCode);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}""")]
    [InlineData("""{"Version": "2012-10-17", "Statement": [{"Effect": "Maybe", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]}""")]
    public async Task A_malformed_policy_is_MalformedPolicy_saying_what_is_wrong(string policy)
    {
        using var s3 = S3ClientFactory.Create(_server);
        var bucket = S3ClientFactory.NewBucketName();
        await s3.PutBucketAsync(bucket);
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutBucketPolicyAsync(bucket, policy));
        Assert.Equal(("MalformedPolicy", HttpStatusCode.BadRequest), (error.ErrorCode, error.StatusCode));
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        // The .NET SDK turns S3's 404 NoSuchBucketPolicy into an empty policy rather than an exception.
        using var raw = await Http.SendAsync(SignedHttp.Build(_server, "GET", $"/{bucket}?policy", "s3", [], null));
        Assert.Equal(HttpStatusCode.NotFound, raw.StatusCode);
        Assert.Contains("<Code>NoSuchBucketPolicy</Code>", await raw.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
