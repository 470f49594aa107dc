using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Stratus.Compatibility.Tests.S3;

/// <summary>Bucket CORS: the configuration API, and the answers a browser gets to its preflights and ordinary requests.</summary>
public sealed class BucketCorsTests : IClassFixture<ServerFixture>
{
    private static readonly HttpClient Http = new();
    private readonly ServerFixture _server;

    public BucketCorsTests(ServerFixture server) => _server = server;

    private static CORSConfiguration Configuration(params CORSRule[] rules) => new() { Rules = [.. rules] };

    [Fact]
    public async Task Put_get_and_delete_round_trip_the_rules()
    {
        using var s3 = S3ClientFactory.Create(_server);
        var bucket = S3ClientFactory.NewBucketName();
        await s3.PutBucketAsync(bucket);
        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetCORSConfigurationAsync(bucket));
        Assert.Equal("NoSuchCORSConfiguration", missing.ErrorCode);

        await s3.PutCORSConfigurationAsync(new PutCORSConfigurationRequest
        {
            BucketName = bucket,
            Configuration = Configuration(
                new CORSRule { Id = "web", AllowedMethods = ["GET", "PUT"], AllowedOrigins = ["https://app.example"], AllowedHeaders = ["*"], ExposeHeaders = ["ETag"], MaxAgeSeconds = 600 },
                new CORSRule { AllowedMethods = ["GET"], AllowedOrigins = ["*"] }),
        });
        var stored = (await s3.GetCORSConfigurationAsync(bucket)).Configuration.Rules;
        Assert.Equal(2, stored.Count);
        Assert.Equal("web", stored[0].Id);
        Assert.Equal(["GET", "PUT"], stored[0].AllowedMethods);
        Assert.Equal(["https://app.example"], stored[0].AllowedOrigins);
        Assert.Equal(["*"], stored[0].AllowedHeaders);
        Assert.Equal(["ETag"], stored[0].ExposeHeaders);
        Assert.Equal(600, stored[0].MaxAgeSeconds);
        Assert.Equal(["*"], stored[1].AllowedOrigins);

        await s3.DeleteCORSConfigurationAsync(bucket);
        Assert.Equal("NoSuchCORSConfiguration", (await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetCORSConfigurationAsync(bucket))).ErrorCode);
    }

    [Fact]
    public async Task Invalid_rules_are_refused_as_AWS_refuses_them()
    {
        using var s3 = S3ClientFactory.Create(_server);
        var bucket = S3ClientFactory.NewBucketName();
        await s3.PutBucketAsync(bucket);

        async Task<AmazonS3Exception> Refused(params CORSRule[] rules) =>
            await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutCORSConfigurationAsync(new PutCORSConfigurationRequest { BucketName = bucket, Configuration = Configuration(rules) }));

        var method = await Refused(new CORSRule { AllowedMethods = ["PATCH"], AllowedOrigins = ["*"] });
        Assert.Equal("InvalidRequest", method.ErrorCode);
        Assert.Contains("Unsupported method is PATCH", method.Message, StringComparison.Ordinal);
        Assert.Equal("InvalidRequest", (await Refused(new CORSRule { AllowedMethods = ["GET"], AllowedOrigins = ["https://*.example.*"] })).ErrorCode);
        var tooMany = Enumerable.Range(0, 101).Select(_ => new CORSRule { AllowedMethods = ["GET"], AllowedOrigins = ["*"] }).ToArray();
        Assert.Equal("MalformedXML", (await Refused(tooMany)).ErrorCode);

        using var raw = SignedHttp.Build(_server, "PUT", $"/{bucket}?cors=", "s3", "<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>"u8.ToArray(), "application/xml");
        using var noOrigin = await Http.SendAsync(raw);
        Assert.Equal(HttpStatusCode.BadRequest, noOrigin.StatusCode);
        Assert.Contains("<Code>MalformedXML</Code>", await noOrigin.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal("NoSuchBucket", (await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetCORSConfigurationAsync("no-such-bucket-cors"))).ErrorCode);
    }

    [Fact]
    public async Task A_preflight_is_answered_from_the_first_matching_rule_and_refused_otherwise()
    {
        using var s3 = S3ClientFactory.Create(_server);
        var bucket = S3ClientFactory.NewBucketName();
        await s3.PutBucketAsync(bucket);

        using (var none = await Preflight($"/{bucket}/photo.jpg", "https://app.example", "GET"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, none.StatusCode);
            Assert.Contains("CORSResponse: CORS is not enabled for this bucket.", await none.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await s3.PutCORSConfigurationAsync(new PutCORSConfigurationRequest
        {
            BucketName = bucket,
            Configuration = Configuration(
                new CORSRule { AllowedMethods = ["PUT", "POST"], AllowedOrigins = ["https://*.example"], AllowedHeaders = ["content-type", "x-amz-*"], ExposeHeaders = ["ETag", "x-amz-request-id"], MaxAgeSeconds = 3000 },
                new CORSRule { AllowedMethods = ["GET"], AllowedOrigins = ["*"] }),
        });

        using (var put = await Preflight($"/{bucket}/photo.jpg", "https://app.example", "PUT", "Content-Type, X-Amz-Date"))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            Assert.Equal("https://app.example", Header(put, "Access-Control-Allow-Origin"));
            Assert.Equal("PUT, POST", Header(put, "Access-Control-Allow-Methods"));
            Assert.Equal("content-type, x-amz-date", Header(put, "Access-Control-Allow-Headers"));
            Assert.Equal("3000", Header(put, "Access-Control-Max-Age"));
            Assert.Equal("ETag, x-amz-request-id", Header(put, "Access-Control-Expose-Headers"));
            Assert.Equal("true", Header(put, "Access-Control-Allow-Credentials"));
            Assert.Contains("Origin", Header(put, "Vary"), StringComparison.Ordinal);
        }

        using (var get = await Preflight($"/{bucket}", "https://anywhere.test", "GET"))
        {
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            Assert.Equal("*", Header(get, "Access-Control-Allow-Origin"));
            Assert.Equal("GET", Header(get, "Access-Control-Allow-Methods"));
        }

        // A header no rule allows, a method no rule allows for the origin, an origin no rule names.
        foreach (var (origin, method, headers) in new[] { ("https://app.example", "PUT", "x-custom"), ("https://anywhere.test", "DELETE", ""), ("https://app.example.evil", "PUT", "") })
        {
            using var refused = await Preflight($"/{bucket}/photo.jpg", origin, method, headers);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            var body = await refused.Content.ReadAsStringAsync();
            Assert.Contains("<Code>AccessForbidden</Code>", body, StringComparison.Ordinal);
            Assert.Contains("CORSResponse: This CORS request is not allowed.", body, StringComparison.Ordinal);
            Assert.Contains("<ResourceType>OBJECT</ResourceType>", body, StringComparison.Ordinal);
        }

        using (var noOrigin = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Options, new Uri(_server.Endpoint, $"/{bucket}/photo.jpg"))))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noOrigin.StatusCode);
        }

        using var noBucket = await Preflight("/no-such-bucket-preflight/x", "https://app.example", "GET");
        Assert.Equal(HttpStatusCode.Forbidden, noBucket.StatusCode);
    }

    [Fact]
    public async Task Ordinary_requests_with_a_matching_origin_carry_the_CORS_headers()
    {
        using var s3 = S3ClientFactory.Create(_server);
        var bucket = S3ClientFactory.NewBucketName();
        await s3.PutBucketAsync(bucket);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "page.html", ContentBody = "<p>hi</p>" });
        await s3.PutBucketPolicyAsync(bucket, $$"""
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::{{bucket}}/*"}]}
            """);
        await s3.PutCORSConfigurationAsync(new PutCORSConfigurationRequest
        {
            BucketName = bucket,
            Configuration = Configuration(new CORSRule { AllowedMethods = ["GET"], AllowedOrigins = ["https://app.example"], ExposeHeaders = ["ETag"] }),
        });

        using (var matching = await Get($"/{bucket}/page.html", "https://app.example"))
        {
            Assert.Equal(HttpStatusCode.OK, matching.StatusCode);
            Assert.Equal("https://app.example", Header(matching, "Access-Control-Allow-Origin"));
            Assert.Equal("GET", Header(matching, "Access-Control-Allow-Methods"));
            Assert.Equal("ETag", Header(matching, "Access-Control-Expose-Headers"));
            Assert.Contains("Origin", Header(matching, "Vary"), StringComparison.Ordinal);
            Assert.Equal("<p>hi</p>", await matching.Content.ReadAsStringAsync());
        }

        using (var other = await Get($"/{bucket}/page.html", "https://other.example"))
        {
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);
            Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
        }

        using (var plain = await Get($"/{bucket}/page.html", null))
        {
            Assert.False(plain.Headers.Contains("Access-Control-Allow-Origin"));
        }

        // Errors carry them too, so the page can read why: a missing key, and a listing the policy does not allow.
        using (var missing = await Get($"/{bucket}/nothing-here", "https://app.example"))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Equal("https://app.example", Header(missing, "Access-Control-Allow-Origin"));
        }

        using var denied = await Get($"/{bucket}?list-type=2", "https://app.example");
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal("https://app.example", Header(denied, "Access-Control-Allow-Origin"));
    }

    private async Task<HttpResponseMessage> Preflight(string path, string origin, string method, string headers = "")
    {
        var request = new HttpRequestMessage(HttpMethod.Options, new Uri(_server.Endpoint, path));
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        if (headers.Length > 0)
        {
            request.Headers.Add("Access-Control-Request-Headers", headers);
        }

        using (request)
        {
            return await Http.SendAsync(request);
        }
    }

    private async Task<HttpResponseMessage> Get(string path, string? origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_server.Endpoint, path));
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return await Http.SendAsync(request);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : "";
    [Fact]
    public async Task A_preflight_on_a_virtual_host_style_URL_finds_its_bucket()
    {
        using var s3 = S3ClientFactory.Create(_server);
        var bucket = S3ClientFactory.NewBucketName();
        await s3.PutBucketAsync(bucket);
        await s3.PutCORSConfigurationAsync(new PutCORSConfigurationRequest
        {
            BucketName = bucket,
            Configuration = Configuration(new CORSRule { AllowedMethods = ["HEAD"], AllowedOrigins = ["http://localhost:*"] }),
        });
        using var request = new HttpRequestMessage(HttpMethod.Options, new Uri(_server.Endpoint, "/some/key.txt"));
        request.Headers.Host = $"{bucket}.s3.localhost:{_server.Endpoint.Port}";
        request.Headers.Add("Origin", "http://localhost:3000");
        request.Headers.Add("Access-Control-Request-Method", "HEAD");
        using var response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("http://localhost:3000", Header(response, "Access-Control-Allow-Origin"));
    }
}
