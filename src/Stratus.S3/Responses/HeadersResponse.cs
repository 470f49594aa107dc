using Microsoft.AspNetCore.Http;
using Stratus.Protocol.Codecs;
using Stratus.Protocol.Pipeline;

namespace Stratus.S3.Responses;

/// <summary>An S3 answer that is a status and headers only (204 to a DELETE, 200 to a PUT or a HEAD).</summary>
internal sealed class HeadersResponse : IRestResponse
{
    public HeadersResponse(int status, params KeyValuePair<string, string>[] headers)
    {
        Status = status;
        Headers = headers;
    }

    public int Status { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    public Task WriteAsync(HttpResponse response, RequestContext context)
    {
        response.StatusCode = Status;
        foreach (var (name, value) in Headers)
        {
            response.Headers[name] = value;
        }

        response.ContentLength = 0;
        return Task.CompletedTask;
    }
}
