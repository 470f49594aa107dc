namespace Stratus.Hosting;

/// <summary>The settings of <c>stratus serve</c>, from flags or <c>STRATUS_*</c> environment variables.</summary>
internal sealed record ServeOptions
{
    public int Port { get; init; } = 4566;

    public string Host { get; init; } = "127.0.0.1";

    public string DataDir { get; init; } = ".stratus";

    public bool Ephemeral { get; init; }

    public string Region { get; init; } = "us-east-1";

    /// <summary>How many drive folders object shards are spread over (<c>drives/d0…dN-1</c>).</summary>
    public int Drives { get; init; } = 6;

    /// <summary>How many of the drives hold parity; any this many can be lost.</summary>
    public int Parity { get; init; } = 2;

    /// <summary>How often the scrubber verifies every shard against its hash and heals what is missing or corrupt.</summary>
    public TimeSpan ScrubInterval { get; init; } = TimeSpan.FromHours(1);

    public string LogLevel { get; init; } = "Information";

    public string LogFormat { get; init; } = "text";

    public string? AccountsFile { get; init; }

    public string AccountId { get; init; } = Core.AccountId.Default;

    public string AccessKeyId { get; init; } = "test";

    public string SecretAccessKey { get; init; } = "test";
}
