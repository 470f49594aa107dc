using System.Xml;
using Microsoft.AspNetCore.Http;
using Stratus.Protocol.Codecs;
using Stratus.Protocol.Pipeline;

namespace Stratus.S3.Responses;

/// <summary>An S3 answer with an XML body: the writer fills in the root element's content.</summary>
internal sealed class XmlResponse : IRestResponse
{
    private readonly string _root;
    private readonly Action<XmlWriter> _content;

    public XmlResponse(string root, Action<XmlWriter> content)
    {
        _root = root;
        _content = content;
    }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>The HTTP status (200 unless set: a browser-form upload may ask for 201).</summary>
    public int Status { get; init; } = StatusCodes.Status200OK;

    public async Task WriteAsync(HttpResponse response, RequestContext context)
    {
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, S3Xml.Settings))
        {
            writer.WriteStartElement(_root, S3Xml.Namespace);
            _content(writer);
            writer.WriteEndElement();
        }

        response.StatusCode = Status;
        foreach (var (name, value) in Headers)
        {
            response.Headers[name] = value;
        }

        response.ContentType = "application/xml";
        response.ContentLength = buffer.Length;
        await response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.Http.RequestAborted).ConfigureAwait(false);
    }
}
