using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Stratus.Compatibility.Tests.S3;

/// <summary>Put/Get/DeleteBucketWebsite through the SDK: what S3 accepts, echoes and refuses.</summary>
public sealed class BucketWebsiteTests : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private readonly ServerFixture _server;
    private readonly AmazonS3Client _s3;
    private readonly string _bucket = S3ClientFactory.NewBucketName();

    public BucketWebsiteTests(ServerFixture server)
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
    public async Task A_website_configuration_round_trips_and_deleting_it_leaves_none()
    {
        await AssertNoWebsite();

        await _s3.PutBucketWebsiteAsync(new PutBucketWebsiteRequest
        {
            BucketName = _bucket,
            WebsiteConfiguration = new WebsiteConfiguration
            {
                IndexDocumentSuffix = "index.html",
                ErrorDocument = "errors/404.html",
                RoutingRules =
                [
                    new RoutingRule
                    {
                        Condition = new RoutingRuleCondition { KeyPrefixEquals = "docs/", HttpErrorCodeReturnedEquals = "404" },
                        Redirect = new RoutingRuleRedirect { ReplaceKeyPrefixWith = "documents/", HttpRedirectCode = "301", Protocol = "https" },
                    },
                ],
            },
        });

        var website = (await _s3.GetBucketWebsiteAsync(_bucket)).WebsiteConfiguration;
        Assert.Equal("index.html", website.IndexDocumentSuffix);
        Assert.Equal("errors/404.html", website.ErrorDocument);
        var rule = Assert.Single(website.RoutingRules);
        Assert.Equal(("docs/", "404"), (rule.Condition.KeyPrefixEquals, rule.Condition.HttpErrorCodeReturnedEquals));
        Assert.Equal(("documents/", "301", "https"), (rule.Redirect.ReplaceKeyPrefixWith, rule.Redirect.HttpRedirectCode, rule.Redirect.Protocol));

        await _s3.DeleteBucketWebsiteAsync(_bucket);
        await AssertNoWebsite();
    }

    [Fact]
    public async Task A_redirect_of_every_request_stands_alone()
    {
        await _s3.PutBucketWebsiteAsync(new PutBucketWebsiteRequest
        {
            BucketName = _bucket,
            WebsiteConfiguration = new WebsiteConfiguration { RedirectAllRequestsTo = new RoutingRuleRedirect { HostName = "example.com", Protocol = "https" } },
        });

        var website = (await _s3.GetBucketWebsiteAsync(_bucket)).WebsiteConfiguration;
        Assert.Equal(("example.com", "https"), (website.RedirectAllRequestsTo.HostName, website.RedirectAllRequestsTo.Protocol));
        Assert.Null(website.IndexDocumentSuffix);
    }

    public static TheoryData<string, string> Refused => new()
    {
        { "<WebsiteConfiguration><ErrorDocument><Key>e.html</Key></ErrorDocument></WebsiteConfiguration>", "InvalidArgument" },
        { "<WebsiteConfiguration><IndexDocument><Suffix>a/index.html</Suffix></IndexDocument></WebsiteConfiguration>", "InvalidArgument" },
        { "<WebsiteConfiguration><IndexDocument><Suffix></Suffix></IndexDocument></WebsiteConfiguration>", "InvalidArgument" },
        { "<WebsiteConfiguration><RedirectAllRequestsTo><HostName>h</HostName></RedirectAllRequestsTo><IndexDocument><Suffix>i</Suffix></IndexDocument></WebsiteConfiguration>", "InvalidArgument" },
        { "<WebsiteConfiguration><RedirectAllRequestsTo><HostName>h</HostName><Protocol>ftp</Protocol></RedirectAllRequestsTo></WebsiteConfiguration>", "InvalidArgument" },
        { "<WebsiteConfiguration><RedirectAllRequestsTo><Protocol>https</Protocol></RedirectAllRequestsTo></WebsiteConfiguration>", "MalformedXML" },
        { "<WebsiteConfiguration><IndexDocument><Suffix>i</Suffix></IndexDocument><RoutingRules><RoutingRule><Redirect><ReplaceKeyWith>a</ReplaceKeyWith><ReplaceKeyPrefixWith>b</ReplaceKeyPrefixWith></Redirect></RoutingRule></RoutingRules></WebsiteConfiguration>", "InvalidArgument" },
        { "<WebsiteConfiguration><IndexDocument><Suffix>i</Suffix></IndexDocument><RoutingRules><RoutingRule><Condition><KeyPrefixEquals>a</KeyPrefixEquals></Condition></RoutingRule></RoutingRules></WebsiteConfiguration>", "MalformedXML" },
        { "<WebsiteConfiguration><IndexDocument><Suffix>i</Suffix></IndexDocument><RoutingRules><RoutingRule><Redirect><HttpRedirectCode>200</HttpRedirectCode></Redirect></RoutingRule></RoutingRules></WebsiteConfiguration>", "InvalidArgument" },
        { "<WebsiteConfiguration><IndexDocument><Suffix>i</Suffix></IndexDocument><Colour>blue</Colour></WebsiteConfiguration>", "MalformedXML" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Configurations_S3_refuses_are_refused_and_change_nothing(string xml, string code)
    {
        using var http = new HttpClient();
        using var request = SignedHttp.Build(_server, "PUT", $"/{_bucket}?website", "s3", System.Text.Encoding.UTF8.GetBytes(xml), "application/xml");
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest && body.Contains($"<Code>{code}</Code>", StringComparison.Ordinal), $"{(int)response.StatusCode}: {body}");
        await AssertNoWebsite();
    }

    // Read off the wire: the SDK answers GetBucketWebsite's 404 with an empty configuration rather than an exception.
    private async Task AssertNoWebsite()
    {
        using var http = new HttpClient();
        using var response = await http.SendAsync(SignedHttp.Build(_server, "GET", $"/{_bucket}?website", "s3", [], null));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.NotFound && body.Contains("<Code>NoSuchWebsiteConfiguration</Code>", StringComparison.Ordinal), $"{(int)response.StatusCode}: {body}");
    }
}
