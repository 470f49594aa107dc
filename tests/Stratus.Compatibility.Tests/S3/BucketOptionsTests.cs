using System.Net;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;

namespace Stratus.Compatibility.Tests.S3;

/// <summary>Logging, transfer acceleration and request payment settings: stored, echoed, validated as S3 does.</summary>
public sealed class BucketOptionsTests : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private readonly ServerFixture _server;
    private readonly AmazonS3Client _s3;
    private readonly string _bucket = S3ClientFactory.NewBucketName();

    public BucketOptionsTests(ServerFixture server)
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
    public async Task Logging_to_a_bucket_of_the_same_owner_round_trips_and_an_empty_status_turns_it_off()
    {
        Assert.Null((await _s3.GetBucketLoggingAsync(new GetBucketLoggingRequest { BucketName = _bucket })).BucketLoggingConfig?.TargetBucketName);
        var logs = S3ClientFactory.NewBucketName();
        await _s3.PutBucketAsync(logs);

        await _s3.PutBucketLoggingAsync(new PutBucketLoggingRequest
        {
            BucketName = _bucket,
            LoggingConfig = new S3BucketLoggingConfig
            {
                TargetBucketName = logs,
                TargetPrefix = "access/",
                Grants = [new S3Grant { Grantee = new S3Grantee { URI = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers" }, Permission = S3Permission.READ }],
            },
        });
        var logging = (await _s3.GetBucketLoggingAsync(new GetBucketLoggingRequest { BucketName = _bucket })).BucketLoggingConfig;
        Assert.Equal((logs, "access/"), (logging.TargetBucketName, logging.TargetPrefix));
        var grant = Assert.Single(logging.Grants);
        Assert.Equal(("http://acs.amazonaws.com/groups/global/AuthenticatedUsers", S3Permission.READ), (grant.Grantee.URI, grant.Permission));
        Assert.Equal(GranteeType.Group, grant.Grantee.Type);

        Assert.Equal(HttpStatusCode.OK, (await Put("logging", "<BucketLoggingStatus/>")).Status);
        Assert.Null((await _s3.GetBucketLoggingAsync(new GetBucketLoggingRequest { BucketName = _bucket })).BucketLoggingConfig?.TargetBucketName);
    }

    [Fact]
    public async Task Logging_to_a_missing_bucket_or_another_owners_is_InvalidTargetBucketForLogging()
    {
        var missing = await Put("logging", "<BucketLoggingStatus><LoggingEnabled><TargetBucket>no-such-logs-bucket-x1</TargetBucket><TargetPrefix>p</TargetPrefix></LoggingEnabled></BucketLoggingStatus>");
        S3Reply.AssertError(missing, HttpStatusCode.BadRequest, "InvalidTargetBucketForLogging");

        var theirs = S3ClientFactory.NewBucketName();
        using (var stranger = S3ClientFactory.Create(_server, ServerFixture.SecondAccessKeyId, ServerFixture.SecondSecretAccessKey))
        {
            await stranger.PutBucketAsync(theirs);
        }

        var foreign = await Put("logging", $"<BucketLoggingStatus><LoggingEnabled><TargetBucket>{theirs}</TargetBucket><TargetPrefix>p</TargetPrefix></LoggingEnabled></BucketLoggingStatus>");
        S3Reply.AssertError(foreign, HttpStatusCode.BadRequest, "InvalidTargetBucketForLogging");
        S3Reply.AssertError(await Put("logging", "<BucketLoggingStatus><LoggingEnabled><TargetPrefix>p</TargetPrefix></LoggingEnabled></BucketLoggingStatus>"), HttpStatusCode.BadRequest, "MalformedXML");
    }

    [Fact]
    public async Task Acceleration_and_request_payment_round_trip_from_their_fresh_bucket_answers()
    {
        Assert.Null((await _s3.GetBucketAccelerateConfigurationAsync(new GetBucketAccelerateConfigurationRequest { BucketName = _bucket })).Status);
        Assert.Equal("BucketOwner", (await _s3.GetBucketRequestPaymentAsync(_bucket)).Payer);

        await _s3.PutBucketAccelerateConfigurationAsync(new PutBucketAccelerateConfigurationRequest
        {
            BucketName = _bucket,
            AccelerateConfiguration = new AccelerateConfiguration { Status = BucketAccelerateStatus.Enabled },
        });
        await _s3.PutBucketRequestPaymentAsync(new PutBucketRequestPaymentRequest { BucketName = _bucket, RequestPaymentConfiguration = new RequestPaymentConfiguration { Payer = "Requester" } });

        Assert.Equal(BucketAccelerateStatus.Enabled, (await _s3.GetBucketAccelerateConfigurationAsync(new GetBucketAccelerateConfigurationRequest { BucketName = _bucket })).Status);
        Assert.Equal("Requester", (await _s3.GetBucketRequestPaymentAsync(_bucket)).Payer);

        S3Reply.AssertError(await Put("accelerate", "<AccelerateConfiguration><Status>On</Status></AccelerateConfiguration>"), HttpStatusCode.BadRequest, "MalformedXML");
        S3Reply.AssertError(await Put("requestPayment", "<RequestPaymentConfiguration><Payer>Nobody</Payer></RequestPaymentConfiguration>"), HttpStatusCode.BadRequest, "MalformedXML");
        Assert.Equal("Requester", (await _s3.GetBucketRequestPaymentAsync(_bucket)).Payer);
    }

    [Fact]
    public async Task Replication_needs_versioned_source_and_destination_and_round_trips()
    {
        var destination = S3ClientFactory.NewBucketName();
        var configuration = $"<ReplicationConfiguration><Role>arn:aws:iam::000000000000:role/replicator</Role><Rule><ID>all</ID><Status>Enabled</Status><Prefix></Prefix><Destination><Bucket>arn:aws:s3:::{destination}</Bucket></Destination></Rule></ReplicationConfiguration>";
        S3Reply.AssertError(await Put("replication", configuration), HttpStatusCode.BadRequest, "InvalidRequest"); // source not versioned
        await _s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = _bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
        S3Reply.AssertError(await Put("replication", configuration), HttpStatusCode.BadRequest, "InvalidRequest"); // no destination
        await _s3.PutBucketAsync(destination);
        S3Reply.AssertError(await Put("replication", configuration), HttpStatusCode.BadRequest, "InvalidRequest"); // destination not versioned
        await _s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = destination, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
        S3Reply.AssertError(await Put("replication", "<ReplicationConfiguration><Role>r</Role></ReplicationConfiguration>"), HttpStatusCode.BadRequest, "MalformedXML");

        Assert.Equal(HttpStatusCode.OK, (await Put("replication", configuration)).Status);
        var replication = (await _s3.GetBucketReplicationAsync(new GetBucketReplicationRequest { BucketName = _bucket })).Configuration;
        Assert.Equal("arn:aws:iam::000000000000:role/replicator", replication.Role);
        Assert.Equal($"arn:aws:s3:::{destination}", Assert.Single(replication.Rules).Destination.BucketArn);

        await _s3.DeleteBucketReplicationAsync(new DeleteBucketReplicationRequest { BucketName = _bucket });
        // Read off the wire: the SDK answers this 404 with an empty configuration.
        using var http = new HttpClient();
        using var gone = await http.SendAsync(SignedHttp.Build(_server, "GET", $"/{_bucket}?replication", "s3", [], null));
        S3Reply.AssertError(new S3Reply(gone.StatusCode, await gone.Content.ReadAsStringAsync()), HttpStatusCode.NotFound, "ReplicationConfigurationNotFoundError");
    }

    private async Task<S3Reply> Put(string subresource, string xml)
    {
        using var http = new HttpClient();
        using var response = await http.SendAsync(SignedHttp.Build(_server, "PUT", $"/{_bucket}?{subresource}", "s3", Encoding.UTF8.GetBytes(xml), "application/xml"));
        return new S3Reply(response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
