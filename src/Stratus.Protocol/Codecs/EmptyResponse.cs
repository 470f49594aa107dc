using System.Text.Json;
using System.Xml;
using Microsoft.AspNetCore.Http;
using Stratus.Protocol.Pipeline;

namespace Stratus.Protocol.Codecs;

/// <summary>The response of an operation that returns nothing but success.</summary>
public sealed class EmptyResponse : IQueryResponse, IJsonResponse, IRestResponse
{
    private EmptyResponse()
    {
    }

    public static EmptyResponse Instance { get; } = new();

    public void WriteResult(XmlWriter writer)
    {
    }

    public void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteEndObject();
    }

    public Task WriteAsync(HttpResponse response, RequestContext context)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentLength = 0;
        return Task.CompletedTask;
    }
}
