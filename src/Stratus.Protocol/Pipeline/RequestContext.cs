using System.Net;
using Microsoft.AspNetCore.Http;
using Stratus.Protocol.Auth;
using Stratus.Protocol.Catalog;
using Stratus.Protocol.Services;

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

    internal IAuthorizer? Authorizer { get; set; }

    internal IRequestAuthenticator? Authenticator { get; set; }

    /// <summary>
    /// Authenticates an unsigned request by the signature in its form fields (an S3 browser-form upload, whose signed
    /// policy is in the body): on success the caller, key and region become the form signer's. Throws S3's error.
    /// </summary>
    public void AuthenticatePostForm(PostFormSignature form)
    {
        var authentication = (Authenticator ?? throw new InvalidOperationException("The pipeline set no authenticator on this request.")).AuthenticatePostForm(this, form);
        Caller = authentication.Caller;
        Credential = authentication.Credential;
        if (authentication.Region is not null)
        {
            Region = authentication.Region;
        }
    }

    /// <summary>
    /// Asks the authorization step about a further action of this request (each key of a DeleteObjects, the source of a
    /// copy), as the caller. Denials are traced under this request's id. Allowed when no authorizer is configured.
    /// </summary>
    public AuthorizationDecision Authorize(AuthorizationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Authorizer is null || (request.NoPermissionRequired && !Caller.IsAnonymous) ? AuthorizationDecision.Allow : Authorizer.Authorize(this, request);
    }
}
