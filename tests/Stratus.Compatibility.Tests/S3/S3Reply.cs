using System.Net;
using System.Xml;
using System.Xml.Linq;

namespace Stratus.Compatibility.Tests.S3;

/// <summary>An S3 answer read off the wire (status, body, headers), for tests that send requests the SDK will not.</summary>
internal sealed record S3Reply(HttpStatusCode Status, string Body, IReadOnlyDictionary<string, string>? Headers = null)
{
    public string? Code => Element("Code");

    public string Message => Element("Message") ?? "";

    public string? Header(string name) => Headers is not null && Headers.TryGetValue(name, out var value) ? value : null;

    public string? Element(string name)
    {
        try
        {
            return XDocument.Parse(Body).Root?.Element(name)?.Value;
        }
        catch (XmlException)
        {
            return null;
        }
    }

    /// <summary>Sends <paramref name="request"/> and reads the whole answer; a 500 fails the test at once.</summary>
    public static async Task<S3Reply> ExchangeAsync(HttpClient http, HttpRequestMessage request)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var response = await http.SendAsync(request, timeout.Token);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            headers[name] = string.Join(", ", values);
        }

        var body = await response.Content.ReadAsStringAsync(timeout.Token);
        Assert.True(response.StatusCode != HttpStatusCode.InternalServerError, $"500: {body}");
        return new S3Reply(response.StatusCode, body, headers);
    }

    /// <summary>The answer is S3's XML error <paramref name="code"/> with <paramref name="status"/>.</summary>
    public static void AssertError(S3Reply reply, HttpStatusCode status, string code)
    {
        Assert.True(reply.Status == status && reply.Code == code, $"expected {(int)status} {code}, got {(int)reply.Status}: {reply.Body}");
        AssertXmlError(reply);
    }

    /// <summary>The answer is an S3 XML error (Code and RequestId), not a 500 and no stack trace.</summary>
    public static void AssertXmlError(S3Reply reply)
    {
        Assert.NotEqual(HttpStatusCode.InternalServerError, reply.Status);
        var root = XDocument.Parse(reply.Body).Root!;
        Assert.Equal("Error", root.Name.LocalName);
        Assert.False(string.IsNullOrEmpty(root.Element("Code")?.Value), reply.Body);
        Assert.False(string.IsNullOrEmpty(root.Element("RequestId")?.Value), reply.Body);
        Assert.DoesNotContain("   at ", reply.Body, StringComparison.Ordinal);
    }
}
