using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Stratus.Compatibility.Tests.S3;

namespace Stratus.Compatibility.Tests.Iam;

/// <summary>Condition keys the pipeline and S3 fill per request, enforced end to end with the AWS SDK for .NET.</summary>
public sealed class ConditionKeyTests : IClassFixture<ServerFixture>
{
    private static readonly HttpClient Http = new();
    private readonly ServerFixture _server;

    public ConditionKeyTests(ServerFixture server) => _server = server;

    [Fact]
    public async Task A_user_policy_on_s3_prefix_lets_the_user_list_only_its_home_folder()
    {
        var bucket = await BucketWithAsync("home/alice/notes.txt", "home/bob/diary.txt");
        var (_, key, secret) = await IamUsers.CreateAsync(_server, """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::BUCKET",
              "Condition":{"StringLike":{"s3:prefix":["home/${aws:username}/*","home/${aws:username}/"]}}}]}
            """.Replace("BUCKET", bucket, StringComparison.Ordinal), "alice");
        using var s3 = S3ClientFactory.Create(_server, key, secret);

        // The user is not alice: its own name is the variable, so its home is home/<its name>/.
        var denied = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "home/alice/" }));
        Assert.Equal("AccessDenied", denied.ErrorCode);
        await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }));
    }

    [Fact]
    public async Task S3_prefix_delimiter_and_max_keys_are_matched_as_the_listing_sends_them()
    {
        var bucket = await BucketWithAsync("reports/q1.csv", "payroll/june.csv");
        var (_, key, secret) = await IamUsers.CreateAsync(_server, """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::BUCKET",
              "Condition":{"StringEquals":{"s3:prefix":"reports/","s3:delimiter":"/"},"NumericLessThanEquals":{"s3:max-keys":"100"}}}]}
            """.Replace("BUCKET", bucket, StringComparison.Ordinal));
        using var s3 = S3ClientFactory.Create(_server, key, secret);

        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "reports/", Delimiter = "/", MaxKeys = 50 });
        Assert.Equal(["reports/q1.csv"], listed.S3Objects.Select(o => o.Key));
        await AssertDeniedAsync(() => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "payroll/", Delimiter = "/", MaxKeys = 50 }));
        await AssertDeniedAsync(() => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "reports/", Delimiter = "/", MaxKeys = 500 }));
        await AssertDeniedAsync(() => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "reports/", MaxKeys = 50 }));
    }

    [Fact]
    public async Task A_deny_on_aws_SourceIp_refuses_callers_from_that_address()
    {
        var bucket = await BucketWithAsync("a.txt");
        var (_, key, secret) = await IamUsers.CreateAsync(_server, """
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::BUCKET/*"},
              {"Sid":"NoLoopback","Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::BUCKET/a.txt","Condition":{"IpAddress":{"aws:SourceIp":"127.0.0.0/8"}}},
              {"Sid":"OnlyTenNet","Effect":"Deny","Action":"s3:PutObject","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}
            """.Replace("BUCKET", bucket, StringComparison.Ordinal));
        using var s3 = S3ClientFactory.Create(_server, key, secret);

        var denied = await AssertDeniedAsync(() => s3.GetObjectAsync(bucket, "a.txt"));
        Assert.Contains("explicit deny in an identity-based policy", denied.Message, StringComparison.Ordinal);
        Assert.Contains("NoLoopback", denied.Message, StringComparison.Ordinal);
        await AssertDeniedAsync(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "b.txt", ContentBody = "b" }));
    }

    [Fact]
    public async Task A_bucket_policy_denying_aws_SecureTransport_false_refuses_plain_http_even_to_the_owner()
    {
        var bucket = await BucketWithAsync("a.txt");
        using var root = S3ClientFactory.Create(_server);
        await root.PutBucketPolicyAsync(bucket, """
            {"Version":"2012-10-17","Statement":[{"Sid":"TlsOnly","Effect":"Deny","Principal":"*","Action":"s3:GetObject",
              "Resource":"arn:aws:s3:::BUCKET/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}
            """.Replace("BUCKET", bucket, StringComparison.Ordinal));

        var denied = await AssertDeniedAsync(() => root.GetObjectAsync(bucket, "a.txt"));
        Assert.Contains("TlsOnly", denied.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Aws_ResourceTag_matches_the_tags_of_the_bucket()
    {
        var blue = await BucketWithAsync("x");
        var red = await BucketWithAsync("y");
        using var root = S3ClientFactory.Create(_server);
        await root.PutBucketTaggingAsync(new PutBucketTaggingRequest { BucketName = blue, TagSet = [new Tag { Key = "team", Value = "blue" }] });
        await root.PutBucketTaggingAsync(new PutBucketTaggingRequest { BucketName = red, TagSet = [new Tag { Key = "team", Value = "red" }] });
        var (_, key, secret) = await IamUsers.CreateAsync(_server, """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*",
              "Condition":{"StringEquals":{"aws:ResourceTag/team":"blue"}}}]}
            """);
        using var s3 = S3ClientFactory.Create(_server, key, secret);

        Assert.Single((await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = blue })).S3Objects);
        await AssertDeniedAsync(() => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = red }));
    }

    [Fact]
    public async Task S3_authType_tells_presigned_urls_from_signed_headers()
    {
        var bucket = await BucketWithAsync("a.txt");
        using var root = S3ClientFactory.Create(_server);
        await root.PutBucketPolicyAsync(bucket, """
            {"Version":"2012-10-17","Statement":[{"Sid":"NoPresigned","Effect":"Deny","Principal":"*","Action":"s3:GetObject",
              "Resource":"arn:aws:s3:::BUCKET/*","Condition":{"StringEquals":{"s3:authType":"REST-QUERY-STRING"}}}]}
            """.Replace("BUCKET", bucket, StringComparison.Ordinal));

        using (var allowed = await root.GetObjectAsync(bucket, "a.txt"))
        {
            Assert.Equal(HttpStatusCode.OK, allowed.HttpStatusCode);
        }

        var url = await root.GetPreSignedURLAsync(new GetPreSignedUrlRequest { BucketName = bucket, Key = "a.txt", Expires = DateTime.UtcNow.AddMinutes(5), Protocol = Amazon.S3.Protocol.HTTP });
        using var presigned = await Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.Forbidden, presigned.StatusCode);
        Assert.Contains("NoPresigned", await presigned.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task S3_x_amz_acl_and_request_object_tags_are_matched_on_PutObject()
    {
        var bucket = await BucketWithAsync();
        var (_, key, secret) = await IamUsers.CreateAsync(_server, """
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::BUCKET/*","Condition":{"StringEquals":{"s3:RequestObjectTag/stage":"draft"}}},
              {"Effect":"Deny","Action":"s3:PutObject","Resource":"*","Condition":{"StringEquals":{"s3:x-amz-acl":"public-read"}}}]}
            """.Replace("BUCKET", bucket, StringComparison.Ordinal));
        using var s3 = S3ClientFactory.Create(_server, key, secret);

        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "ok", ContentBody = "1", TagSet = [new Tag { Key = "stage", Value = "draft" }] });
        await AssertDeniedAsync(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "untagged", ContentBody = "1" }));
        await AssertDeniedAsync(() => s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "public",
            ContentBody = "1",
            CannedACL = S3CannedACL.PublicRead,
            TagSet = [new Tag { Key = "stage", Value = "draft" }],
        }));
    }

    [Fact]
    public async Task Iam_request_tags_and_tag_keys_are_matched_on_CreateUser()
    {
        var (_, key, secret) = await IamUsers.CreateAsync(_server, """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateUser","Resource":"*",
              "Condition":{"StringEquals":{"aws:RequestTag/team":"red"},"ForAllValues:StringEquals":{"aws:TagKeys":["team","env"]}}}]}
            """, "admin");
        async Task<HttpStatusCode> CreateAsync(string tags)
        {
            var form = $"Action=CreateUser&UserName=u-{Guid.NewGuid().ToString("N")[..8]}{tags}&Version=2010-05-08";
            using var request = SignedHttp.Build(_server, "POST", "/", "iam", System.Text.Encoding.UTF8.GetBytes(form), "application/x-www-form-urlencoded; charset=utf-8", null, key, secret);
            using var response = await Http.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await CreateAsync("&Tags.member.1.Key=team&Tags.member.1.Value=red&Tags.member.2.Key=env&Tags.member.2.Value=dev"));
        Assert.Equal(HttpStatusCode.Forbidden, await CreateAsync("&Tags.member.1.Key=team&Tags.member.1.Value=blue"));
        Assert.Equal(HttpStatusCode.Forbidden, await CreateAsync("&Tags.member.1.Key=team&Tags.member.1.Value=red&Tags.member.2.Key=owner&Tags.member.2.Value=x"));
        Assert.Equal(HttpStatusCode.Forbidden, await CreateAsync(""));
    }

    private static async Task<AmazonS3Exception> AssertDeniedAsync(Func<Task> call)
    {
        var denied = await Assert.ThrowsAnyAsync<AmazonS3Exception>(call);
        Assert.Equal((HttpStatusCode.Forbidden, "AccessDenied"), (denied.StatusCode, denied.ErrorCode));
        return denied;
    }

    private async Task<string> BucketWithAsync(params string[] keys)
    {
        var bucket = S3ClientFactory.NewBucketName();
        using var root = S3ClientFactory.Create(_server);
        await root.PutBucketAsync(bucket);
        foreach (var key in keys)
        {
            await root.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = key });
        }

        return bucket;
    }
}
