using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Stratus.Compatibility.Tests.S3;

public sealed class ObjectTaggingTests : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private readonly ServerFixture _server;
    private readonly AmazonS3Client _s3;
    private readonly string _bucket = S3ClientFactory.NewBucketName();

    public ObjectTaggingTests(ServerFixture server)
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

    [Fact]
    public async Task Tags_given_on_put_come_back_and_are_counted_on_get_and_head()
    {
        await _s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _bucket,
            Key = "tagged",
            ContentBody = "x",
            TagSet = [new Tag { Key = "team", Value = "storage & co" }, new Tag { Key = "tier", Value = "" }],
        });
        var tags = await _s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = _bucket, Key = "tagged" });
        Assert.Equal([("team", "storage & co"), ("tier", "")], tags.Tagging.Select(t => (t.Key, t.Value)));
        using (var get = await _s3.GetObjectAsync(_bucket, "tagged"))
        {
            Assert.Equal(2, get.TagCount);
        }

        Assert.Equal(2, (await _s3.GetObjectMetadataAsync(_bucket, "tagged")).TagsCount);

        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "untagged", ContentBody = "x" });
        using var plain = await _s3.GetObjectAsync(_bucket, "untagged");
        Assert.True(plain.TagCount is null or 0);
        Assert.Empty((await _s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = _bucket, Key = "untagged" })).Tagging ?? []);
    }

    [Fact]
    public async Task Put_and_delete_tagging_replace_the_tags_of_one_version()
    {
        var bucket = S3ClientFactory.NewBucketName();
        await _s3.PutBucketAsync(bucket);
        await _s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
        var v1 = await _s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "1", TagSet = [new Tag { Key = "v", Value = "1" }] });
        var v2 = await _s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "2" });

        var put = await _s3.PutObjectTaggingAsync(new PutObjectTaggingRequest { BucketName = bucket, Key = "k", Tagging = new Tagging { TagSet = [new Tag { Key = "v", Value = "2" }] } });
        Assert.Equal(v2.VersionId, put.VersionId);
        await _s3.PutObjectTaggingAsync(new PutObjectTaggingRequest { BucketName = bucket, Key = "k", VersionId = v1.VersionId, Tagging = new Tagging { TagSet = [new Tag { Key = "old", Value = "yes" }] } });

        var current = await _s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = "k" });
        Assert.Equal(v2.VersionId, current.VersionId);
        Assert.Equal("2", Assert.Single(current.Tagging).Value);
        var old = await _s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = "k", VersionId = v1.VersionId });
        Assert.Equal("old", Assert.Single(old.Tagging).Key);

        // The current record and its version entry stay one: reading the version by id shows the new tags too.
        Assert.Equal(1, (await _s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = "k", VersionId = v2.VersionId })).TagsCount);

        var deleted = await _s3.DeleteObjectTaggingAsync(new DeleteObjectTaggingRequest { BucketName = bucket, Key = "k" });
        Assert.Equal(v2.VersionId, deleted.VersionId);
        Assert.Empty((await _s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = "k" })).Tagging ?? []);
        Assert.Single((await _s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = "k", VersionId = v1.VersionId })).Tagging);

        var marker = await _s3.DeleteObjectAsync(bucket, "k");
        var onMarker = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = "k", VersionId = marker.VersionId }));
        Assert.Equal(("MethodNotAllowed", HttpStatusCode.MethodNotAllowed), (onMarker.ErrorCode, onMarker.StatusCode));
    }

    [Fact]
    public async Task Tag_limits_are_enforced_with_s3s_codes()
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "limits", ContentBody = "x" });
        async Task<AmazonS3Exception> Refused(List<Tag> tags) =>
            await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.PutObjectTaggingAsync(new PutObjectTaggingRequest { BucketName = _bucket, Key = "limits", Tagging = new Tagging { TagSet = tags } }));

        var tooMany = await Refused(Enumerable.Range(0, 11).Select(i => new Tag { Key = "k" + i, Value = "v" }).ToList());
        Assert.Equal(("BadRequest", HttpStatusCode.BadRequest), (tooMany.ErrorCode, tooMany.StatusCode));
        Assert.Equal("InvalidTag", (await Refused([new Tag { Key = new string('k', 129), Value = "v" }])).ErrorCode);
        Assert.Equal("InvalidTag", (await Refused([new Tag { Key = "k", Value = new string('v', 257) }])).ErrorCode);
        Assert.Equal("InvalidTag", (await Refused([new Tag { Key = "k", Value = "1" }, new Tag { Key = "k", Value = "2" }])).ErrorCode);
        Assert.Equal("InvalidTag", (await Refused([new Tag { Key = "aws:reserved", Value = "1" }])).ErrorCode);

        // The limits themselves are allowed.
        await _s3.PutObjectTaggingAsync(new PutObjectTaggingRequest
        {
            BucketName = _bucket,
            Key = "limits",
            Tagging = new Tagging { TagSet = Enumerable.Range(0, 10).Select(i => new Tag { Key = new string('k', 127) + i, Value = new string('v', 256) }).ToList() },
        });

        using var http = new HttpClient();
        using var duplicate = await http.SendAsync(SignedHttp.Build(_server, "PUT", $"/{_bucket}/dup", "s3", [], null, [new("x-amz-tagging", "a=1&a=2")]));
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.Contains("<Code>InvalidArgument</Code>", await duplicate.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = _bucket, Key = "nope" }));
        Assert.Equal("NoSuchKey", missing.ErrorCode);
    }

    [Fact]
    public async Task Copies_keep_or_replace_tags_and_multipart_uploads_take_them_at_creation()
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "copy-src", ContentBody = "x", TagSet = [new Tag { Key = "a", Value = "1" }] });
        await _s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = _bucket, SourceKey = "copy-src", DestinationBucket = _bucket, DestinationKey = "copy-kept" });
        Assert.Equal("a", Assert.Single((await _s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = _bucket, Key = "copy-kept" })).Tagging).Key);
        await _s3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = _bucket,
            SourceKey = "copy-src",
            DestinationBucket = _bucket,
            DestinationKey = "copy-replaced",
            TaggingDirective = TaggingDirective.REPLACE,
            TagSet = [new Tag { Key = "b", Value = "2" }],
        });
        Assert.Equal("b", Assert.Single((await _s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = _bucket, Key = "copy-replaced" })).Tagging).Key);

        var upload = await _s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _bucket, Key = "mp", TagSet = [new Tag { Key = "c", Value = "3" }] });
        var part = await _s3.UploadPartAsync(new UploadPartRequest { BucketName = _bucket, Key = "mp", UploadId = upload.UploadId, PartNumber = 1, InputStream = new MemoryStream([1, 2, 3]) });
        await _s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = _bucket, Key = "mp", UploadId = upload.UploadId, PartETags = [new PartETag(1, part.ETag)] });
        Assert.Equal("c", Assert.Single((await _s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = _bucket, Key = "mp" })).Tagging).Key);
    }

    [Fact]
    public async Task A_bucket_policy_can_deny_reads_by_existing_object_tag()
    {
        var bucket = S3ClientFactory.NewBucketName();
        await _s3.PutBucketAsync(bucket);
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "secret", ContentBody = "s", TagSet = [new Tag { Key = "classification", Value = "secret" }] });
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "open", ContentBody = "o", TagSet = [new Tag { Key = "classification", Value = "open" }] });
        await _s3.PutBucketPolicyAsync(bucket, """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject",
              "Resource": "arn:aws:s3:::BUCKET/*", "Condition": {"StringEquals": {"s3:ExistingObjectTag/classification": "secret"}}}]}
            """.Replace("BUCKET", bucket, StringComparison.Ordinal));

        var denied = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.GetObjectAsync(bucket, "secret"));
        Assert.Equal(("AccessDenied", HttpStatusCode.Forbidden), (denied.ErrorCode, denied.StatusCode));
        using var allowed = await _s3.GetObjectAsync(bucket, "open");
        Assert.Equal(HttpStatusCode.OK, allowed.HttpStatusCode);
        await _s3.DeleteBucketPolicyAsync(bucket);
    }

    [Fact]
    public async Task A_bucket_policy_can_deny_writes_by_requested_object_tag()
    {
        var bucket = S3ClientFactory.NewBucketName();
        await _s3.PutBucketAsync(bucket);
        await _s3.PutBucketPolicyAsync(bucket, """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
              "Resource": "arn:aws:s3:::BUCKET/*", "Condition": {"StringEquals": {"s3:RequestObjectTag/env": "prod"}}}]}
            """.Replace("BUCKET", bucket, StringComparison.Ordinal));

        var denied = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "p",
            ContentBody = "x",
            TagSet = [new Tag { Key = "env", Value = "prod" }],
        }));
        Assert.Equal(("AccessDenied", HttpStatusCode.Forbidden), (denied.ErrorCode, denied.StatusCode));
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "d", ContentBody = "x", TagSet = [new Tag { Key = "env", Value = "dev" }] });
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "u", ContentBody = "x" });
        await _s3.DeleteBucketPolicyAsync(bucket);
    }
}
