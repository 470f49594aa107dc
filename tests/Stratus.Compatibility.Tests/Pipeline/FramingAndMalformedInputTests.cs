using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;

namespace Stratus.Compatibility.Tests.Pipeline;

/// <summary>Bad input gets the protocol's own error, never a 500, a stack trace or a hang.</summary>
public sealed class FramingAndMalformedInputTests : IClassFixture<ServerFixture>
{
    private static readonly HttpClient Http = new();
    private readonly ServerFixture _server;

    public FramingAndMalformedInputTests(ServerFixture server) => _server = server;

    [Fact]
    public async Task A_refusal_before_an_expected_body_is_sent_closes_the_connection_so_the_next_request_is_not_read_as_that_body()
    {
        // botocore sends PutObject with Expect: 100-continue and keeps its body when the answer comes first; the
        // connection must not be kept alive, or its next request would be taken for the body.
        var host = _server.Endpoint.Authority;
        var raw = $"PUT /no-such-bucket-for-expect/key HTTP/1.1\r\nHost: {host}\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n";
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(_server.Endpoint.Host, _server.Endpoint.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(raw));

        // Read until the server ends the connection (a reset after the answer counts as ending it).
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (IOException)
        {
        }

        var response = Encoding.ASCII.GetString(received.ToArray());
        Assert.StartsWith("HTTP/1.1 4", response, StringComparison.Ordinal);
        Assert.Contains("Connection: close", response, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Content_length_with_transfer_encoding_is_refused()
    {
        var host = _server.Endpoint.Authority;
        var raw = $"POST / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nAction\r\n0\r\n\r\n";
        var response = await SignedHttp.RawAsync(_server, Encoding.ASCII.GetBytes(raw));
        Assert.StartsWith("HTTP/1.1 400", response, StringComparison.Ordinal);
        Assert.Contains("both Content-Length and Transfer-Encoding", response, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_header_section_over_the_limit_gets_the_query_protocols_error()
    {
        using var request = SignedHttp.Build(_server, "POST", "/", "sts", "Action=GetCallerIdentity&Version=2011-06-15"u8.ToArray(), "application/x-www-form-urlencoded");
        request.Headers.TryAddWithoutValidation("x-padding", new string('a', 20 * 1024));
        using var response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
        var xml = XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("RequestHeaderSectionTooLarge", xml.Descendants().First(e => e.Name.LocalName == "Code").Value);
    }

    [Fact]
    public async Task An_s3_header_section_over_8_KiB_gets_S3s_error()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_server.Endpoint, "/bucket/key"));
        request.Headers.TryAddWithoutValidation("x-amz-meta-padding", new string('a', 9 * 1024));
        using var response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var xml = XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("RequestHeaderSectionTooLarge", xml.Root!.Element("Code")!.Value);
        Assert.Equal("8192", xml.Root.Element("MaxSizeAllowed")!.Value);
        Assert.True(response.Headers.Contains("x-amz-request-id"));
    }

    [Fact]
    public async Task A_body_over_the_services_limit_is_refused_without_reading_it_all()
    {
        var body = new byte[3 * 1024 * 1024];
        "Action=GetCallerIdentity&x="u8.CopyTo(body);
        body.AsSpan(27).Fill((byte)'a');
        using var request = SignedHttp.Build(_server, "POST", "/", "sts", body, "application/x-www-form-urlencoded");
        using var response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("RequestEntityTooLarge", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"TableName\": ")]
    [InlineData("[1, 2]")]
    [InlineData("not json")]
    public async Task Malformed_json_is_a_SerializationException_that_says_what_is_wrong(string body)
    {
        using var request = SignedHttp.Build(
            _server,
            "POST",
            "/",
            "dynamodb",
            Encoding.UTF8.GetBytes(body),
            "application/x-amz-json-1.0",
            [new("X-Amz-Target", "DynamoDB_20120810.ListTables")]);
        using var response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.EndsWith("#SerializationException", json.RootElement.GetProperty("__type").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(json.RootElement.GetProperty("message").GetString()));
        Assert.True(response.Headers.Contains("x-amzn-RequestId"));
    }

    [Fact]
    public async Task A_wrong_sigv2_signature_on_S3_is_SignatureDoesNotMatch_with_the_string_to_sign()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_server.Endpoint, "/bucket/key"));
        request.Headers.TryAddWithoutValidation("Authorization", "AWS test:bm90LWEtc2lnbmF0dXJl");
        var date = DateTime.UtcNow.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        request.Headers.TryAddWithoutValidation("Date", date);
        using var response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("<Code>SignatureDoesNotMatch</Code>", text, StringComparison.Ordinal);
        Assert.Contains($"<StringToSign>GET\n\n\n{date}\n/bucket/key</StringToSign>", text, StringComparison.Ordinal);
        Assert.Contains("<StringToSignBytes>47 45 54", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sigv2_signature_outside_S3_gets_a_clear_error_saying_it_is_not_supported()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_server.Endpoint, "/"))
        {
            Content = new StringContent("Action=GetCallerIdentity&Version=2011-06-15", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "AWS test:bm90LWEtc2lnbmF0dXJl");
        request.Headers.TryAddWithoutValidation("Date", DateTime.UtcNow.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        using var response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("AWS4-HMAC-SHA256", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_json_operation_is_an_UnknownOperationException()
    {
        using var request = SignedHttp.Build(_server, "POST", "/", "dynamodb", "{}"u8.ToArray(), "application/x-amz-json-1.0", [new("X-Amz-Target", "DynamoDB_20120810.Teleport")]);
        using var response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("UnknownOperationException", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_query_action_is_InvalidAction()
    {
        using var request = SignedHttp.Build(_server, "POST", "/", "sts", "Action=Teleport&Version=2011-06-15"u8.ToArray(), "application/x-www-form-urlencoded");
        using var response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<Code>InvalidAction</Code>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_callers_are_denied_where_no_service_allows_them()
    {
        using var content = new StringContent("Action=GetCallerIdentity&Version=2011-06-15", Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await Http.PostAsync(_server.Endpoint, content);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("MissingAuthenticationToken", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_reports_version_uptime_and_services()
    {
        using var json = JsonDocument.Parse(await Http.GetStringAsync(new Uri(_server.Endpoint, "/_stratus/health")));
        Assert.Equal("ok", json.RootElement.GetProperty("status").GetString());
        Assert.True(json.RootElement.TryGetProperty("uptimeSeconds", out _));
        Assert.Equal("running", json.RootElement.GetProperty("services").GetProperty("sts").GetProperty("state").GetString());
    }

    [Fact]
    public async Task Metrics_count_requests_by_service_operation_and_status()
    {
        using (var sts = Sts.GetCallerIdentityTests.Client(_server, "test", "test"))
        {
            await sts.GetCallerIdentityAsync(new Amazon.SecurityToken.Model.GetCallerIdentityRequest());
        }

        var text = await Http.GetStringAsync(new Uri(_server.Endpoint, "/_stratus/metrics"));
        Assert.Contains("stratus_requests", text, StringComparison.Ordinal);
        Assert.Contains("operation=\"GetCallerIdentity\"", text, StringComparison.Ordinal);
        Assert.Contains("stratus_request_duration_seconds_bucket", text, StringComparison.Ordinal);
        Assert.Contains("stratus_lsm_level_files", text, StringComparison.Ordinal);
        Assert.Contains("stratus_lsm_write_amplification", text, StringComparison.Ordinal);
    }
}
