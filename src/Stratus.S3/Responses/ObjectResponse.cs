using Microsoft.AspNetCore.Http;
using Stratus.Protocol.Codecs;
using Stratus.Protocol.Pipeline;

namespace Stratus.S3.Responses;

/// <summary>An object's bytes (all or a range) with its headers; HEAD gets the headers only.</summary>
internal sealed class ObjectResponse : IRestResponse
{
    private readonly Func<Stream>? _open;

    public ObjectResponse(int status, long contentLength, IReadOnlyList<KeyValuePair<string, string>> headers, Func<Stream>? open)
    {
        Status = status;
        ContentLength = contentLength;
        Headers = headers;
        _open = open;
    }

    public int Status { get; }

    /// <summary>The same object under another status (a website's error document answers with the error's).</summary>
    public ObjectResponse WithStatus(int status) => new(status, ContentLength, Headers, _open);

    public long ContentLength { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    public async Task WriteAsync(HttpResponse response, RequestContext context)
    {
        response.StatusCode = Status;
        foreach (var (name, value) in Headers)
        {
            response.Headers[name] = value;
        }

        response.ContentLength = ContentLength;
        if (_open is null || ContentLength == 0)
        {
            return;
        }

        await using var content = _open();
        await content.CopyToAsync(response.Body, 256 * 1024, context.Http.RequestAborted).ConfigureAwait(false);
    }
}
