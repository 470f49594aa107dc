using System.Net;
using System.Security.Cryptography;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;

namespace Stratus.Compatibility.Tests.S3;

public sealed class VersioningTests : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private readonly ServerFixture _server;
    private readonly AmazonS3Client _s3;
    private readonly string _bucket = S3ClientFactory.NewBucketName();

    public VersioningTests(ServerFixture server)
    {
        _server = server;
        _s3 = S3ClientFactory.Create(server);
    }

    public async Task InitializeAsync()
    {
        await _s3.PutBucketAsync(_bucket);
        await SetVersioning(_bucket, VersionStatus.Enabled);
    }

    public Task DisposeAsync()
    {
        _s3.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Versioning_status_moves_from_off_to_enabled_to_suspended()
    {
        var bucket = S3ClientFactory.NewBucketName();
        await _s3.PutBucketAsync(bucket);
        Assert.Equal(VersionStatus.Off, (await _s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = bucket })).VersioningConfig.Status);
        await SetVersioning(bucket, VersionStatus.Enabled);
        Assert.Equal(VersionStatus.Enabled, (await _s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = bucket })).VersioningConfig.Status);
        await SetVersioning(bucket, VersionStatus.Suspended);
        Assert.Equal(VersionStatus.Suspended, (await _s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = bucket })).VersioningConfig.Status);
    }

    [Fact]
    public async Task A_bad_versioning_document_is_malformed_and_mfa_delete_is_refused()
    {
        using var http = new HttpClient();
        var body = Encoding.UTF8.GetBytes("<VersioningConfiguration><Status>On</Status></VersioningConfiguration>");
        using var bad = await http.SendAsync(SignedHttp.Build(_server, "PUT", $"/{_bucket}?versioning", "s3", body, "application/xml"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("<Code>MalformedXML</Code>", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var mfa = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.PutBucketVersioningAsync(new PutBucketVersioningRequest
        {
            BucketName = _bucket,
            VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled, EnableMfaDelete = true },
        }));
        Assert.Equal(("AccessDenied", HttpStatusCode.Forbidden), (mfa.ErrorCode, mfa.StatusCode));
        Assert.Equal(VersionStatus.Enabled, (await _s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = _bucket })).VersioningConfig.Status);
    }

    [Fact]
    public async Task Each_put_makes_a_version_and_every_version_reads_back()
    {
        var first = await Put("doc", "one");
        var second = await Put("doc", "two");
        Assert.NotNull(first.VersionId);
        Assert.NotEqual(first.VersionId, second.VersionId);

        Assert.Equal("two", await Read("doc"));
        Assert.Equal("one", await Read("doc", first.VersionId));
        using (var current = await _s3.GetObjectAsync(_bucket, "doc"))
        {
            Assert.Equal(second.VersionId, current.VersionId);
        }

        var head = await _s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _bucket, Key = "doc", VersionId = first.VersionId });
        Assert.Equal(first.VersionId, head.VersionId);
        Assert.Equal(first.ETag, head.ETag);

        var versions = await _s3.ListVersionsAsync(new ListVersionsRequest { BucketName = _bucket, Prefix = "doc" });
        Assert.Equal([second.VersionId, first.VersionId], versions.Versions.Select(v => v.VersionId));
        Assert.Equal([true, false], versions.Versions.Select(v => v.IsLatest ?? false));
    }

    [Fact]
    public async Task Delete_makes_a_marker_and_deleting_the_marker_restores_the_object()
    {
        var put = await Put("restore-me", "content");
        var delete = await _s3.DeleteObjectAsync(_bucket, "restore-me");
        Assert.Equal("true", delete.DeleteMarker);
        Assert.NotNull(delete.VersionId);
        Assert.NotEqual(put.VersionId, delete.VersionId);

        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.GetObjectAsync(_bucket, "restore-me"));
        Assert.Equal(("NoSuchKey", HttpStatusCode.NotFound), (missing.ErrorCode, missing.StatusCode));
        using var http = new HttpClient();
        using (var raw = await http.SendAsync(SignedHttp.Build(_server, "GET", $"/{_bucket}/restore-me", "s3", [], null)))
        {
            Assert.Equal(HttpStatusCode.NotFound, raw.StatusCode);
            Assert.Equal("true", raw.Headers.GetValues("x-amz-delete-marker").Single());
            Assert.Equal(delete.VersionId, raw.Headers.GetValues("x-amz-version-id").Single());
        }

        using (var marker = await http.SendAsync(SignedHttp.Build(_server, "GET", $"/{_bucket}/restore-me?versionId={delete.VersionId}", "s3", [], null)))
        {
            Assert.Equal(HttpStatusCode.MethodNotAllowed, marker.StatusCode);
            Assert.Contains("<Code>MethodNotAllowed</Code>", await marker.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal("true", marker.Headers.GetValues("x-amz-delete-marker").Single());
        }

        var listed = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket, Prefix = "restore-me" });
        Assert.Empty(listed.S3Objects ?? []);

        var removeMarker = await _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = "restore-me", VersionId = delete.VersionId });
        Assert.Equal("true", removeMarker.DeleteMarker);
        Assert.Equal(delete.VersionId, removeMarker.VersionId);
        Assert.Equal("content", await Read("restore-me"));
        Assert.Single((await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket, Prefix = "restore-me" })).S3Objects);
    }

    [Fact]
    public async Task Deleting_versions_frees_their_shards_and_promotes_the_one_below()
    {
        var data1 = RandomNumberGenerator.GetBytes(300 * 1024);
        var data2 = RandomNumberGenerator.GetBytes(300 * 1024);
        var before = ShardFiles();
        var v1 = await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "big", InputStream = new MemoryStream(data1) });
        var afterOne = ShardFiles();
        Assert.True(afterOne > before);
        var v2 = await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "big", InputStream = new MemoryStream(data2) });
        var perVersion = afterOne - before;
        Assert.Equal(before + (2 * perVersion), ShardFiles());

        var deleted = await _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = "big", VersionId = v2.VersionId });
        Assert.Equal(v2.VersionId, deleted.VersionId);
        Assert.Null(deleted.DeleteMarker);
        Assert.Equal(before + perVersion, ShardFiles());
        using (var get = await _s3.GetObjectAsync(_bucket, "big"))
        {
            Assert.Equal(v1.VersionId, get.VersionId);
            using var copy = new MemoryStream();
            await get.ResponseStream.CopyToAsync(copy);
            Assert.Equal(data1, copy.ToArray());
        }

        await _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = "big", VersionId = v1.VersionId });
        Assert.Equal(before, ShardFiles());
        var gone = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.GetObjectAsync(_bucket, "big"));
        Assert.Equal("NoSuchKey", gone.ErrorCode);
    }

    [Fact]
    public async Task Unknown_and_malformed_version_ids_are_answered_as_s3_does()
    {
        await Put("ids", "x");
        var unknown = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.GetObjectAsync(new GetObjectRequest { BucketName = _bucket, Key = "ids", VersionId = "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz" }));
        Assert.Equal(("NoSuchVersion", HttpStatusCode.NotFound), (unknown.ErrorCode, unknown.StatusCode));
        var malformed = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.GetObjectAsync(new GetObjectRequest { BucketName = _bucket, Key = "ids", VersionId = "not a version" }));
        Assert.Equal(("InvalidArgument", HttpStatusCode.BadRequest), (malformed.ErrorCode, malformed.StatusCode));
        var deleteMalformed = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = "ids", VersionId = "bad" }));
        Assert.Equal("InvalidArgument", deleteMalformed.ErrorCode);

        // A version that is already gone is deleted: success.
        var again = await _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = "ids", VersionId = "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz" });
        Assert.Equal(HttpStatusCode.NoContent, again.HttpStatusCode);
        Assert.Equal("x", await Read("ids"));
    }

    [Fact]
    public async Task Suspended_versioning_writes_the_null_version_in_place()
    {
        var bucket = S3ClientFactory.NewBucketName();
        await _s3.PutBucketAsync(bucket);
        await SetVersioning(bucket, VersionStatus.Enabled);
        var kept = await _s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "versioned" });
        await SetVersioning(bucket, VersionStatus.Suspended);
        var before = ShardFiles();
        var firstNull = await _s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = new string('a', 200 * 1024) });
        // S3 stores it as the null version but does not say so in the PUT's answer; reads do.
        Assert.Null(firstNull.VersionId);
        Assert.Equal("null", (await _s3.GetObjectMetadataAsync(bucket, "k")).VersionId);
        var grown = ShardFiles();
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = new string('b', 200 * 1024) });
        Assert.Equal(grown, ShardFiles());
        Assert.True(grown > before);

        var versions = (await _s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket })).Versions;
        Assert.Equal(["null", kept.VersionId], versions.Select(v => v.VersionId));

        var marker = await _s3.DeleteObjectAsync(bucket, "k");
        Assert.Equal(("true", "null"), (marker.DeleteMarker, marker.VersionId));
        Assert.Equal(before, ShardFiles());
        versions = (await _s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket })).Versions;
        Assert.Equal([(true, "null"), (false, kept.VersionId)], versions.Select(v => (v.IsDeleteMarker ?? false, v.VersionId)));
        Assert.Equal("versioned", await Read("k", kept.VersionId, bucket));
    }

    [Fact]
    public async Task A_never_versioned_bucket_has_null_versions_and_no_version_headers()
    {
        var bucket = S3ClientFactory.NewBucketName();
        await _s3.PutBucketAsync(bucket);
        var put = await _s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "plain", ContentBody = "p" });
        Assert.Null(put.VersionId);
        Assert.Equal("p", await Read("plain", "null", bucket));
        var version = Assert.Single((await _s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket })).Versions);
        Assert.Equal(("null", true), (version.VersionId, version.IsLatest ?? false));
        var delete = await _s3.DeleteObjectAsync(bucket, "plain");
        Assert.Null(delete.DeleteMarker);
        Assert.Empty((await _s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket })).Versions ?? []);
    }

    [Fact]
    public async Task DeleteObjects_deletes_versions_and_makes_markers()
    {
        var a1 = await Put("batch/a", "a1");
        await Put("batch/a", "a2");
        await Put("batch/b", "b");
        var result = await _s3.DeleteObjectsAsync(new DeleteObjectsRequest
        {
            BucketName = _bucket,
            Objects = [new KeyVersion { Key = "batch/a", VersionId = a1.VersionId }, new KeyVersion { Key = "batch/b" }],
        });
        Assert.Empty(result.DeleteErrors ?? []);
        var versionDelete = result.DeletedObjects.Single(d => d.Key == "batch/a");
        Assert.Equal(a1.VersionId, versionDelete.VersionId);
        Assert.NotEqual(true, versionDelete.DeleteMarker);
        var markerDelete = result.DeletedObjects.Single(d => d.Key == "batch/b");
        Assert.True(markerDelete.DeleteMarker);
        Assert.NotNull(markerDelete.DeleteMarkerVersionId);

        Assert.Equal("a2", await Read("batch/a"));
        var versions = (await _s3.ListVersionsAsync(new ListVersionsRequest { BucketName = _bucket, Prefix = "batch/" })).Versions;
        Assert.Equal(3, versions.Count);
        Assert.Contains(versions, v => v.Key == "batch/b" && v.IsDeleteMarker == true && v.IsLatest == true && v.VersionId == markerDelete.DeleteMarkerVersionId);
    }

    [Fact]
    public async Task Copy_takes_a_named_source_version_and_says_which()
    {
        var old = await Put("src", "old");
        await Put("src", "new");
        var copy = await _s3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = _bucket,
            SourceKey = "src",
            SourceVersionId = old.VersionId,
            DestinationBucket = _bucket,
            DestinationKey = "dst",
        });
        Assert.Equal(old.VersionId, copy.SourceVersionId);
        Assert.NotNull(copy.VersionId);
        Assert.Equal("old", await Read("dst"));

        // Copying an older version over its own key restores it as the newest version.
        var restore = await _s3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = _bucket,
            SourceKey = "src",
            SourceVersionId = old.VersionId,
            DestinationBucket = _bucket,
            DestinationKey = "src",
        });
        Assert.Equal("old", await Read("src"));
        Assert.Equal(restore.VersionId, (await _s3.GetObjectMetadataAsync(_bucket, "src")).VersionId);

        var marker = await _s3.DeleteObjectAsync(_bucket, "src");
        var fromMarker = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = _bucket,
            SourceKey = "src",
            SourceVersionId = marker.VersionId,
            DestinationBucket = _bucket,
            DestinationKey = "dst2",
        }));
        Assert.Equal(("InvalidRequest", HttpStatusCode.BadRequest), (fromMarker.ErrorCode, fromMarker.StatusCode));
        var fromDeleted = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.CopyObjectAsync(_bucket, "src", _bucket, "dst3"));
        Assert.Equal("NoSuchKey", fromDeleted.ErrorCode);
    }

    [Fact]
    public async Task A_completed_multipart_upload_is_a_new_version()
    {
        await Put("mp", "before");
        var upload = await _s3.InitiateMultipartUploadAsync(_bucket, "mp");
        var part = await _s3.UploadPartAsync(new UploadPartRequest
        {
            BucketName = _bucket,
            Key = "mp",
            UploadId = upload.UploadId,
            PartNumber = 1,
            InputStream = new MemoryStream(Encoding.UTF8.GetBytes("after")),
        });
        var complete = await _s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = _bucket,
            Key = "mp",
            UploadId = upload.UploadId,
            PartETags = [new PartETag(1, part.ETag)],
        });
        Assert.NotNull(complete.VersionId);
        Assert.Equal("after", await Read("mp"));
        Assert.Equal(2, (await _s3.ListVersionsAsync(new ListVersionsRequest { BucketName = _bucket, Prefix = "mp" })).Versions.Count);
    }

    [Fact]
    public async Task A_bucket_holding_only_versions_is_not_empty()
    {
        var bucket = S3ClientFactory.NewBucketName();
        await _s3.PutBucketAsync(bucket);
        await SetVersioning(bucket, VersionStatus.Enabled);
        var put = await _s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "x" });
        var marker = await _s3.DeleteObjectAsync(bucket, "k");
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.DeleteBucketAsync(bucket));
        Assert.Equal("BucketNotEmpty", error.ErrorCode);
        await _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "k", VersionId = put.VersionId });
        await _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "k", VersionId = marker.VersionId });
        await _s3.DeleteBucketAsync(bucket);
    }

    private async Task SetVersioning(string bucket, VersionStatus status) =>
        await _s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = status } });

    private Task<PutObjectResponse> Put(string key, string content) =>
        _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = key, ContentBody = content });

    private async Task<string> Read(string key, string? versionId = null, string? bucket = null)
    {
        using var response = await _s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket ?? _bucket, Key = key, VersionId = versionId });
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync();
    }

    private int ShardFiles() => Directory.GetFiles(Path.Combine(_server.DataDirectory, "drives"), "*", SearchOption.AllDirectories).Length;
}
