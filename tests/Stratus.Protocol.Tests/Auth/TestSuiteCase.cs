using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Stratus.Protocol.Auth;

namespace Stratus.Protocol.Tests.Auth;

/// <summary>One case of the AWS SigV4 test suite in ../shared/testdata/sigv4, read in place.</summary>
internal sealed class TestSuiteCase
{
    private TestSuiteCase(string name, string directory)
    {
        Name = name;
        Directory = directory;
        using var context = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "context.json")));
        var root = context.RootElement;
        var credentials = root.GetProperty("credentials");
        AccessKeyId = credentials.GetProperty("access_key_id").GetString()!;
        SecretAccessKey = credentials.GetProperty("secret_access_key").GetString()!;
        SessionToken = credentials.TryGetProperty("token", out var token) ? token.GetString() : null;
        Region = root.GetProperty("region").GetString()!;
        Service = root.GetProperty("service").GetString()!;
        Normalize = root.GetProperty("normalize").GetBoolean();
        SignBody = root.GetProperty("sign_body").GetBoolean();
        ExpirationSeconds = root.GetProperty("expiration_in_seconds").GetInt32();
        Timestamp = DateTimeOffset.Parse(root.GetProperty("timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
    }

    public string Name { get; }
    public string Directory { get; }
    public string AccessKeyId { get; }
    public string SecretAccessKey { get; }
    public string? SessionToken { get; }
    public string Region { get; }
    public string Service { get; }
    public bool Normalize { get; }
    public bool SignBody { get; }
    public int ExpirationSeconds { get; }
    public DateTimeOffset Timestamp { get; }

    public SigV4Rules Rules => new()
    {
        NormalizePath = Normalize,
        DoubleEncodePath = Normalize,
        RequireContentSha256 = false,
        CaptureCanonicalRequest = true,
    };

    public SigningCredential Credential => FakeCredentialStore.Credential(AccessKeyId, SecretAccessKey, SessionToken);

    public string Read(string file) => File.ReadAllText(Path.Combine(Directory, file));

    public static string SuiteDirectory
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Stratus.slnx")))
            {
                dir = dir.Parent;
            }

            if (dir is null)
            {
                throw new InvalidOperationException("Stratus.slnx not found above " + AppContext.BaseDirectory);
            }

            return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "testdata", "sigv4"));
        }
    }

    public static IEnumerable<string> Names()
    {
        foreach (var dir in System.IO.Directory.GetDirectories(SuiteDirectory).Order(StringComparer.Ordinal))
        {
            if (File.Exists(Path.Combine(dir, "context.json")))
            {
                yield return Path.GetFileName(dir);
            }
        }
    }

    public static TestSuiteCase Load(string name) => new(name, Path.Combine(SuiteDirectory, name));

    /// <summary>Parses an HTTP request file of the suite (request line, headers with folded continuations, body).</summary>
    public static (SignedRequest Request, byte[] Body) ParseRequest(string text)
    {
        var lines = text.Split('\n');
        var requestLine = lines[0].TrimEnd('\r');
        var firstSpace = requestLine.IndexOf(' ', StringComparison.Ordinal);
        var lastSpace = requestLine.LastIndexOf(' ');
        var method = requestLine[..firstSpace];
        var target = requestLine[(firstSpace + 1)..lastSpace];
        var headers = new List<KeyValuePair<string, string>>();
        var i = 1;
        for (; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Length == 0)
            {
                i++;
                break;
            }

            if (line[0] is ' ' or '\t')
            {
                var last = headers[^1];
                headers[^1] = new(last.Key, last.Value + "\r\n" + line);
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers.Add(new(line[..colon], line[(colon + 1)..]));
        }

        var body = i < lines.Length ? string.Join('\n', lines[i..]) : "";
        var bodyBytes = Encoding.UTF8.GetBytes(body);
        var question = target.IndexOf('?', StringComparison.Ordinal);
        var request = new SignedRequest
        {
            Method = method,
            RawPath = question < 0 ? target : target[..question],
            RawQuery = question < 0 ? "" : target[(question + 1)..],
            Headers = headers,
            PayloadHash = Convert.ToHexStringLower(SHA256.HashData(bodyBytes)),
        };
        return (request, bodyBytes);
    }
}
