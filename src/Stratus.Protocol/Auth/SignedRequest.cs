namespace Stratus.Protocol.Auth;

/// <summary>What the SigV4 verifier needs of an HTTP request, independent of any server type.</summary>
public sealed class SignedRequest
{
    /// <summary>The HTTP method, upper case (<c>GET</c>, <c>PUT</c>…).</summary>
    public required string Method { get; init; }

    /// <summary>The path exactly as on the wire (percent-encoded), without the query.</summary>
    public required string RawPath { get; init; }

    /// <summary>The query exactly as on the wire, without the leading '?'; empty when there is none.</summary>
    public string RawQuery { get; init; } = "";

    /// <summary>The headers in received order; a repeated header is one entry per occurrence.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>Lower-hex SHA-256 of the body when the caller buffered it, else null.</summary>
    public string? PayloadHash { get; init; }

    /// <summary>The value of the first header with this name (case-insensitive), or null.</summary>
    public string? GetHeader(string name)
    {
        var headers = Headers;
        for (var i = 0; i < headers.Count; i++)
        {
            if (string.Equals(headers[i].Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return headers[i].Value;
            }
        }

        return null;
    }
}
