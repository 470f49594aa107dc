using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Stratus.Compatibility.Tests.S3;

public sealed class VersionListingTests : IClassFixture<ServerFixture>, IAsyncLifetime
{
    // Listed in UTF-8 binary order, which differs from UTF-16 order for U+FF5E against the surrogate pair of U+1F600.
    private static readonly string[] Keys = ["a", "a/b", "a/c/d", "b", "b\u00e9", "b~", "c/x", "c/y", "\ud83d\ude00", "\uff5e"];

    private readonly ServerFixture _server;
    private readonly AmazonS3Client _s3;
    private readonly string _bucket = S3ClientFactory.NewBucketName();

    // Every version written, newest first within a key.
    private readonly Dictionary<string, List<(string VersionId, bool Marker)>> _versions = new(StringComparer.Ordinal);

    public VersionListingTests(ServerFixture server)
    {
        _server = server;
        _s3 = S3ClientFactory.Create(server);
    }

    public async Task InitializeAsync()
    {
        await _s3.PutBucketAsync(_bucket);
        await _s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = _bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
        for (var round = 0; round < 2; round++)
        {
            foreach (var key in Keys)
            {
                var put = await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = key, ContentBody = key + round });
                Remember(key, put.VersionId, false);
            }
        }

        var marker = await _s3.DeleteObjectAsync(_bucket, "b");
        Remember("b", marker.VersionId, true);
    }

    public Task DisposeAsync()
    {
        _s3.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task All_versions_come_in_utf8_binary_key_order_newest_first_with_markers_and_is_latest()
    {
        var listed = await _s3.ListVersionsAsync(new ListVersionsRequest { BucketName = _bucket });
        Assert.False(listed.IsTruncated ?? false);
        Assert.Equal(Expected(), listed.Versions.Select(v => (v.Key, v.VersionId, v.IsDeleteMarker ?? false)));
        foreach (var group in listed.Versions.GroupBy(v => v.Key))
        {
            Assert.Equal([true, .. Enumerable.Repeat(false, group.Count() - 1)], group.Select(v => v.IsLatest ?? false));
        }

        var live = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket });
        Assert.Equal(Ordered().Where(k => k != "b"), live.S3Objects.Select(o => o.Key));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    public async Task Pages_of_any_size_resume_at_the_key_and_version_markers(int pageSize)
    {
        var seen = new List<(string, string, bool)>();
        var latest = new List<bool>();
        string? keyMarker = null, versionMarker = null;
        for (var page = 0; page < 100; page++)
        {
            var listed = await _s3.ListVersionsAsync(new ListVersionsRequest { BucketName = _bucket, MaxKeys = pageSize, KeyMarker = keyMarker, VersionIdMarker = versionMarker });
            Assert.True((listed.Versions?.Count ?? 0) <= pageSize);
            seen.AddRange((listed.Versions ?? []).Select(v => (v.Key, v.VersionId, v.IsDeleteMarker ?? false)));
            latest.AddRange((listed.Versions ?? []).Select(v => v.IsLatest ?? false));
            if (listed.IsTruncated != true)
            {
                break;
            }

            (keyMarker, versionMarker) = (listed.NextKeyMarker, listed.NextVersionIdMarker);
        }

        Assert.Equal(Expected(), seen);
        Assert.Equal(Keys.Length, latest.Count(l => l));
    }

    [Fact]
    public async Task A_delimiter_rolls_versions_up_into_common_prefixes_and_pages_past_them()
    {
        var listed = await _s3.ListVersionsAsync(new ListVersionsRequest { BucketName = _bucket, Delimiter = "/" });
        Assert.Equal(["a/", "c/"], listed.CommonPrefixes);
        Assert.DoesNotContain(listed.Versions, v => v.Key.Contains('/', StringComparison.Ordinal));

        var under = await _s3.ListVersionsAsync(new ListVersionsRequest { BucketName = _bucket, Prefix = "a/", Delimiter = "/" });
        Assert.Equal(["a/c/"], under.CommonPrefixes);
        Assert.Equal(["a/b", "a/b"], under.Versions.Select(v => v.Key));

        // A page that ends on a common prefix resumes after everything under it.
        var first = await _s3.ListVersionsAsync(new ListVersionsRequest { BucketName = _bucket, Delimiter = "/", MaxKeys = 3 });
        Assert.Equal("a/", first.NextKeyMarker);
        var next = await _s3.ListVersionsAsync(new ListVersionsRequest { BucketName = _bucket, Delimiter = "/", KeyMarker = first.NextKeyMarker });
        Assert.Equal("b", next.Versions[0].Key);
    }

    [Fact]
    public async Task Url_encoding_and_bad_markers_are_answered_as_s3_does()
    {
        using var http = new HttpClient();
        using (var encoded = await http.SendAsync(SignedHttp.Build(_server, "GET", $"/{_bucket}?versions&prefix=b&encoding-type=url", "s3", [], null)))
        {
            var body = await encoded.Content.ReadAsStringAsync();
            Assert.Contains("<Key>b%C3%A9</Key>", body, StringComparison.Ordinal);
            Assert.Contains("<EncodingType>url</EncodingType>", body, StringComparison.Ordinal);
            Assert.Contains("<DeleteMarker><Key>b</Key>", body, StringComparison.Ordinal);
        }

        using (var lonely = await http.SendAsync(SignedHttp.Build(_server, "GET", $"/{_bucket}?versions&version-id-marker=null", "s3", [], null)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, lonely.StatusCode);
            Assert.Contains("<Code>InvalidArgument</Code>", await lonely.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var malformed = await http.SendAsync(SignedHttp.Build(_server, "GET", $"/{_bucket}?versions&key-marker=a&version-id-marker=nope", "s3", [], null)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        }

        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.ListVersionsAsync(new ListVersionsRequest { BucketName = "no-such-" + _bucket }));
        Assert.Equal("NoSuchBucket", error.ErrorCode);
    }

    private void Remember(string key, string versionId, bool marker)
    {
        if (!_versions.TryGetValue(key, out var list))
        {
            _versions[key] = list = [];
        }

        list.Insert(0, (versionId, marker));
    }

    private static IEnumerable<string> Ordered() =>
        Keys.OrderBy(k => System.Text.Encoding.UTF8.GetBytes(k), Comparer<byte[]>.Create((x, y) => x.AsSpan().SequenceCompareTo(y)));

    private List<(string, string, bool)> Expected() =>
        Ordered().SelectMany(k => _versions[k].Select(v => (k, v.VersionId, v.Marker))).ToList();
}
