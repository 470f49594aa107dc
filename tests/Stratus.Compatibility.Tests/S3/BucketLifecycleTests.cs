using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Stratus.Compatibility.Tests.S3;

/// <summary>Lifecycle configuration: validated as S3 validates it, stored and echoed.</summary>
public sealed class BucketLifecycleTests : IClassFixture<ServerFixture>
{
    private static readonly HttpClient Http = new();
    private readonly ServerFixture _server;

    public BucketLifecycleTests(ServerFixture server) => _server = server;

    private static Task<PutLifecycleConfigurationResponse> Put(AmazonS3Client s3, string bucket, params LifecycleRule[] rules) =>
        s3.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest { BucketName = bucket, Configuration = new LifecycleConfiguration { Rules = [.. rules] } });

    private static LifecycleRule Expire(string id, int days, string prefix = "") =>
        new() { Id = id, Status = LifecycleRuleStatus.Enabled, Filter = new LifecycleFilter { Prefix = prefix }, Expiration = new LifecycleRuleExpiration { Days = days } };

    [Fact]
    public async Task Rules_round_trip_with_every_filter_and_action()
    {
        using var s3 = S3ClientFactory.Create(_server);
        var bucket = S3ClientFactory.NewBucketName();
        await s3.PutBucketAsync(bucket);
        await AssertNoConfiguration(s3, bucket);

        var midnight = new DateTime(2031, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        await Put(
            s3,
            bucket,
            Expire("logs", 30, "logs/"),
            new LifecycleRule
            {
                Id = "tagged",
                Status = LifecycleRuleStatus.Disabled,
                Filter = new LifecycleFilter { And = new LifecycleRuleAndOperator { Prefix = "data/", Tags = [new Tag { Key = "tier", Value = "cold" }], ObjectSizeGreaterThan = 1024, ObjectSizeLessThan = 1_000_000 } },
                Transitions = [new LifecycleTransition { Days = 30, StorageClass = S3StorageClass.StandardInfrequentAccess }, new LifecycleTransition { Days = 90, StorageClass = S3StorageClass.Glacier }],
                NoncurrentVersionExpiration = new LifecycleRuleNoncurrentVersionExpiration { NoncurrentDays = 7, NewerNoncurrentVersions = 3 },
            },
            new LifecycleRule
            {
                Id = "uploads",
                Status = LifecycleRuleStatus.Enabled,
                Filter = new LifecycleFilter(),
                AbortIncompleteMultipartUpload = new LifecycleRuleAbortIncompleteMultipartUpload { DaysAfterInitiation = 2 },
            },
            new LifecycleRule { Id = "dated", Status = LifecycleRuleStatus.Enabled, Filter = new LifecycleFilter { Tag = new Tag { Key = "k", Value = "v" } }, Expiration = new LifecycleRuleExpiration { Date = midnight } },
            new LifecycleRule { Id = "markers", Status = LifecycleRuleStatus.Enabled, Filter = new LifecycleFilter { ObjectSizeGreaterThan = 0 }, Expiration = new LifecycleRuleExpiration { ExpiredObjectDeleteMarker = true } });

        var rules = (await s3.GetLifecycleConfigurationAsync(bucket)).Configuration.Rules;
        Assert.Equal(["logs", "tagged", "uploads", "dated", "markers"], rules.Select(r => r.Id));
        Assert.Equal(30, rules[0].Expiration.Days);
        Assert.Equal(LifecycleRuleStatus.Disabled, rules[1].Status);
        Assert.Equal(2, rules[1].Transitions.Count);
        Assert.Equal(3, rules[1].NoncurrentVersionExpiration.NewerNoncurrentVersions);
        Assert.Equal(2, rules[2].AbortIncompleteMultipartUpload.DaysAfterInitiation);
        Assert.Equal(midnight, rules[3].Expiration.Date?.ToUniversalTime());
        Assert.True(rules[4].Expiration.ExpiredObjectDeleteMarker);

        // This SDK reads filters into its older predicate classes, so the filters are checked on the wire.
        using (var raw = await Http.SendAsync(SignedHttp.Build(_server, "GET", $"/{bucket}?lifecycle=", "s3", [], null)))
        {
            var xml = await raw.Content.ReadAsStringAsync();
            Assert.Contains("<ID>logs</ID><Filter><Prefix>logs/</Prefix></Filter>", xml, StringComparison.Ordinal);
            Assert.Contains("<Filter><And><Prefix>data/</Prefix><Tag><Key>tier</Key><Value>cold</Value></Tag><ObjectSizeGreaterThan>1024</ObjectSizeGreaterThan><ObjectSizeLessThan>1000000</ObjectSizeLessThan></And></Filter>", xml, StringComparison.Ordinal);
            Assert.Contains("<Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter>", xml, StringComparison.Ordinal);
            Assert.Contains("<Filter><ObjectSizeGreaterThan>0</ObjectSizeGreaterThan></Filter>", xml, StringComparison.Ordinal);
            Assert.Contains("<Date>2031-01-01T00:00:00.000Z</Date>", xml, StringComparison.Ordinal);
        }

        await s3.DeleteLifecycleConfigurationAsync(bucket);
        await AssertNoConfiguration(s3, bucket);
    }

    [Fact]
    public async Task Invalid_rules_are_refused_as_S3_refuses_them()
    {
        using var s3 = S3ClientFactory.Create(_server);
        var bucket = S3ClientFactory.NewBucketName();
        await s3.PutBucketAsync(bucket);

        async Task<string> Refused(params LifecycleRule[] rules) => (await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => Put(s3, bucket, rules))).ErrorCode;

        Assert.Equal("InvalidArgument", await Refused(Expire("a", 1), Expire("a", 2)));
        Assert.Equal("InvalidArgument", await Refused(Expire("zero", 0)));
        Assert.Equal("MalformedXML", await Refused([.. Enumerable.Range(0, 1001).Select(i => Expire("r" + i, 1, "p" + i))]));
        Assert.Equal("InvalidRequest", await Refused(new LifecycleRule { Id = "idle", Status = LifecycleRuleStatus.Enabled, Filter = new LifecycleFilter { Prefix = "" } }));
        Assert.Equal("InvalidArgument", await Refused(new LifecycleRule
        {
            Id = "noon",
            Status = LifecycleRuleStatus.Enabled,
            Filter = new LifecycleFilter { Prefix = "" },
            Expiration = new LifecycleRuleExpiration { Date = new DateTime(2031, 1, 1, 12, 0, 0, DateTimeKind.Utc) },
        }));
        Assert.Equal("InvalidArgument", await Refused(new LifecycleRule
        {
            Id = "versions",
            Status = LifecycleRuleStatus.Enabled,
            Filter = new LifecycleFilter { Prefix = "" },
            NoncurrentVersionExpiration = new LifecycleRuleNoncurrentVersionExpiration { NoncurrentDays = 1, NewerNoncurrentVersions = 101 },
        }));
        Assert.Equal("InvalidRequest", await Refused(new LifecycleRule
        {
            Id = "abort-tag",
            Status = LifecycleRuleStatus.Enabled,
            Filter = new LifecycleFilter { Tag = new Tag { Key = "k", Value = "v" } },
            AbortIncompleteMultipartUpload = new LifecycleRuleAbortIncompleteMultipartUpload { DaysAfterInitiation = 1 },
        }));
        Assert.Equal("InvalidArgument", await Refused(new LifecycleRule
        {
            Id = "ia-too-soon",
            Status = LifecycleRuleStatus.Enabled,
            Filter = new LifecycleFilter { Prefix = "" },
            Transitions = [new LifecycleTransition { Days = 10, StorageClass = S3StorageClass.StandardInfrequentAccess }],
        }));

        foreach (var body in new[]
        {
            "<LifecycleConfiguration><Rule><ID>x</ID><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>",
            "<LifecycleConfiguration><Rule><ID>x</ID><Prefix>a</Prefix><Filter/><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>",
            "<LifecycleConfiguration><Rule><ID>x</ID><Filter/><Status>Maybe</Status><Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>",
            "<LifecycleConfiguration><Rule><ID>x</ID><Filter/><Status>Enabled</Status><Expiration><Days>1</Days><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration></Rule></LifecycleConfiguration>",
            "<LifecycleConfiguration/>",
        })
        {
            using var response = await Http.SendAsync(SignedHttp.Build(_server, "PUT", $"/{bucket}?lifecycle=", "s3", System.Text.Encoding.UTF8.GetBytes(body), "application/xml"));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("<Code>MalformedXML</Code>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await AssertNoConfiguration(s3, bucket);
    }

    // The SDK turns S3's 404 NoSuchLifecycleConfiguration into an empty configuration; the wire shows the 404.
    private async Task AssertNoConfiguration(AmazonS3Client s3, string bucket)
    {
        Assert.Empty((await s3.GetLifecycleConfigurationAsync(bucket)).Configuration?.Rules ?? []);
        using var response = await Http.SendAsync(SignedHttp.Build(_server, "GET", $"/{bucket}?lifecycle=", "s3", [], null));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("<Code>NoSuchLifecycleConfiguration</Code>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
