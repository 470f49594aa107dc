using Stratus.Hosting;

namespace Stratus.Compatibility.Tests;

/// <summary>A real Stratus server on a free loopback port with a temporary data directory, and a second account.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public const string SecondAccountId = "111111111111";
    public const string SecondAccessKeyId = "AKIASECONDACCOUNT01";
    public const string SecondSecretAccessKey = "second-secret";

    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "stratus-compat-" + Guid.NewGuid().ToString("N"));
    private StratusServer? _server;

    /// <summary>The server's clock; null means the system clock.</summary>
    public TimeProvider? Time { get; init; }

    public Uri Endpoint => _server?.Endpoint ?? throw new InvalidOperationException("The server has not started.");

    public string ServiceUrl => Endpoint.ToString().TrimEnd('/');

    /// <summary>The server's data directory (kv/ and drives/), for tests that check what is stored.</summary>
    public string DataDirectory => Path.Combine(_dataDir, "data");

    /// <summary>The running server itself, for tests that await its background services.</summary>
    internal StratusServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dataDir);
        var accounts = Path.Combine(_dataDir, "accounts.json");
        await File.WriteAllTextAsync(
            accounts,
            $$"""{"accounts": [{"id": "{{SecondAccountId}}", "accessKeyId": "{{SecondAccessKeyId}}", "secretAccessKey": "{{SecondSecretAccessKey}}"}]}""");
        _server = await StratusServer.StartAsync(
            new ServeOptions { Port = 0, DataDir = Path.Combine(_dataDir, "data"), AccountsFile = accounts, LogLevel = "Warning" },
            Time);
    }

    /// <summary>Stops the server and starts it again on the same data directory (a new port).</summary>
    public async Task RestartAsync()
    {
        await _server!.DisposeAsync();
        _server = await StratusServer.StartAsync(
            new ServeOptions { Port = 0, DataDir = Path.Combine(_dataDir, "data"), AccountsFile = Path.Combine(_dataDir, "accounts.json"), LogLevel = "Warning" },
            Time);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_dataDir, recursive: true);
    }
}
