using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Time.Testing;
using Stratus.S3;

namespace Stratus.Compatibility.Tests.S3;

/// <summary>The lifecycle worker applies enabled rules on the server clock: expirations and aborts when due, nothing else.</summary>
public sealed class LifecycleExecutionTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public void Due_times_round_up_to_the_next_midnight_UTC()
    {
        Assert.Equal(new DateTimeOffset(2030, 1, 3, 0, 0, 0, TimeSpan.Zero), S3Service.DueAt(new DateTimeOffset(2030, 1, 1, 10, 30, 0, TimeSpan.Zero), 1));
        Assert.Equal(new DateTimeOffset(2030, 1, 2, 0, 0, 0, TimeSpan.Zero), S3Service.DueAt(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), 1));
        Assert.Equal(new DateTimeOffset(2030, 2, 1, 0, 0, 0, TimeSpan.Zero), S3Service.DueAt(new DateTimeOffset(2029, 12, 31, 23, 0, 0, TimeSpan.FromHours(-5)), 30));
    }

    [Fact]
    public async Task Expired_objects_and_stale_uploads_go_when_due_on_the_server_clock()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = new ServerFixture { Time = clock };
        await server.InitializeAsync();
        const string Bucket = "lifecycle-run";
        using (var s3 = S3ClientFactory.Create(server))
        {
            await s3.PutBucketAsync(Bucket);
            foreach (var (key, body) in new[] { ("tmp/a", "a"), ("tmp/b", "b"), ("keep/c", "c"), ("sized/small", "tiny"), ("sized/large", new string('x', 100)) })
            {
                await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, ContentBody = body });
            }

            foreach (var (key, env) in new[] { ("tagged/tmp", "tmp"), ("tagged/prod", "prod"), ("tagged/none", null) })
            {
                await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, ContentBody = "t", TagSet = env is null ? [] : [new Tag { Key = "env", Value = env }] });
            }

            await s3.InitiateMultipartUploadAsync(Bucket, "tmp/upload");
            await s3.InitiateMultipartUploadAsync(Bucket, "keep/upload");
            await s3.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest
            {
                BucketName = Bucket,
                Configuration = new LifecycleConfiguration
                {
                    Rules =
                    [
                        new LifecycleRule
                        {
                            Id = "tmp",
                            Status = LifecycleRuleStatus.Enabled,
                            Filter = new LifecycleFilter { Prefix = "tmp/" },
                            Expiration = new LifecycleRuleExpiration { Days = 1 },
                            AbortIncompleteMultipartUpload = new LifecycleRuleAbortIncompleteMultipartUpload { DaysAfterInitiation = 1 },
                        },
                        new LifecycleRule { Id = "off", Status = LifecycleRuleStatus.Disabled, Filter = new LifecycleFilter { Prefix = "keep/" }, Expiration = new LifecycleRuleExpiration { Days = 1 } },
                        new LifecycleRule { Id = "small", Status = LifecycleRuleStatus.Enabled, Filter = new LifecycleFilter { And = new LifecycleRuleAndOperator { Prefix = "sized/", ObjectSizeLessThan = 10 } }, Expiration = new LifecycleRuleExpiration { Days = 1 } },
                        new LifecycleRule
                        {
                            Id = "by-tag",
                            Status = LifecycleRuleStatus.Enabled,
                            Filter = new LifecycleFilter { And = new LifecycleRuleAndOperator { Prefix = "tagged/", Tags = [new Tag { Key = "env", Value = "tmp" }] } },
                            Expiration = new LifecycleRuleExpiration { Days = 1 },
                        },
                    ],
                },
            });
        }

        // An hour on, nothing is due yet.
        var early = server.Server.Lifecycle!.NextPassAsync();
        clock.Advance(TimeSpan.FromHours(1));
        var first = await early.WaitAsync(Patience);
        Assert.Equal(0, first.ExpiredObjects);
        Assert.Equal(0, first.AbortedUploads);
        Assert.Equal(["keep/c", "sized/large", "sized/small", "tagged/none", "tagged/prod", "tagged/tmp", "tmp/a", "tmp/b"], await KeysAsync(server, clock, "?list-type=2", "Key"));

        // Two days on, the due ones are gone; a pass that starts after the jump sees the final state.
        clock.Advance(TimeSpan.FromDays(2));
        var late = server.Server.Lifecycle.NextPassAsync();
        clock.Advance(TimeSpan.FromHours(1));
        await late.WaitAsync(Patience);
        Assert.Equal(["keep/c", "sized/large", "tagged/none", "tagged/prod"], await KeysAsync(server, clock, "?list-type=2", "Key"));
        Assert.Equal(["keep/upload"], await KeysAsync(server, clock, "?uploads=", "Key"));
    }

    [Fact]
    public async Task Noncurrent_versions_and_lone_delete_markers_expire_when_due()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = new ServerFixture { Time = clock };
        await server.InitializeAsync();
        const string Bucket = "lifecycle-versions";
        using (var s3 = S3ClientFactory.Create(server))
        {
            await s3.PutBucketAsync(Bucket);
            await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = Bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
            foreach (var body in new[] { "one", "two", "three" })
            {
                await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "v/a", ContentBody = body });
            }

            await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "v/gone", ContentBody = "x" });
            await s3.DeleteObjectAsync(Bucket, "v/gone");
            await s3.DeleteObjectAsync(Bucket, "m/ghost"); // a delete marker with nothing below it
            await s3.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest
            {
                BucketName = Bucket,
                Configuration = new LifecycleConfiguration
                {
                    Rules =
                    [
                        new LifecycleRule
                        {
                            Id = "old-versions",
                            Status = LifecycleRuleStatus.Enabled,
                            Filter = new LifecycleFilter { Prefix = "v/" },
                            NoncurrentVersionExpiration = new LifecycleRuleNoncurrentVersionExpiration { NoncurrentDays = 1, NewerNoncurrentVersions = 1 },
                        },
                        new LifecycleRule
                        {
                            Id = "markers",
                            Status = LifecycleRuleStatus.Enabled,
                            Filter = new LifecycleFilter { Prefix = "m/" },
                            Expiration = new LifecycleRuleExpiration { ExpiredObjectDeleteMarker = true },
                        },
                    ],
                },
            });
        }

        // Nothing noncurrent is due after an hour; the lone marker goes at once.
        var early = server.Server.Lifecycle!.NextPassAsync();
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, (await early.WaitAsync(Patience)).ExpiredObjects);
        Assert.Equal(["v/a", "v/a", "v/a", "v/gone"], await KeysAsync(server, clock, "?versions=", "Version", Bucket));
        Assert.Equal(["v/gone"], await KeysAsync(server, clock, "?versions=", "DeleteMarker", Bucket));

        // Days on, each key keeps its current version and its newest noncurrent one (NewerNoncurrentVersions = 1).
        clock.Advance(TimeSpan.FromDays(3));
        var late = server.Server.Lifecycle.NextPassAsync();
        clock.Advance(TimeSpan.FromHours(1));
        await late.WaitAsync(Patience);
        Assert.Equal(["v/a", "v/a", "v/gone"], await KeysAsync(server, clock, "?versions=", "Version", Bucket));
        Assert.Equal(["v/gone"], await KeysAsync(server, clock, "?versions=", "DeleteMarker", Bucket));
    }

    // Signed on the server's (moved) clock, which an SDK client would be too far from.
    private static async Task<List<string>> KeysAsync(ServerFixture server, TimeProvider clock, string query, string element, string bucket = "lifecycle-run")
    {
        using var http = new HttpClient();
        using var response = await http.SendAsync(SignedHttp.Build(server, "GET", $"/{bucket}{query}", "s3", [], null, clock: clock));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var xml = System.Xml.Linq.XDocument.Parse(await response.Content.ReadAsStringAsync());

        // An element's Key child (ListObjectVersions' Version and DeleteMarker), or the element's own text (Key).
        return [.. xml.Descendants().Where(e => e.Name.LocalName == element)
            .Select(e => e.Elements().FirstOrDefault(c => c.Name.LocalName == "Key")?.Value ?? e.Value)
            .Order(StringComparer.Ordinal)];
    }
}
