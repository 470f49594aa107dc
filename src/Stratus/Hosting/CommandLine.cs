using System.CommandLine;

namespace Stratus.Hosting;

/// <summary>The <c>stratus</c> command line: every flag of <c>serve</c> also reads a <c>STRATUS_*</c> environment variable.</summary>
internal static class CommandLine
{
    public static RootCommand Build()
    {
        var defaults = new ServeOptions();
        var port = new Option<int>("--port") { Description = "TCP port to listen on (STRATUS_PORT).", DefaultValueFactory = _ => EnvInt("STRATUS_PORT", defaults.Port) };
        var host = new Option<string>("--host") { Description = "Address to bind; 0.0.0.0 exposes Stratus to the network (STRATUS_HOST).", DefaultValueFactory = _ => Env("STRATUS_HOST") ?? defaults.Host };
        var dataDir = new Option<string>("--data-dir") { Description = "Where data lives (STRATUS_DATA_DIR).", DefaultValueFactory = _ => Env("STRATUS_DATA_DIR") ?? defaults.DataDir };
        var ephemeral = new Option<bool>("--ephemeral") { Description = "Keep nothing on disk; everything is lost at exit (STRATUS_EPHEMERAL).", DefaultValueFactory = _ => EnvBool("STRATUS_EPHEMERAL") };
        var region = new Option<string>("--region") { Description = "Region of unsigned requests and of the server (STRATUS_REGION).", DefaultValueFactory = _ => Env("STRATUS_REGION") ?? defaults.Region };
        var drives = new Option<int>("--drives") { Description = "Drive folders that object shards are spread over (STRATUS_DRIVES).", DefaultValueFactory = _ => EnvInt("STRATUS_DRIVES", defaults.Drives) };
        var parity = new Option<int>("--parity") { Description = "Parity shards per object block; any this many drives can be lost (STRATUS_PARITY).", DefaultValueFactory = _ => EnvInt("STRATUS_PARITY", defaults.Parity) };
        var scrub = new Option<int>("--scrub-interval-minutes") { Description = "Minutes between background passes that verify and heal every shard (STRATUS_SCRUB_INTERVAL_MINUTES).", DefaultValueFactory = _ => EnvInt("STRATUS_SCRUB_INTERVAL_MINUTES", (int)defaults.ScrubInterval.TotalMinutes) };
        var logLevel = new Option<string>("--log-level") { Description = "Trace, Debug, Information, Warning, Error or None (STRATUS_LOG_LEVEL).", DefaultValueFactory = _ => Env("STRATUS_LOG_LEVEL") ?? defaults.LogLevel };
        var logFormat = new Option<string>("--log-format") { Description = "text or json (STRATUS_LOG_FORMAT).", DefaultValueFactory = _ => Env("STRATUS_LOG_FORMAT") ?? defaults.LogFormat };
        var accountsFile = new Option<string?>("--accounts-file") { Description = "JSON file of extra accounts and their root keys (STRATUS_ACCOUNTS_FILE).", DefaultValueFactory = _ => Env("STRATUS_ACCOUNTS_FILE") };
        var accountId = new Option<string>("--account-id") { Description = "Id of the default account (STRATUS_ACCOUNT_ID).", DefaultValueFactory = _ => Env("STRATUS_ACCOUNT_ID") ?? defaults.AccountId };
        var accessKey = new Option<string>("--access-key-id") { Description = "Root access key of the default account (STRATUS_ACCESS_KEY_ID).", DefaultValueFactory = _ => Env("STRATUS_ACCESS_KEY_ID") ?? defaults.AccessKeyId };
        var secretKey = new Option<string>("--secret-access-key") { Description = "Root secret of the default account (STRATUS_SECRET_ACCESS_KEY).", DefaultValueFactory = _ => Env("STRATUS_SECRET_ACCESS_KEY") ?? defaults.SecretAccessKey };

        var serve = new Command("serve", "Serve S3, DynamoDB, SQS, IAM, STS, Lambda and EC2 on one port.")
        {
            port, host, dataDir, ephemeral, region, drives, parity, scrub, logLevel, logFormat, accountsFile, accountId, accessKey, secretKey,
        };
        serve.SetAction(async (result, cancellationToken) =>
        {
            var options = new ServeOptions
            {
                Port = result.GetValue(port),
                Host = result.GetValue(host)!,
                DataDir = result.GetValue(dataDir)!,
                Ephemeral = result.GetValue(ephemeral),
                Region = result.GetValue(region)!,
                Drives = result.GetValue(drives),
                Parity = result.GetValue(parity),
                ScrubInterval = TimeSpan.FromMinutes(Math.Max(1, result.GetValue(scrub))),
                LogLevel = result.GetValue(logLevel)!,
                LogFormat = result.GetValue(logFormat)!,
                AccountsFile = result.GetValue(accountsFile),
                AccountId = result.GetValue(accountId)!,
                AccessKeyId = result.GetValue(accessKey)!,
                SecretAccessKey = result.GetValue(secretKey)!,
            };
            return await StratusServer.RunAsync(options, cancellationToken).ConfigureAwait(false);
        });

        var requestId = new Argument<string>("request-id") { Description = "The request id of an AccessDenied answer (x-amz-request-id or x-amzn-RequestId)." };
        var endpoint = new Option<string>("--endpoint") { Description = "The running server (STRATUS_ENDPOINT).", DefaultValueFactory = _ => Env("STRATUS_ENDPOINT") ?? "http://127.0.0.1:4566" };
        var explain = new Command("explain", "Explain why a request was denied: which statements of which policies matched and which one decided.") { requestId, endpoint };
        explain.SetAction(async (result, cancellationToken) =>
        {
            using var http = new HttpClient();
            var url = new Uri(new Uri(result.GetValue(endpoint)!), "/_stratus/decisions/" + Uri.EscapeDataString(result.GetValue(requestId)!));
            try
            {
                using var response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
                Console.WriteLine(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
                return response.IsSuccessStatusCode ? 0 : 1;
            }
            catch (HttpRequestException error)
            {
                await Console.Error.WriteLineAsync($"stratus: cannot reach {url.GetLeftPart(UriPartial.Authority)}: {error.Message}").ConfigureAwait(false);
                return 2;
            }
        });

        return new RootCommand("Stratus: S3, DynamoDB, SQS, IAM, STS, Lambda and EC2 on your own machine.") { serve, explain };
    }

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

    private static int EnvInt(string name, int fallback) =>
        int.TryParse(Env(name), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : fallback;

    private static bool EnvBool(string name) => Env(name) is { } value && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase));
}
