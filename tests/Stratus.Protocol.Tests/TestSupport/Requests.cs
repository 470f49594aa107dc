using System.Text;
using Microsoft.AspNetCore.Http;

namespace Stratus.Protocol.Tests.TestSupport;

/// <summary>Builds <see cref="DefaultHttpContext"/> requests the way AWS SDKs would send them.</summary>
internal static class Requests
{
    public static DefaultHttpContext Create(string method, string rawTarget, string? scopeService = null, string host = "localhost:4566", byte[]? body = null, string? contentType = null)
    {
        var http = new DefaultHttpContext();
        var request = http.Request;
        request.Method = method;
        var queryAt = rawTarget.IndexOf('?', StringComparison.Ordinal);
        request.Path = new PathString(Uri.UnescapeDataString(queryAt < 0 ? rawTarget : rawTarget[..queryAt]));
        request.QueryString = queryAt < 0 ? QueryString.Empty : new QueryString(rawTarget[queryAt..]);
        request.Host = new HostString(host);
        if (scopeService is not null)
        {
            request.Headers.Authorization = $"AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/{scopeService}/aws4_request, SignedHeaders=host;x-amz-date, Signature=00";
        }

        if (body is not null)
        {
            request.Body = new MemoryStream(body);
            request.ContentLength = body.Length;
        }

        if (contentType is not null)
        {
            request.ContentType = contentType;
        }

        http.Response.Body = new MemoryStream();
        return http;
    }

    public static DefaultHttpContext Form(string form, string? scopeService) =>
        Create("POST", "/", scopeService, body: Encoding.UTF8.GetBytes(form), contentType: "application/x-www-form-urlencoded; charset=utf-8");

    public static string ResponseText(HttpContext http)
    {
        var stream = (MemoryStream)http.Response.Body;
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
