using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Time.Testing;

namespace Stratus.Compatibility.Tests.S3;

/// <summary>Object Lock through the SDK: bucket configuration, retention modes, legal holds and what they protect.</summary>
public sealed class ObjectLockTests : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private readonly ServerFixture _server;
    private readonly AmazonS3Client _s3;
    private readonly string _bucket = S3ClientFactory.NewBucketName();

    public ObjectLockTests(ServerFixture server)
    {
        _server = server;
        _s3 = S3ClientFactory.Create(server);
    }

    public Task InitializeAsync() => _s3.PutBucketAsync(new PutBucketRequest { BucketName = _bucket, ObjectLockEnabledForBucket = true });

    public Task DisposeAsync()
    {
        _s3.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_bucket_made_with_Object_Lock_is_versioned_for_good_and_has_no_default_retention()
    {
        Assert.Equal(VersionStatus.Enabled, (await _s3.GetBucketVersioningAsync(_bucket)).VersioningConfig.Status);
        var configuration = await _s3.GetObjectLockConfigurationAsync(new GetObjectLockConfigurationRequest { BucketName = _bucket });
        Assert.Equal(ObjectLockEnabled.Enabled, configuration.ObjectLockConfiguration.ObjectLockEnabled);
        Assert.Null(configuration.ObjectLockConfiguration.Rule);

        var suspend = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.PutBucketVersioningAsync(new PutBucketVersioningRequest
        {
            BucketName = _bucket,
            VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Suspended },
        }));
        Assert.Equal((HttpStatusCode.Conflict, "InvalidBucketState"), (suspend.StatusCode, suspend.ErrorCode));
    }

    [Fact]
    public async Task Default_governance_retention_protects_versions_unless_bypassed()
    {
        var bucket = await LockedBucket(ObjectLockRetentionMode.Governance, days: 1);
        var put = await _s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "v1" });

        var head = await _s3.GetObjectMetadataAsync(bucket, "k");
        Assert.Equal(ObjectLockMode.Governance, head.ObjectLockMode);
        Assert.InRange(head.ObjectLockRetainUntilDate!.Value.ToUniversalTime(), DateTime.UtcNow.AddHours(23), DateTime.UtcNow.AddHours(25));

        var refused = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "k", VersionId = put.VersionId }));
        Assert.Equal((HttpStatusCode.Forbidden, "AccessDenied"), (refused.StatusCode, refused.ErrorCode));

        // Without a version id a delete only adds a marker, which Object Lock allows.
        var marker = await _s3.DeleteObjectAsync(bucket, "k");
        Assert.Equal("true", marker.DeleteMarker);

        var batch = await Assert.ThrowsAsync<DeleteObjectsException>(() => _s3.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = bucket, Objects = [new KeyVersion { Key = "k", VersionId = put.VersionId }] }));
        Assert.Equal("AccessDenied", Assert.Single(batch.Response.DeleteErrors).Code);

        await _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "k", VersionId = put.VersionId, BypassGovernanceRetention = true });
        Assert.DoesNotContain((await _s3.ListVersionsAsync(bucket)).Versions ?? [], v => v.VersionId == put.VersionId);
    }

    [Fact]
    public async Task Compliance_retention_can_be_lengthened_but_never_shortened_or_bypassed()
    {
        var until = DateTime.UtcNow.AddDays(2);
        var put = await _s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _bucket,
            Key = "compliant",
            ContentBody = "x",
            ObjectLockMode = ObjectLockMode.Compliance,
            ObjectLockRetainUntilDate = until,
        });

        var retention = await _s3.GetObjectRetentionAsync(new GetObjectRetentionRequest { BucketName = _bucket, Key = "compliant" });
        Assert.Equal(ObjectLockRetentionMode.Compliance, retention.Retention.Mode);

        var shorter = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.PutObjectRetentionAsync(new PutObjectRetentionRequest
        {
            BucketName = _bucket,
            Key = "compliant",
            BypassGovernanceRetention = true,
            Retention = new ObjectLockRetention { Mode = ObjectLockRetentionMode.Compliance, RetainUntilDate = until.AddDays(-1) },
        }));
        Assert.Equal("AccessDenied", shorter.ErrorCode);

        await _s3.PutObjectRetentionAsync(new PutObjectRetentionRequest
        {
            BucketName = _bucket,
            Key = "compliant",
            Retention = new ObjectLockRetention { Mode = ObjectLockRetentionMode.Compliance, RetainUntilDate = until.AddDays(5) },
        });
        var bypassed = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.DeleteObjectAsync(new DeleteObjectRequest
        {
            BucketName = _bucket,
            Key = "compliant",
            VersionId = put.VersionId,
            BypassGovernanceRetention = true,
        }));
        Assert.Equal("AccessDenied", bypassed.ErrorCode);
    }

    [Fact]
    public async Task A_legal_hold_protects_a_version_until_it_is_turned_off()
    {
        var put = await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "held", ContentBody = "x" });
        var none = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.GetObjectLegalHoldAsync(new GetObjectLegalHoldRequest { BucketName = _bucket, Key = "held" }));
        Assert.Equal((HttpStatusCode.NotFound, "NoSuchObjectLockConfiguration"), (none.StatusCode, none.ErrorCode));

        await _s3.PutObjectLegalHoldAsync(new PutObjectLegalHoldRequest { BucketName = _bucket, Key = "held", LegalHold = new ObjectLockLegalHold { Status = ObjectLockLegalHoldStatus.On } });
        Assert.Equal(ObjectLockLegalHoldStatus.On, (await _s3.GetObjectLegalHoldAsync(new GetObjectLegalHoldRequest { BucketName = _bucket, Key = "held" })).LegalHold.Status);
        Assert.Equal(ObjectLockLegalHoldStatus.On, (await _s3.GetObjectMetadataAsync(_bucket, "held")).ObjectLockLegalHoldStatus);
        var refused = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = "held", VersionId = put.VersionId, BypassGovernanceRetention = true }));
        Assert.Equal("AccessDenied", refused.ErrorCode);

        await _s3.PutObjectLegalHoldAsync(new PutObjectLegalHoldRequest { BucketName = _bucket, Key = "held", LegalHold = new ObjectLockLegalHold { Status = ObjectLockLegalHoldStatus.Off } });
        await _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = "held", VersionId = put.VersionId });
    }

    [Fact]
    public async Task Bad_lock_requests_get_S3s_errors()
    {
        var plain = S3ClientFactory.NewBucketName();
        await _s3.PutBucketAsync(plain);
        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.GetObjectLockConfigurationAsync(new GetObjectLockConfigurationRequest { BucketName = plain }));
        Assert.Equal((HttpStatusCode.NotFound, "ObjectLockConfigurationNotFoundError"), (missing.StatusCode, missing.ErrorCode));
        var unversioned = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.PutObjectLockConfigurationAsync(new PutObjectLockConfigurationRequest
        {
            BucketName = plain,
            ObjectLockConfiguration = new ObjectLockConfiguration { ObjectLockEnabled = ObjectLockEnabled.Enabled },
        }));
        Assert.Equal((HttpStatusCode.Conflict, "InvalidBucketState"), (unversioned.StatusCode, unversioned.ErrorCode));
        var noLock = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = plain,
            Key = "k",
            ContentBody = "x",
            ObjectLockMode = ObjectLockMode.Governance,
            ObjectLockRetainUntilDate = DateTime.UtcNow.AddDays(1),
        }));
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidRequest"), (noLock.StatusCode, noLock.ErrorCode));

        var past = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _bucket,
            Key = "k",
            ContentBody = "x",
            ObjectLockMode = ObjectLockMode.Governance,
            ObjectLockRetainUntilDate = DateTime.UtcNow.AddDays(-1),
        }));
        Assert.Equal("InvalidArgument", past.ErrorCode);
        var half = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "k", ContentBody = "x", ObjectLockMode = ObjectLockMode.Governance }));
        Assert.Equal("InvalidArgument", half.ErrorCode);

        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "free", ContentBody = "x" });
        var noRetention = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.GetObjectRetentionAsync(new GetObjectRetentionRequest { BucketName = _bucket, Key = "free" }));
        Assert.Equal((HttpStatusCode.NotFound, "NoSuchObjectLockConfiguration"), (noRetention.StatusCode, noRetention.ErrorCode));
    }

    [Fact]
    public async Task A_retention_stops_protecting_once_its_date_passes_on_the_server_clock()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = new ServerFixture { Time = clock };
        await server.InitializeAsync();
        using var s3 = S3ClientFactory.Create(server);
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = "locked", ObjectLockEnabledForBucket = true });
        var put = await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = "locked",
            Key = "k",
            ContentBody = "x",
            ObjectLockMode = ObjectLockMode.Compliance,
            ObjectLockRetainUntilDate = DateTime.UtcNow.AddDays(1),
        });
        var path = $"/locked/k?versionId={Uri.EscapeDataString(put.VersionId)}";
        using var http = new HttpClient();
        using (var early = await http.SendAsync(SignedHttp.Build(server, "DELETE", path, "s3", [], null, clock: clock)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, early.StatusCode);
        }

        clock.Advance(TimeSpan.FromDays(2));
        using var late = await http.SendAsync(SignedHttp.Build(server, "DELETE", path, "s3", [], null, clock: clock));
        Assert.Equal(HttpStatusCode.NoContent, late.StatusCode);
    }

    private async Task<string> LockedBucket(ObjectLockRetentionMode mode, int days)
    {
        var bucket = S3ClientFactory.NewBucketName();
        await _s3.PutBucketAsync(bucket);
        await _s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
        await _s3.PutObjectLockConfigurationAsync(new PutObjectLockConfigurationRequest
        {
            BucketName = bucket,
            ObjectLockConfiguration = new ObjectLockConfiguration
            {
                ObjectLockEnabled = ObjectLockEnabled.Enabled,
                Rule = new ObjectLockRule { DefaultRetention = new DefaultRetention { Mode = mode, Days = days } },
            },
        });
        var configuration = await _s3.GetObjectLockConfigurationAsync(new GetObjectLockConfigurationRequest { BucketName = bucket });
        Assert.Equal(days, configuration.ObjectLockConfiguration.Rule.DefaultRetention.Days);
        return bucket;
    }
}
