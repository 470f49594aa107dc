using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Stratus.Compatibility.Tests.S3;

/// <summary>The website endpoint (<c>bucket.s3-website.localhost</c>): what a browser gets from a bucket's website.</summary>
public sealed class WebsiteEndpointTests : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private static readonly HttpClient Http = new(new HttpClientHandler { AllowAutoRedirect = false });
    private readonly ServerFixture _server;
    private readonly AmazonS3Client _s3;
    private readonly string _bucket = S3ClientFactory.NewBucketName();

    public WebsiteEndpointTests(ServerFixture server)
    {
        _server = server;
        _s3 = S3ClientFactory.Create(server);
    }

    public async Task InitializeAsync()
    {
        await _s3.PutBucketAsync(_bucket);
        foreach (var (key, body) in new[] { ("index.html", "home"), ("docs/index.html", "docs home"), ("error.html", "not here"), ("new/page.html", "moved page") })
        {
            await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = key, ContentBody = body, ContentType = "text/html" });
        }

        await _s3.PutBucketWebsiteAsync(new PutBucketWebsiteRequest
        {
            BucketName = _bucket,
            WebsiteConfiguration = new WebsiteConfiguration
            {
                IndexDocumentSuffix = "index.html",
                ErrorDocument = "error.html",
                RoutingRules =
                [
                    new RoutingRule { Condition = new RoutingRuleCondition { KeyPrefixEquals = "old/" }, Redirect = new RoutingRuleRedirect { ReplaceKeyPrefixWith = "new/" } },
                    new RoutingRule { Condition = new RoutingRuleCondition { KeyPrefixEquals = "gone/", HttpErrorCodeReturnedEquals = "404" }, Redirect = new RoutingRuleRedirect { HostName = "example.com", HttpRedirectCode = "302" } },
                ],
            },
        });
    }

    public Task DisposeAsync()
    {
        _s3.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_private_bucket_answers_403_in_HTML()
    {
        using var response = await Visit("GET", "/");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.StartsWith("text/html", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.Contains("AccessDenied", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_public_bucket_serves_index_documents_folders_and_its_error_document()
    {
        await MakePublic();

        Assert.Equal((HttpStatusCode.OK, "home"), await Read("/"));
        Assert.Equal((HttpStatusCode.OK, "docs home"), await Read("/docs/"));
        using (var folder = await Visit("GET", "/docs"))
        {
            Assert.Equal(HttpStatusCode.Found, folder.StatusCode);
            Assert.Equal("/docs/", folder.Headers.Location?.ToString());
        }

        Assert.Equal((HttpStatusCode.NotFound, "not here"), await Read("/missing.html"));
        using var head = await Visit("HEAD", "/index.html");
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(4, head.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task Routing_rules_redirect_by_prefix_and_by_error_code()
    {
        await MakePublic();

        using (var moved = await Visit("GET", "/old/page.html"))
        {
            Assert.Equal(HttpStatusCode.MovedPermanently, moved.StatusCode);
            Assert.EndsWith("/new/page.html", moved.Headers.Location?.ToString(), StringComparison.Ordinal);
        }

        using var gone = await Visit("GET", "/gone/thing");
        Assert.Equal(HttpStatusCode.Found, gone.StatusCode);
        Assert.Equal("http://example.com/gone/thing", gone.Headers.Location?.ToString());
    }

    [Fact]
    public async Task Writes_and_buckets_without_a_website_are_refused_in_HTML()
    {
        using (var put = await Visit("PUT", "/index.html"))
        {
            Assert.Equal(HttpStatusCode.MethodNotAllowed, put.StatusCode);
        }

        var plain = S3ClientFactory.NewBucketName();
        await _s3.PutBucketAsync(plain);
        using var none = await Visit("GET", "/", plain);
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        Assert.Contains("NoSuchWebsiteConfiguration", await none.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bucket_that_redirects_every_request_sends_each_path_on()
    {
        var bucket = S3ClientFactory.NewBucketName();
        await _s3.PutBucketAsync(bucket);
        await _s3.PutBucketWebsiteAsync(new PutBucketWebsiteRequest
        {
            BucketName = bucket,
            WebsiteConfiguration = new WebsiteConfiguration { RedirectAllRequestsTo = new RoutingRuleRedirect { HostName = "www.example.com", Protocol = "https" } },
        });

        using var response = await Visit("GET", "/a/b.html", bucket);
        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("https://www.example.com/a/b.html", response.Headers.Location?.ToString());
    }

    private Task<PutBucketPolicyResponse> MakePublic() => _s3.PutBucketPolicyAsync(_bucket, $$"""
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::{{_bucket}}/*"}]}
        """);

    private async Task<(HttpStatusCode, string)> Read(string path)
    {
        using var response = await Visit("GET", path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private Task<HttpResponseMessage> Visit(string method, string path, string? bucket = null)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), _server.ServiceUrl + path);
        request.Headers.Host = $"{bucket ?? _bucket}.s3-website.localhost:{_server.Endpoint.Port}";
        return Http.SendAsync(request);
    }
}
