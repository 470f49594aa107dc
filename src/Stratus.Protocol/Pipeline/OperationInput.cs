using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Stratus.Protocol.Catalog;
using Stratus.Protocol.Codecs;

namespace Stratus.Protocol.Pipeline;

/// <summary>
/// A request as the protocol codec decoded it, for an operation's <c>Decode</c> function: query parameters,
/// the JSON document, the REST labels, headers and body. Accessors throw the protocol's own validation error.
/// </summary>
public sealed class OperationInput
{
    public OperationInput(RequestContext context, QueryParameters parameters, JsonElement json, Stream body)
    {
        Context = context;
        Parameters = parameters;
        Json = json;
        Body = body;
    }

    public RequestContext Context { get; }

    public ServiceProtocol Protocol => Context.Protocol;

    /// <summary>Query-protocol parameters (form body and query string), or the query string of a REST request.</summary>
    public QueryParameters Parameters { get; }

    /// <summary>The JSON body of a JSON-protocol request (an empty object when the body was empty).</summary>
    public JsonElement Json { get; }

    /// <summary>The request body (already decoded from aws-chunked and checked, as far as it is read).</summary>
    public Stream Body { get; }

    public IHeaderDictionary Headers => Context.Http.Request.Headers;

    public IReadOnlyDictionary<string, string> Labels => Context.Route.Labels;

    /// <summary>A required query parameter; missing or empty gets the protocol's validation error.</summary>
    public string RequiredParameter(string name)
    {
        var value = Parameters.Get(name);
        if (string.IsNullOrEmpty(value))
        {
            throw ProtocolErrors.MissingParameter(Protocol, name);
        }

        return value;
    }

    /// <summary>An optional integer query parameter, range-checked.</summary>
    public int? IntegerParameter(string name, int min, int max)
    {
        var text = Parameters.Get(name);
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw ProtocolErrors.Validation(
                Protocol,
                $"1 validation error detected: Value '{text}' at '{name}' failed to satisfy constraint: Member must have value between {min} and {max}");
        }

        return value;
    }

    /// <summary>A required string member of a JSON body.</summary>
    public string RequiredJsonString(string name)
    {
        if (Json.ValueKind != JsonValueKind.Object || !Json.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw ProtocolErrors.Validation(
                Protocol,
                $"1 validation error detected: Value null at '{name}' failed to satisfy constraint: Member must not be null");
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw ProtocolErrors.Serialization(Protocol, $"Expected a string for '{name}' but found {value.ValueKind}.");
        }

        return value.GetString()!;
    }
}
