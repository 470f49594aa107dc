using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Stratus.Core;
using Stratus.Protocol.Auth;
using Stratus.Protocol.Catalog;
using Stratus.Protocol.Codecs;
using Stratus.Protocol.Pipeline;
using Stratus.Protocol.Services;

namespace Stratus.Protocol.Tests.Pipeline;

/// <summary>The pipeline end to end in process: signed requests in, protocol-shaped answers out.</summary>
public sealed class AwsRequestPipelineTests
{
    private readonly RecordingLogger _log = new();
    private readonly AwsRequestPipeline _pipeline;
    private bool _deny;

    public AwsRequestPipelineTests()
    {
        var credentials = new Store(new SigningCredential("AKIDTEST", "secret", new CallerIdentity("000000000000", "arn:aws:iam::000000000000:root", "000000000000", PrincipalType.Account)));
        _pipeline = new AwsRequestPipeline(
            [new TestJsonService(), new TestQueryService()],
            new SigV4Authenticator(credentials, TimeProvider.System),
            new DelegateAuthorizer(() => _deny),
            new PipelineOptions(),
            TimeProvider.System,
            new PipelineMetrics(),
            _log);
    }

    [Fact]
    public async Task A_signed_json_request_is_decoded_executed_and_encoded()
    {
        var http = await SendJson("GetItem", """{"TableName": "orders"}""");
        Assert.Equal(200, http.Response.StatusCode);
        Assert.Equal("application/x-amz-json-1.0", http.Response.ContentType);
        using var json = JsonDocument.Parse(Body(http));
        Assert.Equal("orders", json.RootElement.GetProperty("Table").GetString());
        Assert.Equal("arn:aws:iam::000000000000:root", json.RootElement.GetProperty("Caller").GetString());
        Assert.False(string.IsNullOrEmpty(http.Response.Headers["x-amzn-RequestId"]));
    }

    [Fact]
    public async Task A_query_result_comes_back_in_its_envelope_with_the_request_id()
    {
        var http = await SendQuery("Action=GetSessionToken&Version=2011-06-15&DurationSeconds=900");
        Assert.Equal(200, http.Response.StatusCode);
        var xml = XDocument.Parse(Body(http));
        XNamespace ns = "https://sts.amazonaws.com/doc/2011-06-15/";
        Assert.Equal(ns + "GetSessionTokenResponse", xml.Root!.Name);
        Assert.Equal("900", xml.Root.Element(ns + "GetSessionTokenResult")!.Element(ns + "Duration")!.Value);
        Assert.Equal(http.Response.Headers["x-amzn-RequestId"].ToString(), xml.Root.Element(ns + "ResponseMetadata")!.Element(ns + "RequestId")!.Value);
    }

    [Fact]
    public async Task A_missing_required_member_is_a_ValidationException_naming_it()
    {
        var http = await SendJson("GetItem", "{}");
        Assert.Equal(400, http.Response.StatusCode);
        using var json = JsonDocument.Parse(Body(http));
        Assert.EndsWith("#ValidationException", json.RootElement.GetProperty("__type").GetString(), StringComparison.Ordinal);
        Assert.Contains("TableName", json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_member_of_the_wrong_type_is_a_SerializationException()
    {
        var http = await SendJson("GetItem", """{"TableName": 42}""");
        Assert.Equal(400, http.Response.StatusCode);
        Assert.Contains("SerializationException", Body(http), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_query_parameter_out_of_range_is_a_ValidationError()
    {
        var http = await SendQuery("Action=GetSessionToken&Version=2011-06-15&DurationSeconds=5");
        Assert.Equal(400, http.Response.StatusCode);
        Assert.Contains("<Code>ValidationError</Code>", Body(http), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unexpected_exception_is_a_500_with_a_request_id_and_no_stack_trace()
    {
        var http = await SendJson("DeleteItem", """{"TableName": "t"}""");
        Assert.Equal(500, http.Response.StatusCode);
        var body = Body(http);
        Assert.Contains("InternalFailure", body, StringComparison.Ordinal);
        Assert.DoesNotContain("boom", body, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(http.Response.Headers["x-amzn-RequestId"]));
        Assert.Contains(_log.Errors, e => e is InvalidOperationException { Message: "boom" });
    }

    [Fact]
    public async Task An_AwsException_from_a_handler_keeps_its_code_and_status()
    {
        var http = await SendJson("DescribeTable", """{"TableName": "missing"}""");
        Assert.Equal(400, http.Response.StatusCode);
        Assert.Contains("#ResourceNotFoundException", Body(http), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_authorizers_denial_is_AccessDeniedException()
    {
        _deny = true;
        var http = await SendJson("GetItem", """{"TableName": "orders"}""");
        Assert.Equal(400, http.Response.StatusCode);
        Assert.Contains("#AccessDeniedException", Body(http), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_callers_are_refused_unless_the_operation_lets_them_through()
    {
        var refused = Unsigned("Action=GetSessionToken&Version=2011-06-15");
        await _pipeline.InvokeAsync(refused);
        Assert.Equal(403, refused.Response.StatusCode);
        Assert.Contains("MissingAuthenticationToken", Body(refused), StringComparison.Ordinal);

        var allowed = Unsigned("Action=AssumeRoleWithWebIdentity&Version=2011-06-15");
        await _pipeline.InvokeAsync(allowed);
        Assert.Equal(200, allowed.Response.StatusCode);
    }

    [Fact]
    public async Task A_tampered_body_fails_the_signature()
    {
        var http = Signed("POST", "dynamodb", """{"TableName": "orders"}"""u8.ToArray(), "application/x-amz-json-1.0", [new("X-Amz-Target", "DynamoDB_20120810.GetItem")]);
        http.Request.Body = new MemoryStream("""{"TableName": "orderz"}"""u8.ToArray());
        await _pipeline.InvokeAsync(http);
        Assert.Equal(400, http.Response.StatusCode);
        Assert.Contains("InvalidSignatureException", Body(http), StringComparison.Ordinal);
    }

    private async Task<DefaultHttpContext> SendJson(string operation, string json)
    {
        var http = Signed("POST", "dynamodb", Encoding.UTF8.GetBytes(json), "application/x-amz-json-1.0", [new("X-Amz-Target", "DynamoDB_20120810." + operation)]);
        await _pipeline.InvokeAsync(http);
        return http;
    }

    private async Task<DefaultHttpContext> SendQuery(string form)
    {
        var http = Signed("POST", "sts", Encoding.UTF8.GetBytes(form), "application/x-www-form-urlencoded", []);
        await _pipeline.InvokeAsync(http);
        return http;
    }

    private static DefaultHttpContext Unsigned(string form)
    {
        var http = Context("POST", [new("Host", "localhost"), new("Content-Type", "application/x-www-form-urlencoded")], Encoding.UTF8.GetBytes(form));
        return http;
    }

    private static DefaultHttpContext Signed(string method, string service, byte[] body, string contentType, KeyValuePair<string, string>[] extra)
    {
        var headers = new List<KeyValuePair<string, string>> { new("Host", "localhost:4566"), new("Content-Type", contentType) };
        headers.AddRange(extra);
        var signed = new SigV4Signer(TimeProvider.System).Sign(
            new SignedRequest { Method = method, RawPath = "/", Headers = headers, PayloadHash = Convert.ToHexStringLower(SHA256.HashData(body)) },
            new SigV4SigningOptions { AccessKeyId = "AKIDTEST", SecretAccessKey = "secret", Region = "us-east-1", Service = service });
        return Context(method, signed.Request.Headers, body);
    }

    private static DefaultHttpContext Context(string method, IEnumerable<KeyValuePair<string, string>> headers, byte[] body)
    {
        var http = new DefaultHttpContext();
        http.Request.Method = method;
        http.Request.Path = "/";
        foreach (var (name, value) in headers)
        {
            http.Request.Headers.Append(name, value);
        }

        http.Request.ContentLength = body.Length;
        http.Request.Body = new MemoryStream(body);
        http.Features.Get<IHttpRequestFeature>()!.RawTarget = "/";
        http.Response.Body = new MemoryStream();
        return http;
    }

    private static string Body(HttpContext http) => Encoding.UTF8.GetString(((MemoryStream)http.Response.Body).ToArray());

    private sealed class TestJsonService : AwsService
    {
        public TestJsonService()
            : base(ServiceCatalog.Get("dynamodb"))
        {
            Register<string, TableAnswer>(
                "GetItem",
                static input => input.RequiredJsonString("TableName"),
                static (table, _) => AuthorizationRequest.ForAction("dynamodb:GetItem"),
                static (table, context, _) => ValueTask.FromResult(new TableAnswer(table, context.Caller.Arn)));
            Register<string, TableAnswer>(
                "DeleteItem",
                static input => input.RequiredJsonString("TableName"),
                static (_, _) => AuthorizationRequest.ForAction("dynamodb:DeleteItem"),
                static (_, _, _) => throw new InvalidOperationException("boom"));
            Register<string, TableAnswer>(
                "DescribeTable",
                static input => input.RequiredJsonString("TableName"),
                static (_, _) => AuthorizationRequest.ForAction("dynamodb:DescribeTable"),
                static (table, _, _) => throw new AwsException("ResourceNotFoundException", $"Requested resource not found: Table: {table} not found"));
        }
    }

    private sealed class TestQueryService : AwsService
    {
        public TestQueryService()
            : base(ServiceCatalog.Get("sts"))
        {
            Register<int, DurationAnswer>(
                "GetSessionToken",
                static input => input.IntegerParameter("DurationSeconds", 900, 129600) ?? 43200,
                static (_, _) => AuthorizationRequest.ForAction("sts:GetSessionToken"),
                static (duration, _, _) => ValueTask.FromResult(new DurationAnswer(duration)));
            Register<int, DurationAnswer>(
                "AssumeRoleWithWebIdentity",
                static _ => 0,
                static (_, _) => AuthorizationRequest.ForAction("sts:AssumeRoleWithWebIdentity") with { AnonymousAllowed = true },
                static (_, _, _) => ValueTask.FromResult(new DurationAnswer(0)));
        }
    }

    private sealed record TableAnswer(string Table, string Caller) : IJsonResponse
    {
        public void WriteJson(Utf8JsonWriter writer)
        {
            writer.WriteStartObject();
            writer.WriteString(nameof(Table), Table);
            writer.WriteString(nameof(Caller), Caller);
            writer.WriteEndObject();
        }
    }

    private sealed record DurationAnswer(int Seconds) : IQueryResponse
    {
        public void WriteResult(XmlWriter writer) => writer.WriteElementString("Duration", Seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private sealed class DelegateAuthorizer(Func<bool> deny) : IAuthorizer
    {
        public AuthorizationDecision Authorize(RequestContext context, AuthorizationRequest request) =>
            deny() || (context.Caller.IsAnonymous && !request.AnonymousAllowed)
                ? AuthorizationDecision.Deny("User is not authorized to perform: " + request.Action)
                : AuthorizationDecision.Allow;
    }

    private sealed class Store(SigningCredential credential) : ICredentialStore
    {
        public bool TryGetCredential(string accessKeyId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SigningCredential? found)
        {
            found = accessKeyId == credential.AccessKeyId ? credential : null;
            return found is not null;
        }
    }

    private sealed class RecordingLogger : ILogger<AwsRequestPipeline>
    {
        public List<Exception> Errors { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (exception is not null)
            {
                Errors.Add(exception);
            }
        }
    }
}
