using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Stratus.Protocol.Auth;

namespace Stratus.Compatibility.Tests;

/// <summary>Sends requests signed with our own SigV4 signer (for shapes no SDK sends), and raw bytes over a socket.</summary>
internal static class SignedHttp
{
    private static readonly SigV4Signer Signer = new(TimeProvider.System);

    public static HttpRequestMessage Build(
        ServerFixture server,
        string method,
        string pathAndQuery,
        string service,
        byte[] body,
        string? contentType,
        IEnumerable<KeyValuePair<string, string>>? extraHeaders = null,
        string accessKey = "test",
        string secret = "test",
        string? sessionToken = null,
        TimeProvider? clock = null)
    {
        var queryAt = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var host = server.Endpoint.Authority;
        var headers = new List<KeyValuePair<string, string>> { new("Host", host) };
        if (contentType is not null)
        {
            headers.Add(new("Content-Type", contentType));
        }

        headers.AddRange(extraHeaders ?? []);
        var signer = clock is null ? Signer : new SigV4Signer(clock);
        var signature = signer.Sign(
            new SignedRequest
            {
                Method = method,
                RawPath = queryAt < 0 ? pathAndQuery : pathAndQuery[..queryAt],
                RawQuery = queryAt < 0 ? "" : pathAndQuery[(queryAt + 1)..],
                Headers = headers,
                PayloadHash = Convert.ToHexStringLower(SHA256.HashData(body)),
            },
            new SigV4SigningOptions
            {
                AccessKeyId = accessKey,
                SecretAccessKey = secret,
                SessionToken = sessionToken,
                Region = "us-east-1",
                Service = service,
                Rules = service == "s3" ? SigV4Rules.S3 : SigV4Rules.Default,
            });

        var message = new HttpRequestMessage(new HttpMethod(method), new Uri(server.Endpoint, pathAndQuery)) { Content = new ByteArrayContent(body) };
        foreach (var (name, value) in signature.Request.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(value);
            }
            else
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return message;
    }

    /// <summary>Writes raw bytes to the server and reads the response until the server closes (send <c>Connection: close</c>).</summary>
    public static async Task<string> RawAsync(ServerFixture server, byte[] request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Endpoint.Host, server.Endpoint.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(request);
        await stream.FlushAsync();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await reader.ReadToEndAsync(timeout.Token);
    }
}
