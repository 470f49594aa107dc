using Microsoft.AspNetCore.Http;
using Stratus.Core;
using Stratus.Protocol.Routing;
using Stratus.Protocol.Services;

namespace Stratus.Protocol.Pipeline;

/// <summary>
/// Browser CORS around the operations: a preflight <c>OPTIONS</c> on a bucket or object URL is answered here, unsigned,
/// before routing (no model has an OPTIONS operation); an ordinary request that carries <c>Origin</c> gets the
/// <c>Access-Control-*</c> headers of the first matching rule, on its answer or its error.
/// </summary>
internal static class CrossOriginHook
{
    /// <summary>The operation name preflights are logged and counted under.</summary>
    public const string PreflightOperation = "PreflightRequest";

    /// <summary>True when <paramref name="request"/> is an S3 preflight (OPTIONS, unsigned or S3-scoped).</summary>
    public static bool IsPreflight(HttpRequest request, string? scopeService) =>
        HttpMethods.IsOptions(request.Method) && scopeService is null or "s3";

    /// <summary>Answers a preflight: 200 with the allowing rule's headers, or the policy's error (403 when nothing allows it).</summary>
    public static void AnswerPreflight(HttpContext http, string rawPath, ICrossOriginPolicy? policy)
    {
        var request = http.Request;
        var (bucket, key) = BucketAndKey(request, rawPath);
        if (bucket is null || policy is null)
        {
            throw new AwsException("BadRequest", "Preflight OPTIONS requests need a bucket in the URL.", 400);
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            throw new AwsException("BadRequest", "Insufficient information. Origin request header needed.", 400);
        }

        var method = request.Headers.AccessControlRequestMethod.ToString();
        if (method.Length == 0)
        {
            throw new AwsException("BadRequest", "Invalid Access-Control-Request-Method: null", 400);
        }

        var requested = new List<string>();
        foreach (var value in request.Headers.AccessControlRequestHeaders)
        {
            foreach (var name in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                requested.Add(name);
            }
        }

        var headers = policy.Preflight(bucket, key, origin, method, requested);
        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        foreach (var (name, value) in headers)
        {
            response.Headers[name] = value;
        }

        response.ContentLength = 0;
    }

    /// <summary>
    /// Adds the CORS headers an ordinary S3 request with an <c>Origin</c> earns. They are set as the response starts, so
    /// they survive an error answer too (a denial, a missing key), which a browser could not read without them.
    /// </summary>
    public static void AddResponseHeaders(HttpContext http, RouteResult route, object? service)
    {
        var request = http.Request;
        if (service is not ICrossOriginPolicy policy || route.Protocol != Catalog.ServiceProtocol.RestXml)
        {
            return;
        }

        var origin = request.Headers.Origin.ToString();
        var bucket = route.Labels.TryGetValue("Bucket", out var label) ? label : route.VirtualHostBucket;
        if (origin.Length == 0 || bucket is null)
        {
            return;
        }

        var headers = policy.ResponseHeaders(bucket, origin, request.Method);
        if (headers.Count == 0)
        {
            return;
        }

        http.Response.OnStarting(() =>
        {
            foreach (var (name, value) in headers)
            {
                http.Response.Headers[name] = value;
            }

            return Task.CompletedTask;
        });
    }

    private static (string? Bucket, string? Key) BucketAndKey(HttpRequest request, string rawPath)
    {
        var path = rawPath.TrimStart('/');
        var hostBucket = S3HostStyle.BucketOf(request.Host.Value ?? "");
        if (hostBucket is not null)
        {
            return (hostBucket, path.Length == 0 ? null : Uri.UnescapeDataString(path));
        }

        if (path.Length == 0)
        {
            return (null, null);
        }

        var slash = path.IndexOf('/', StringComparison.Ordinal);
        return slash < 0
            ? (Uri.UnescapeDataString(path), null)
            : (Uri.UnescapeDataString(path[..slash]), slash == path.Length - 1 ? null : Uri.UnescapeDataString(path[(slash + 1)..]));
    }
}
