using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using Stratus.Iam.Api;
using Stratus.Iam.Authorization;
using Stratus.Iam.Credentials;
using Stratus.Iam.Policies;
using Stratus.Iam.Sts;
using Stratus.Iam.Users;
using Stratus.Protocol.Auth;
using Stratus.Protocol.Pipeline;
using Stratus.Protocol.Services;
using Stratus.S3;
using Stratus.Storage.Lsm;
using Stratus.Storage.Objects;

namespace Stratus.Hosting;

/// <summary>The composition root: builds Kestrel, the pipeline and the services from <see cref="ServeOptions"/>.</summary>
internal sealed class StratusServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly DataDirectory _data;
    private readonly LsmEngine _kv;
    private readonly ObjectScrubber _scrubber;

    private StratusServer(WebApplication app, DataDirectory data, LsmEngine kv, ObjectScrubber scrubber, Uri endpoint)
    {
        _app = app;
        _data = data;
        _kv = kv;
        _scrubber = scrubber;
        Endpoint = endpoint;
    }

    /// <summary>The address the server listens on, with the port Kestrel chose when asked for port 0.</summary>
    public Uri Endpoint { get; }

    /// <summary>The background service applying S3 lifecycle rules (tests await its passes).</summary>
    public LifecycleWorker? Lifecycle { get; private init; }

    /// <summary>Serves until SIGTERM or Ctrl+C; returns the process exit code.</summary>
    public static async Task<int> RunAsync(ServeOptions options, CancellationToken cancellationToken)
    {
        StratusServer server;
        try
        {
            server = await StartAsync(options, null, cancellationToken).ConfigureAwait(false);
        }
        catch (StartupException error)
        {
            await Console.Error.WriteLineAsync($"stratus: {error.Message}").ConfigureAwait(false);
            return 2;
        }

        await using (server.ConfigureAwait(false))
        {
            await server._app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>Starts a server and returns once it accepts requests.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="time">The server clock; tests move it instead of waiting.</param>
    /// <param name="cancellationToken">Stops start-up.</param>
    public static async Task<StratusServer> StartAsync(ServeOptions options, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var startedAt = Process.GetCurrentProcess().StartTime.ToUniversalTime();
        var accounts = LoadAccounts(options);
        if (!IPAddress.TryParse(options.Host, out var address))
        {
            address = options.Host == "localhost" ? IPAddress.Loopback : throw new StartupException($"--host '{options.Host}' is not an IP address.");
        }

        if (options.Drives is < 2 or > 256 || options.Parity < 1 || options.Parity >= options.Drives)
        {
            throw new StartupException($"--drives {options.Drives} --parity {options.Parity}: need 2–256 drives and at least 1 parity shard, fewer than the drives.");
        }

        var data = options.Ephemeral ? DataDirectory.CreateTemporary() : DataDirectory.Open(options.DataDir);
        var clock = time ?? TimeProvider.System;
        var objects = ObjectStore.Open(new ObjectStoreOptions { DataDirectory = data.Path, Drives = options.Drives, ParityShards = options.Parity, TimeProvider = clock });
        LsmEngine kv;
        try
        {
            kv = LsmEngine.Open(Path.Combine(data.Path, "kv"), new LsmOptions { TimeProvider = clock });
        }
        catch (Exception error) when (error is IOException or InvalidDataException or LsmCorruptionException or NotSupportedException)
        {
            data.Dispose();
            throw new StartupException($"cannot open the metadata store in {Path.Combine(data.Path, "kv")}: {error.Message}");
        }

        var s3 = new S3Service(kv, objects, clock, new PolicyValidator());
        s3.RemoveOrphanShards(TimeSpan.Zero); // nothing is in flight yet: every unreferenced shard is a crashed PUT's
        await s3.UpgradeRecordsAsync().ConfigureAwait(false); // records from before versioning get their version entries
        var scrubber = new ObjectScrubber(objects, s3.StoredManifests, s3.FindManifest, options.ScrubInterval, clock);
        var lifecycle = new LifecycleWorker(s3, TimeSpan.FromHours(1), clock);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(address, options.Port);
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null; // the pipeline enforces each service's own limit
            kestrel.Limits.MaxRequestHeadersTotalSize = 64 * 1024; // above ours, so our guard answers in the protocol's shape
            kestrel.Limits.MaxRequestLineSize = 64 * 1024;
        });
        ConfigureLogging(builder.Logging, options);
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(PipelineMetrics.MeterName)
            .AddMeter(StorageMetrics.MeterName)
            .AddPrometheusExporter());
        builder.Services.AddSingleton(clock);
        builder.Services.AddSingleton(objects);
        builder.Services.AddSingleton(_ => new StorageMetrics(kv));
        builder.Services.AddSingleton(new PipelineOptions { Region = options.Region, DefaultAccount = options.AccountId });
        var iam = new IamStore(kv, clock);
        var policyCache = new PolicyCache();
        var decisions = new DecisionLog();
        var sessions = new SessionStore(kv, clock);
        builder.Services.AddSingleton(new CredentialStore(accounts, iam, sessions));
        builder.Services.AddSingleton<ICredentialStore>(sp => sp.GetRequiredService<CredentialStore>());
        builder.Services.AddSingleton<IRequestAuthenticator, SigV4Authenticator>();
        var policySource = new IamPolicySource(iam, policyCache, sessions);
        builder.Services.AddSingleton<IPolicySource>(policySource);
        builder.Services.AddSingleton<IAuthorizer>(sp => new AccessKeyUsageRecorder(
            new PolicyAuthorizer(sp.GetRequiredService<IPolicySource>(), sp.GetServices<IResourcePolicyProvider>(), policyCache, decisions), iam));
        builder.Services.AddSingleton<AwsService>(new StsService(sessions, iam, policySource));
        builder.Services.AddSingleton<IResourcePolicyProvider>(new RoleTrustPolicies(iam));
        builder.Services.AddSingleton<AwsService>(new IamService(iam, policySource));
        builder.Services.AddSingleton<AwsService>(s3);
        builder.Services.AddSingleton<IResourcePolicyProvider>(s3);
        builder.Services.AddSingleton<PipelineMetrics>();
        builder.Services.AddSingleton<AwsRequestPipeline>();
        builder.Services.AddSingleton(sp => new InternalEndpoints(sp.GetServices<AwsService>(), objects, scrubber, decisions, options, startedAt));

        var app = builder.Build();
        var pipeline = app.Services.GetRequiredService<AwsRequestPipeline>();
        _ = app.Services.GetRequiredService<StorageMetrics>(); // created now so its gauges exist at the first scrape
        var internals = app.Services.GetRequiredService<InternalEndpoints>();
        app.UseOpenTelemetryPrometheusScrapingEndpoint("/_stratus/metrics");
        app.Run(http => http.Request.Path.StartsWithSegments(InternalEndpoints.Prefix, StringComparison.Ordinal)
            ? internals.HandleAsync(http)
            : pipeline.InvokeAsync(http));

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException error)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            await scrubber.DisposeAsync().ConfigureAwait(false);
            await lifecycle.DisposeAsync().ConfigureAwait(false);
            kv.Dispose();
            data.Dispose();
            throw new StartupException($"cannot listen on {options.Host}:{options.Port}: {error.Message}");
        }

        var endpoint = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Stratus");
        logger.LogInformation(
            "Stratus {Version} ready on {Endpoint} ({Storage}) in {StartupMs:F0} ms",
            InternalEndpoints.Version,
            endpoint,
            data.IsTemporary ? "ephemeral" : "data in " + data.Path,
            (DateTime.UtcNow - startedAt).TotalMilliseconds);
        return new StratusServer(app, data, kv, scrubber, endpoint) { Lifecycle = lifecycle };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        await _scrubber.DisposeAsync().ConfigureAwait(false);
        if (Lifecycle is not null)
        {
            await Lifecycle.DisposeAsync().ConfigureAwait(false);
        }

        _kv.Dispose(); // flushes; every acknowledged write is already durable in the WAL
        _data.Dispose();
    }

    private static List<AccountKeys> LoadAccounts(ServeOptions options)
    {
        var accounts = new List<AccountKeys> { new(options.AccountId, options.AccessKeyId, options.SecretAccessKey, "default") };
        if (options.AccountsFile is not null)
        {
            try
            {
                accounts.AddRange(AccountsFile.Load(options.AccountsFile));
            }
            catch (Exception error) when (error is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                throw new StartupException(error.Message);
            }
        }

        try
        {
            _ = new CredentialStore(accounts);
        }
        catch (ArgumentException error)
        {
            throw new StartupException(error.Message);
        }

        return accounts;
    }

    private static void ConfigureLogging(ILoggingBuilder logging, ServeOptions options)
    {
        if (!Enum.TryParse<LogLevel>(options.LogLevel, ignoreCase: true, out var level))
        {
            throw new StartupException($"--log-level '{options.LogLevel}' is not one of Trace, Debug, Information, Warning, Error, Critical, None.");
        }

        logging.ClearProviders();
        if (options.LogFormat.Equals("json", StringComparison.OrdinalIgnoreCase))
        {
            logging.AddJsonConsole(o => o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ");
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
                o.UseUtcTimestamp = true;
            });
        }

        logging.SetMinimumLevel(level);
        logging.AddFilter("Microsoft", level > LogLevel.Warning ? level : LogLevel.Warning);
    }
}
