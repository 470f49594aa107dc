using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;

namespace Stratus.Compatibility.Tests.S3;

public sealed class AttributesAndPartCopyTests : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private const int MiB = 1024 * 1024;

    private readonly ServerFixture _server;
    private readonly AmazonS3Client _s3;
    private readonly string _bucket = S3ClientFactory.NewBucketName();

    public AttributesAndPartCopyTests(ServerFixture server)
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
    public async Task Attributes_of_a_single_put_object()
    {
        var data = RandomNumberGenerator.GetBytes(1234);
        var put = await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "single", InputStream = new MemoryStream(data), ChecksumAlgorithm = ChecksumAlgorithm.SHA256 });
        var attributes = await _s3.GetObjectAttributesAsync(new GetObjectAttributesRequest
        {
            BucketName = _bucket,
            Key = "single",
            ObjectAttributes = [ObjectAttributes.ETag, ObjectAttributes.Checksum, ObjectAttributes.ObjectSize, ObjectAttributes.StorageClass, ObjectAttributes.ObjectParts],
        });
        Assert.Equal(put.ETag.Trim('"'), attributes.ETag);
        Assert.Equal(1234, attributes.ObjectSize);
        Assert.Equal(S3StorageClass.Standard, attributes.StorageClass);
        Assert.Equal(Convert.ToBase64String(SHA256.HashData(data)), attributes.Checksum.ChecksumSHA256);
        Assert.Null(attributes.ObjectParts);
        Assert.NotNull(attributes.LastModified);

        var onlySize = await _s3.GetObjectAttributesAsync(new GetObjectAttributesRequest { BucketName = _bucket, Key = "single", ObjectAttributes = [ObjectAttributes.ObjectSize] });
        Assert.Null(onlySize.ETag);
        Assert.Equal(1234, onlySize.ObjectSize);
    }

    [Fact]
    public async Task Attributes_page_through_the_parts_of_a_multipart_object_and_name_versions()
    {
        await _s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = _bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
        var upload = await _s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _bucket, Key = "parts", ChecksumAlgorithm = ChecksumAlgorithm.CRC32 });
        var etags = new List<PartETag>();
        var sizes = new[] { 5 * MiB, 5 * MiB, 17 };
        for (var i = 0; i < sizes.Length; i++)
        {
            var part = await _s3.UploadPartAsync(new UploadPartRequest
            {
                BucketName = _bucket,
                Key = "parts",
                UploadId = upload.UploadId,
                PartNumber = i + 1,
                InputStream = new MemoryStream(RandomNumberGenerator.GetBytes(sizes[i])),
                ChecksumAlgorithm = ChecksumAlgorithm.CRC32,
            });
            etags.Add(new PartETag(i + 1, part.ETag) { ChecksumCRC32 = part.ChecksumCRC32 });
        }

        var complete = await _s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = _bucket, Key = "parts", UploadId = upload.UploadId, PartETags = etags });
        var first = await _s3.GetObjectAttributesAsync(new GetObjectAttributesRequest
        {
            BucketName = _bucket,
            Key = "parts",
            VersionId = complete.VersionId,
            MaxParts = 2,
            ObjectAttributes = [ObjectAttributes.ObjectParts, ObjectAttributes.ETag],
        });
        Assert.Equal(complete.VersionId, first.VersionId);
        Assert.EndsWith("-3", first.ETag, StringComparison.Ordinal);
        Assert.Equal(3, first.ObjectParts.TotalPartsCount);
        Assert.True(first.ObjectParts.IsTruncated);
        Assert.Equal([1, 2], first.ObjectParts.Parts.Select(p => p.PartNumber ?? 0));
        Assert.Equal(etags[0].ChecksumCRC32, first.ObjectParts.Parts[0].ChecksumCRC32);
        Assert.Equal(2, first.ObjectParts.NextPartNumberMarker);

        var rest = await _s3.GetObjectAttributesAsync(new GetObjectAttributesRequest
        {
            BucketName = _bucket,
            Key = "parts",
            PartNumberMarker = first.ObjectParts.NextPartNumberMarker,
            ObjectAttributes = [ObjectAttributes.ObjectParts],
        });
        Assert.False(rest.ObjectParts.IsTruncated);
        Assert.Equal(17L, Assert.Single(rest.ObjectParts.Parts).Size);
    }

    [Fact]
    public async Task Bad_attribute_names_and_missing_objects_are_refused()
    {
        using var http = new HttpClient();
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "attr", ContentBody = "x" });
        using var bad = await http.SendAsync(SignedHttp.Build(_server, "GET", $"/{_bucket}/attr?attributes", "s3", [], null, [new("x-amz-object-attributes", "ETag,Colour")]));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("<Code>InvalidArgument</Code>", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.GetObjectAttributesAsync(new GetObjectAttributesRequest { BucketName = _bucket, Key = "nope", ObjectAttributes = [ObjectAttributes.ETag] }));
        Assert.Equal(("NoSuchKey", HttpStatusCode.NotFound), (missing.ErrorCode, missing.StatusCode));
    }

    [Fact]
    public async Task UploadPartCopy_copies_whole_sources_and_ranges_of_a_named_version()
    {
        var bucket = S3ClientFactory.NewBucketName();
        await _s3.PutBucketAsync(bucket);
        await _s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
        var old = RandomNumberGenerator.GetBytes(6 * MiB);
        var oldPut = await _s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "source", InputStream = new MemoryStream(old) });
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "source", ContentBody = "newer and small" });

        var upload = await _s3.InitiateMultipartUploadAsync(bucket, "assembled");
        var whole = await _s3.CopyPartAsync(new CopyPartRequest
        {
            SourceBucket = bucket,
            SourceKey = "source",
            SourceVersionId = oldPut.VersionId,
            DestinationBucket = bucket,
            DestinationKey = "assembled",
            UploadId = upload.UploadId,
            PartNumber = 1,
        });
        Assert.Equal(oldPut.VersionId, whole.CopySourceVersionId);
        Assert.Equal(oldPut.ETag, whole.ETag);
        Assert.NotNull(whole.LastModified);
        var range = await _s3.CopyPartAsync(new CopyPartRequest
        {
            SourceBucket = bucket,
            SourceKey = "source",
            SourceVersionId = oldPut.VersionId,
            DestinationBucket = bucket,
            DestinationKey = "assembled",
            UploadId = upload.UploadId,
            PartNumber = 2,
            FirstByte = 100,
            LastByte = 199,
        });
        Assert.Equal("\"" + Convert.ToHexStringLower(MD5.HashData(old.AsSpan(100, 100))) + "\"", range.ETag);

        await _s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket,
            Key = "assembled",
            UploadId = upload.UploadId,
            PartETags = [new PartETag(1, whole.ETag), new PartETag(2, range.ETag)],
        });
        using var get = await _s3.GetObjectAsync(bucket, "assembled");
        using var copy = new MemoryStream();
        await get.ResponseStream.CopyToAsync(copy);
        Assert.Equal([.. old, .. old.AsSpan(100, 100)], copy.ToArray());
    }

    [Fact]
    public async Task UploadPartCopy_refuses_bad_ranges_failed_conditions_and_unknown_uploads()
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "small-source", ContentBody = "0123456789" });
        var upload = await _s3.InitiateMultipartUploadAsync(_bucket, "copy-target");
        CopyPartRequest Copy(int first, int last) => new()
        {
            SourceBucket = _bucket,
            SourceKey = "small-source",
            DestinationBucket = _bucket,
            DestinationKey = "copy-target",
            UploadId = upload.UploadId,
            PartNumber = 1,
            FirstByte = first,
            LastByte = last,
        };

        var outside = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.CopyPartAsync(Copy(5, 10)));
        Assert.Equal(("InvalidArgument", HttpStatusCode.BadRequest), (outside.ErrorCode, outside.StatusCode));

        var condition = Copy(0, 1);
        condition.ETagToMatch = ["\"0000\""];
        var failed = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.CopyPartAsync(condition));
        Assert.Equal(("PreconditionFailed", HttpStatusCode.PreconditionFailed), (failed.ErrorCode, failed.StatusCode));

        var unknown = Copy(0, 1);
        unknown.UploadId = "no-such-upload";
        Assert.Equal("NoSuchUpload", (await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.CopyPartAsync(unknown))).ErrorCode);

        using var http = new HttpClient();
        using var malformed = await http.SendAsync(SignedHttp.Build(
            _server, "PUT", $"/{_bucket}/copy-target?partNumber=1&uploadId={Uri.EscapeDataString(upload.UploadId)}", "s3", [], null,
            [new("x-amz-copy-source", $"{_bucket}/small-source"), new("x-amz-copy-source-range", "bytes=3-")]));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("<Code>InvalidArgument</Code>", await malformed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
