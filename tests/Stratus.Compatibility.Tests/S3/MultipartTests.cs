using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.S3.Transfer;

namespace Stratus.Compatibility.Tests.S3;

public sealed class MultipartTests : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private const int MiB = 1024 * 1024;
    private readonly AmazonS3Client _s3;
    private readonly string _bucket = S3ClientFactory.NewBucketName();

    public MultipartTests(ServerFixture server) => _s3 = S3ClientFactory.Create(server);

    public Task InitializeAsync() => _s3.PutBucketAsync(_bucket);

    public Task DisposeAsync()
    {
        _s3.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task TransferUtility_uploads_in_parts_and_the_object_reads_back_whole_and_by_part()
    {
        var data = RandomNumberGenerator.GetBytes((17 * MiB) + 12345);
        using (var transfer = new TransferUtility(_s3))
        {
            await transfer.UploadAsync(new TransferUtilityUploadRequest { BucketName = _bucket, Key = "big", InputStream = new MemoryStream(data), PartSize = 5 * MiB });
        }

        using (var get = await _s3.GetObjectAsync(_bucket, "big"))
        {
            using var copy = new MemoryStream();
            await get.ResponseStream.CopyToAsync(copy);
            Assert.Equal(data, copy.ToArray());
            Assert.EndsWith("-4\"", get.ETag, StringComparison.Ordinal);
        }

        using var part2 = await _s3.GetObjectAsync(new GetObjectRequest { BucketName = _bucket, Key = "big", PartNumber = 2 });
        using var partCopy = new MemoryStream();
        await part2.ResponseStream.CopyToAsync(partCopy);
        Assert.Equal(data.AsSpan(5 * MiB, 5 * MiB).ToArray(), partCopy.ToArray());
        Assert.Equal(4, part2.PartsCount);
    }

    [Fact]
    public async Task The_multipart_etag_is_the_md5_of_the_part_md5s()
    {
        var parts = new[] { RandomNumberGenerator.GetBytes(5 * MiB), RandomNumberGenerator.GetBytes(1000) };
        var upload = await _s3.InitiateMultipartUploadAsync(_bucket, "etag");
        var etags = new List<PartETag>();
        for (var i = 0; i < parts.Length; i++)
        {
            var part = await _s3.UploadPartAsync(new UploadPartRequest { BucketName = _bucket, Key = "etag", UploadId = upload.UploadId, PartNumber = i + 1, InputStream = new MemoryStream(parts[i]) });
            etags.Add(new PartETag(i + 1, part.ETag));
        }

        var listed = await _s3.ListPartsAsync(_bucket, "etag", upload.UploadId);
        Assert.Equal([1, 2], listed.Parts.Select(p => p.PartNumber ?? 0));
        var complete = await _s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = _bucket, Key = "etag", UploadId = upload.UploadId, PartETags = etags });
        var expected = Convert.ToHexStringLower(MD5.HashData(parts.SelectMany(p => MD5.HashData(p)).ToArray())) + "-2";
        Assert.Equal("\"" + expected + "\"", complete.ETag);
    }

    [Fact]
    public async Task Parts_are_validated_on_complete()
    {
        var upload = await _s3.InitiateMultipartUploadAsync(_bucket, "bad");
        var small1 = await _s3.UploadPartAsync(new UploadPartRequest { BucketName = _bucket, Key = "bad", UploadId = upload.UploadId, PartNumber = 1, InputStream = new MemoryStream(new byte[10]) });
        var small2 = await _s3.UploadPartAsync(new UploadPartRequest { BucketName = _bucket, Key = "bad", UploadId = upload.UploadId, PartNumber = 2, InputStream = new MemoryStream(new byte[10]) });

        async Task<string> Complete(params PartETag[] tags) =>
            (await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = _bucket, Key = "bad", UploadId = upload.UploadId, PartETags = [.. tags] }))).ErrorCode;

        Assert.Equal("EntityTooSmall", await Complete(new PartETag(1, small1.ETag), new PartETag(2, small2.ETag)));
        Assert.Equal("InvalidPart", await Complete(new PartETag(1, "\"0123456789abcdef0123456789abcdef\"")));
        Assert.Equal("InvalidPart", await Complete(new PartETag(3, small1.ETag)));

        var uploads = await _s3.ListMultipartUploadsAsync(_bucket);
        Assert.Contains(uploads.MultipartUploads, u => u.UploadId == upload.UploadId && u.Key == "bad");

        await _s3.AbortMultipartUploadAsync(_bucket, "bad", upload.UploadId);
        var gone = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.ListPartsAsync(_bucket, "bad", upload.UploadId));
        Assert.Equal(("NoSuchUpload", HttpStatusCode.NotFound), (gone.ErrorCode, gone.StatusCode));
        await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.GetObjectMetadataAsync(_bucket, "bad"));
    }

    [Fact]
    public async Task A_part_uploaded_again_while_the_upload_completes_never_leaves_an_object_missing_its_bytes()
    {
        var first = RandomNumberGenerator.GetBytes(64 * 1024);
        var second = RandomNumberGenerator.GetBytes(64 * 1024);
        for (var round = 0; round < 12; round++)
        {
            var key = $"race-{round}";
            var upload = await _s3.InitiateMultipartUploadAsync(_bucket, key);
            var part = await _s3.UploadPartAsync(new UploadPartRequest { BucketName = _bucket, Key = key, UploadId = upload.UploadId, PartNumber = 1, InputStream = new MemoryStream(first) });

            var complete = Outcome(() => _s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = _bucket,
                Key = key,
                UploadId = upload.UploadId,
                PartETags = [new PartETag(1, part.ETag)],
            }));
            var again = Outcome(() => _s3.UploadPartAsync(new UploadPartRequest { BucketName = _bucket, Key = key, UploadId = upload.UploadId, PartNumber = 1, InputStream = new MemoryStream(second) }));
            var (completed, _) = (await complete, await again);

            // Whichever came first, a completed object holds the part the client named, readable in full.
            if (completed)
            {
                using var response = await _s3.GetObjectAsync(_bucket, key);
                using var body = new MemoryStream();
                await response.ResponseStream.CopyToAsync(body);
                Assert.Equal(first, body.ToArray());
            }
            else
            {
                await _s3.AbortMultipartUploadAsync(_bucket, key, upload.UploadId);
            }
        }

        static async Task<bool> Outcome(Func<Task> call)
        {
            try
            {
                await call();
                return true;
            }
            catch (AmazonS3Exception error) when (error.ErrorCode is "NoSuchUpload" or "InvalidPart")
            {
                return false;
            }
        }
    }
}
