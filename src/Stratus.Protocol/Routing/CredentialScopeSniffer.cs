using Microsoft.AspNetCore.Http;

namespace Stratus.Protocol.Routing;

/// <summary>
/// Reads the service name out of a request's SigV4 credential scope before the signature is checked, so that routing
/// can use it. Nothing here is trusted: the verifier checks the same scope against the signature afterwards.
/// </summary>
public static class CredentialScopeSniffer
{
    /// <summary>The scope's service (<c>s3</c>, <c>sts</c>…), or null for an unsigned or unparseable request.</summary>
    public static string? ServiceOf(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.Length > 0)
        {
            var at = authorization.IndexOf("Credential=", StringComparison.Ordinal);
            return at < 0 ? null : ServiceOfCredential(authorization.AsSpan(at + "Credential=".Length));
        }

        var credential = request.Query["X-Amz-Credential"].ToString();
        return credential.Length > 0 ? ServiceOfCredential(credential) : null;
    }

    private static string? ServiceOfCredential(ReadOnlySpan<char> credential)
    {
        // AKID/yyyymmdd/region/service/aws4_request
        var end = credential.IndexOfAny(',', ' ');
        if (end >= 0)
        {
            credential = credential[..end];
        }

        Span<Range> parts = stackalloc Range[6];
        var count = credential.Split(parts, '/');
        return count == 5 ? credential[parts[3]].ToString() : null;
    }
}
