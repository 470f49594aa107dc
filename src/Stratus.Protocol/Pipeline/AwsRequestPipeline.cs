using System.Buffers;
using System.Collections.Frozen;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Stratus.Core;
using Stratus.Protocol.Catalog;
using Stratus.Protocol.Codecs;
using Stratus.Protocol.Routing;
using Stratus.Protocol.Services;

namespace Stratus.Protocol.Pipeline;

/// <summary>
/// The request pipeline, in the order of the architecture: framing guards, routing, authentication, decoding,
/// authorization, execution, encoding. Every failure leaves as the protocol's own error shape.
/// </summary>
public sealed class AwsRequestPipeline
{
    private static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = 64 };
    private static readonly JsonElement EmptyJsonObject = JsonDocument.Parse("{}").RootElement;

    private readonly FrozenDictionary<string, AwsService> _services;
    private readonly IRequestAuthenticator _authenticator;
    private readonly IAuthorizer _authorizer;
    private readonly PipelineOptions _options;
    private readonly TimeProvider _time;
    private readonly PipelineMetrics _metrics;
    private readonly ILogger _logger;

    public AwsRequestPipeline(
        IEnumerable<AwsService> services,
        IRequestAuthenticator authenticator,
        IAuthorizer authorizer,
        PipelineOptions options,
        TimeProvider time,
        PipelineMetrics metrics,
        ILogger<AwsRequestPipeline> logger)
    {
        ArgumentNullException.ThrowIfNull(services);
        _services = services.ToFrozenDictionary(s => s.Descriptor.Name, StringComparer.Ordinal);
        _authenticator = authenticator;
        _authorizer = authorizer;
        _options = options;
        _time = time;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>
    /// A client that sent <c>Expect: 100-continue</c> sends its body only once asked to (by the first read). When the
    /// answer comes without the body ever being read (an error before the handler, a refusal), the client keeps the
    /// body and, on a kept-alive connection, its next request would be read as this one's body: so the connection
    /// closes after this answer (RFC 9110 §10.1.1), as S3 does.
    /// </summary>
    private static Task CloseIfBodyNeverRequested(object state)
    {
        var http = (HttpContext)state;
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false }
            && (http.Request.ContentLength is > 0 || http.Request.Headers.TransferEncoding.Count > 0))
        {
            http.Response.Headers.Connection = "close";
        }

        return Task.CompletedTask;
    }

    /// <summary>Serves one HTTP request as an AWS API call.</summary>
    public async Task InvokeAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var started = Stopwatch.GetTimestamp();
        var request = http.Request;
        var rawTarget = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.Value ?? "/";
        var queryAt = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var rawPath = queryAt < 0 ? rawTarget : rawTarget[..queryAt];
        var rawQuery = queryAt < 0 ? "" : rawTarget[(queryAt + 1)..];

        var scopeService = CredentialScopeSniffer.ServiceOf(request);
        var protocol = GuessProtocol(request, scopeService);
        var serviceName = protocol == ServiceProtocol.RestXml ? "s3" : scopeService;
        var operationName = "";
        var requestId = protocol == ServiceProtocol.RestXml ? RequestId.NewS3() : RequestId.NewUuid();
        var principal = "anonymous";
        byte[]? rented = null;
        if (request.Headers.Expect.Count > 0)
        {
            http.Response.OnStarting(CloseIfBodyNeverRequested, http);
        }

        try
        {
            CheckFraming(request, protocol);
            if (S3HostStyle.WebsiteBucketOf(request.Host.Value ?? "") is { } site && _services.GetValueOrDefault("s3") is IStaticWebsite website)
            {
                // A static-website host: anonymous reads answered in HTML, no operation of any model.
                serviceName = "s3";
                operationName = "Website";
                ResponseEncoder.SetRequestIdHeaders(http.Response, ServiceProtocol.RestXml, requestId);
                var s3 = ServiceCatalog.Get("s3");
                var read = new RouteResult(s3, ServiceProtocol.RestXml, "GetObject", s3.OperationsByName["GetObject"]);
                var visitor = new RequestContext(http, requestId, read, _time) { DefaultAccount = _options.DefaultAccount, Region = _options.Region, Authorizer = _authorizer };
                await website.ServeAsync(visitor, site, rawPath).ConfigureAwait(false);
                return;
            }

            if (CrossOriginHook.IsPreflight(request, scopeService))
            {
                serviceName = "s3";
                operationName = CrossOriginHook.PreflightOperation;
                ResponseEncoder.SetRequestIdHeaders(http.Response, ServiceProtocol.RestXml, requestId);
                CrossOriginHook.AnswerPreflight(http, rawPath, _services.GetValueOrDefault("s3") as ICrossOriginPolicy);
                return;
            }

            ReadOnlyMemory<byte>? buffered = null;
            if (RequestRouter.NeedsBufferedBody(request, scopeService))
            {
                (rented, var length) = await ReadBodyAsync(request, protocol, serviceName ?? "", http.RequestAborted).ConfigureAwait(false);
                buffered = rented.AsMemory(0, length);
            }

            var route = RequestRouter.Route(request, rawPath, rawQuery, scopeService, buffered is { } b ? b.Span : default);
            protocol = route.Protocol;
            serviceName = route.Service.Name;
            operationName = route.OperationName;
            if (protocol == ServiceProtocol.RestXml && requestId.Length != 16)
            {
                requestId = RequestId.NewS3();
            }

            ResponseEncoder.SetRequestIdHeaders(http.Response, protocol, requestId);
            CrossOriginHook.AddResponseHeaders(http, route, _services.GetValueOrDefault(route.Service.Name));
            var context = new RequestContext(http, requestId, route, _time) { DefaultAccount = _options.DefaultAccount };
            context.Region = _options.Region;

            var authentication = _authenticator.Authenticate(context, rawPath, rawQuery, buffered);
            context.Caller = authentication.Caller;
            context.Credential = authentication.Credential;
            if (authentication.Region is not null)
            {
                context.Region = authentication.Region;
            }

            principal = authentication.Caller.Arn;

            // The body's syntax is checked before dispatch, as AWS does: a malformed body is a malformed body,
            // whatever operation it was sent to.
            var json = ParseJson(protocol, buffered);
            if (route.Operation is null
                || !_services.TryGetValue(route.Service.Name, out var service)
                || !service.TryGetOperation(route.Operation.Name, out var operation))
            {
                throw ProtocolErrors.UnknownOperation(protocol, route.Service.Name, route.OperationName, route.Operation is not null);
            }

            var input = new OperationInput(
                context,
                route.Parameters,
                json,
                authentication.Body ?? (buffered is { } body ? new MemoryStream(rented!, 0, body.Length, writable: false) : request.Body));
            var typed = operation.Decode(input);

            // Anonymous callers go to the authorizer too: a resource policy that allows "*" (a public bucket) lets them in.
            var authorization = operation.Authorization(typed, context);
            context.Authorizer = _authorizer;
            context.Authenticator = _authenticator;
            var decision = authorization.AuthorizedByOperation || (authorization.NoPermissionRequired && !context.Caller.IsAnonymous)
                ? AuthorizationDecision.Allow
                : _authorizer.Authorize(context, authorization);
            if (!decision.Allowed)
            {
                throw context.Caller.IsAnonymous
                    ? ProtocolErrors.MissingAuthentication(protocol)
                    : ProtocolErrors.AccessDenied(protocol, route.Service.Name, decision.Reason ?? "Access Denied");
            }

            var result = await operation.ExecuteAsync(typed, context, http.RequestAborted).ConfigureAwait(false);
            await ResponseEncoder.WriteAsync(context, result).ConfigureAwait(false);
        }
        catch (AwsException error)
        {
            await ResponseEncoder.WriteErrorAsync(http, protocol, serviceName, error, requestId).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is no one left to answer.
        }
        catch (BadHttpRequestException error) when (!http.Response.HasStarted)
        {
            // Kestrel refused the body as it was read: it ended before its Content-Length (the client stopped sending),
            // or its chunked framing was broken. The client may still be reading.
            await ResponseEncoder.WriteErrorAsync(http, protocol, serviceName, ProtocolErrors.IncompleteBody(error.StatusCode), requestId).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            _logger.LogError(error, "Request {RequestId} {Service}.{Operation} failed", requestId, serviceName, operationName);
            await ResponseEncoder.WriteErrorAsync(http, protocol, serviceName, ProtocolErrors.Internal(protocol), requestId).ConfigureAwait(false);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            var status = http.Response.StatusCode;
            _metrics.Record(serviceName ?? "unknown", operationName, status, elapsed.TotalSeconds);
            _logger.LogInformation(
                "{RequestId} {Service}.{Operation} {Principal} -> {Status} in {LatencyMs:F2} ms",
                requestId,
                serviceName ?? "unknown",
                operationName,
                principal,
                status,
                elapsed.TotalMilliseconds);
        }
    }

    private static ServiceProtocol GuessProtocol(HttpRequest request, string? scopeService)
    {
        if (request.Headers.ContainsKey("X-Amz-Target"))
        {
            return ServiceProtocol.Json10;
        }

        if (scopeService is not null && scopeService != "s3" && ServiceCatalog.TryGetBySigningName(scopeService, out var service))
        {
            // SQS without X-Amz-Target is one of its older, query-protocol clients.
            return service.Name == "sqs" ? ServiceProtocol.Query : service.Protocol;
        }

        return RequestRouter.NeedsBufferedBody(request, scopeService) ? ServiceProtocol.Query : ServiceProtocol.RestXml;
    }

    private void CheckFraming(HttpRequest request, ServiceProtocol protocol)
    {
        var headers = request.Headers;
        // Kestrel honours Transfer-Encoding and renames a conflicting Content-Length to X-Content-Length; either way the
        // framing is ambiguous (a request-smuggling shape), so it is refused rather than guessed at.
        if (headers.ContainsKey("Transfer-Encoding") && (headers.ContainsKey("Content-Length") || headers.ContainsKey("X-Content-Length")))
        {
            throw ProtocolErrors.BadFraming(protocol, "A request may not carry both Content-Length and Transfer-Encoding.");
        }

        var limit = protocol == ServiceProtocol.RestXml ? _options.S3MaxHeaderBytes : _options.MaxHeaderBytes;
        var total = 0;
        foreach (var header in headers)
        {
            total += header.Key.Length + 4;
            foreach (var value in header.Value)
            {
                total += value?.Length ?? 0;
            }
        }

        if (total > limit)
        {
            throw ProtocolErrors.HeadersTooLarge(protocol, limit);
        }

        if (protocol == ServiceProtocol.RestXml && request.ContentLength > _options.S3MaxBodyBytes)
        {
            throw ProtocolErrors.BodyTooLarge(protocol, _options.S3MaxBodyBytes);
        }
    }

    private async Task<(byte[] Buffer, int Length)> ReadBodyAsync(HttpRequest request, ServiceProtocol protocol, string service, CancellationToken cancellationToken)
    {
        var limit = _options.MaxBufferedBodyBytes(service);
        if (request.ContentLength > limit)
        {
            throw ProtocolErrors.BodyTooLarge(protocol, limit);
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(request.ContentLength ?? 4096, 16, limit));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length >= limit)
                    {
                        // One byte more than the limit proves the body is too large without reading it all.
                        var probe = new byte[1];
                        if (await request.Body.ReadAsync(probe, cancellationToken).ConfigureAwait(false) > 0)
                        {
                            throw ProtocolErrors.BodyTooLarge(protocol, limit);
                        }

                        break;
                    }

                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length, (int)Math.Min(buffer.Length, limit) - length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }

            return (buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private static JsonElement ParseJson(ServiceProtocol protocol, ReadOnlyMemory<byte>? body)
    {
        if (protocol is not (ServiceProtocol.Json10 or ServiceProtocol.Json11 or ServiceProtocol.RestJson) || body is not { Length: > 0 } bytes)
        {
            return EmptyJsonObject;
        }

        try
        {
            using var document = JsonDocument.Parse(bytes, JsonOptions);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw ProtocolErrors.Serialization(protocol, $"The request body must be a JSON object, not {document.RootElement.ValueKind}.");
            }

            return document.RootElement.Clone();
        }
        catch (JsonException error)
        {
            throw ProtocolErrors.Serialization(protocol, $"The request body is not valid JSON: {error.Message}");
        }
    }
}
