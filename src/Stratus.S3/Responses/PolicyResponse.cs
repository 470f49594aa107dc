using Microsoft.AspNetCore.Http;
using Stratus.Protocol.Codecs;
using Stratus.Protocol.Pipeline;

namespace Stratus.S3.Responses;

/// <summary>A bucket policy, returned as the JSON document it was stored as.</summary>
internal sealed class PolicyResponse : IRestResponse
{
    private readonly byte[] _policy;

    public PolicyResponse(byte[] policy) => _policy = policy;

    public async Task WriteAsync(HttpResponse response, RequestContext context)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        response.ContentLength = _policy.Length;
        await response.Body.WriteAsync(_policy, context.Http.RequestAborted).ConfigureAwait(false);
    }
}
