using System.Net;
using System.Text;
using System.Xml.Linq;

namespace Stratus.Compatibility.Tests.Iam;

/// <summary>Calls the IAM query API with our own signer (no .NET IAM package is served here).</summary>
internal static class IamQuery
{
    public static readonly XNamespace Ns = "https://iam.amazonaws.com/doc/2010-05-08/";
    private static readonly HttpClient Http = new();

    /// <summary>Sends <paramref name="form"/> and asserts success.</summary>
    public static async Task<XDocument> CallAsync(ServerFixture server, string form, string accessKey = "test", string secret = "test")
    {
        var (status, body) = await SendAsync(server, form, accessKey, secret);
        Assert.True(status < HttpStatusCode.BadRequest, $"{form}: {(int)status} {body}");
        return XDocument.Parse(body);
    }

    /// <summary>Sends <paramref name="form"/>, asserts failure, and returns the status and error code.</summary>
    public static async Task<(HttpStatusCode Status, string Code, string Message)> ErrorAsync(ServerFixture server, string form, string accessKey = "test", string secret = "test")
    {
        var (status, body) = await SendAsync(server, form, accessKey, secret);
        Assert.True(status >= HttpStatusCode.BadRequest, $"{form}: expected an error, got {(int)status} {body}");
        var xml = XDocument.Parse(body);
        return (status, xml.Descendants(Ns + "Code").Single().Value, xml.Descendants(Ns + "Message").Single().Value);
    }

    public static string Value(this XDocument document, string element) => document.Descendants(Ns + element).First().Value;

    public static List<string> Values(this XDocument document, string element) => document.Descendants(Ns + element).Select(e => e.Value).ToList();

    public static string Enc(string text) => Uri.EscapeDataString(text);

    private static async Task<(HttpStatusCode, string)> SendAsync(ServerFixture server, string form, string accessKey, string secret)
    {
        using var request = SignedHttp.Build(server, "POST", "/", "iam", Encoding.UTF8.GetBytes(form + "&Version=2010-05-08"), "application/x-www-form-urlencoded; charset=utf-8", accessKey: accessKey, secret: secret);
        using var response = await Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
