using Microsoft.AspNetCore.Http;
using Stratus.Protocol.Pipeline;

namespace Stratus.Protocol.Codecs;

/// <summary>A response of the REST protocols (S3, Lambda): status, headers and body written straight to the HTTP response.</summary>
public interface IRestResponse
{
    Task WriteAsync(HttpResponse response, RequestContext context);
}
