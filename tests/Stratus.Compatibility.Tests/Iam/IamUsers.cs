using System.Text;
using System.Xml.Linq;

namespace Stratus.Compatibility.Tests.Iam;

/// <summary>Creates IAM users with a key and an inline policy over the IAM query protocol (no .NET IAM package here).</summary>
internal static class IamUsers
{
    private static readonly HttpClient Http = new();
    private static readonly XNamespace Ns = "https://iam.amazonaws.com/doc/2010-05-08/";

    /// <summary>A new user of the default account with one access key and, when given, one inline policy.</summary>
    public static async Task<(string Name, string AccessKey, string Secret)> CreateAsync(ServerFixture server, string? policy, string prefix = "user")
    {
        var name = prefix + "-" + Guid.NewGuid().ToString("N")[..8];
        await CallAsync(server, $"Action=CreateUser&UserName={name}");
        var key = await CallAsync(server, $"Action=CreateAccessKey&UserName={name}");
        if (policy is not null)
        {
            await CallAsync(server, $"Action=PutUserPolicy&UserName={name}&PolicyName=p&PolicyDocument={Uri.EscapeDataString(policy)}");
        }

        return (name, key.Descendants(Ns + "AccessKeyId").Single().Value, key.Descendants(Ns + "SecretAccessKey").Single().Value);
    }

    /// <summary>An IAM query call signed by the default account's root; fails the test on an error.</summary>
    public static async Task<XDocument> CallAsync(ServerFixture server, string form)
    {
        using var request = SignedHttp.Build(server, "POST", "/", "iam", Encoding.UTF8.GetBytes(form + "&Version=2010-05-08"), "application/x-www-form-urlencoded; charset=utf-8");
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{form}: {(int)response.StatusCode} {text}");
        return XDocument.Parse(text);
    }
}
