using System.Net;
using Microsoft.AspNetCore.Http;
using Stratus.Protocol.Auth;
using Stratus.Protocol.Catalog;

namespace Stratus.Protocol.Pipeline;

/// <summary>Everything the pipeline knows about one request once it is routed and authenticated.</summary>
public sealed class RequestContext
{
    public RequestContext(HttpContext http, string requestId, RouteResult route, TimeProvider time)
    {
        Http = http;
        RequestId = requestId;
        Route = route;
        Time = time;
        ReceivedAt = time.GetUtcNow();
    }

    public HttpContext Http { get; }

    /// <summary>The id echoed in every response and error of this request.</summary>
    public string RequestId { get; }

    public RouteResult Route { get; }

    public ServiceDescriptor Service => Route.Service;

    /// <summary>The protocol this request speaks (SQS answers both JSON and query).</summary>
    public ServiceProtocol Protocol => Route.Protocol;

    public string OperationName => Route.OperationName;

    /// <summary>The verified caller, or <see cref="CallerIdentity.Anonymous"/>.</summary>
    public CallerIdentity Caller { get; internal set; } = CallerIdentity.Anonymous;

    /// <summary>The access key that signed the request, if any.</summary>
    public SigningCredential? Credential { get; internal set; }

    /// <summary>The region of the request: the signature's scope, else the server's region.</summary>
    public string Region { get; internal set; } = "us-east-1";

    /// <summary>The account whose resources the request acts on: the caller's, or the server's default for anonymous callers.</summary>
    public string Account => Caller.IsAnonymous ? DefaultAccount : Caller.Account;

    internal string DefaultAccount { get; set; } = Core.AccountId.Default;

    public TimeProvider Time { get; }

    /// <summary>When the request arrived, by the server clock.</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary>The caller's address (for <c>aws:SourceIp</c>).</summary>
    public IPAddress? SourceIp => Http.Connection.RemoteIpAddress;

    /// <summary>True over TLS (for <c>aws:SecureTransport</c>).</summary>
    public bool IsSecureTransport => Http.Request.IsHttps;
}
