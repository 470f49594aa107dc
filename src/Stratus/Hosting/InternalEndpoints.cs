using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Stratus.Iam.Authorization;
using Stratus.Protocol.Catalog;
using Stratus.Protocol.Services;
using Stratus.Storage.Objects;

namespace Stratus.Hosting;

/// <summary>The <c>/_stratus/…</c> endpoints that are not AWS APIs: health now; the dashboard, faults and clock later.</summary>
internal sealed class InternalEndpoints
{
    public const string Prefix = "/_stratus";

    private readonly IReadOnlyList<AwsService> _services;
    private readonly ServeOptions _options;
    private readonly DateTime _startedAt;
    private readonly ObjectStore _objects;
    private readonly ObjectScrubber _scrubber;
    private readonly DecisionLog _decisions;

    public InternalEndpoints(IEnumerable<AwsService> services, ObjectStore objects, ObjectScrubber scrubber, DecisionLog decisions, ServeOptions options, DateTime startedAt)
    {
        _decisions = decisions;
        _services = services.ToList();
        _objects = objects;
        _scrubber = scrubber;
        _options = options;
        _startedAt = startedAt;
    }

    public static string Version { get; } =
        typeof(InternalEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public Task HandleAsync(HttpContext http)
    {
        var path = http.Request.Path.Value;
        if (path is "/_stratus/health" or "/_stratus/health/")
        {
            return HealthAsync(http);
        }

        const string decisions = "/_stratus/decisions/";
        if (path is not null && path.StartsWith(decisions, StringComparison.Ordinal))
        {
            var trace = _decisions.Find(path[decisions.Length..]);
            http.Response.ContentType = "application/json";
            http.Response.StatusCode = trace is null ? StatusCodes.Status404NotFound : StatusCodes.Status200OK;
            return http.Response.WriteAsync(trace ?? $"{{\"error\":\"no denied request with id {JsonEncodedText.Encode(path[decisions.Length..])} is remembered\"}}");
        }

        http.Response.StatusCode = StatusCodes.Status404NotFound;
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync($"{{\"error\":\"no internal endpoint at {JsonEncodedText.Encode(path ?? "")}\"}}");
    }

    private async Task HealthAsync(HttpContext http)
    {
        http.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(http.Response.Body, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteString("status", "ok");
        writer.WriteString("version", Version);
        writer.WriteNumber("uptimeSeconds", Math.Round((DateTime.UtcNow - _startedAt).TotalSeconds, 3));
        writer.WriteString("region", _options.Region);
        writer.WriteString("storage", _options.Ephemeral ? "ephemeral" : Path.GetFullPath(_options.DataDir));
        writer.WriteStartObject("drives");
        writer.WriteNumber("count", _options.Drives);
        writer.WriteNumber("parity", _options.Parity);
        writer.WriteStartArray("offline");
        for (var drive = 0; drive < _options.Drives; drive++)
        {
            if (_objects.IsDriveOffline(drive))
            {
                writer.WriteStringValue($"d{drive}");
            }
        }

        writer.WriteEndArray();
        if (_scrubber.LastPass is { } pass)
        {
            writer.WriteStartObject("lastScrub");
            writer.WriteString("finished", pass.Finished);
            writer.WriteNumber("objects", pass.Objects);
            writer.WriteNumber("damagedShards", pass.DamagedShards);
            writer.WriteNumber("repairedShards", pass.RepairedShards);
            writer.WriteNumber("lostObjects", pass.UnrecoverableObjects);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteStartObject("services");
        foreach (var descriptor in ServiceCatalog.Services)
        {
            var service = _services.FirstOrDefault(s => s.Descriptor == descriptor);
            var implemented = service?.ImplementedOperations.Count() ?? 0;
            writer.WriteStartObject(descriptor.Name);
            writer.WriteString("state", implemented == 0 ? "not-implemented" : "running");
            writer.WriteNumber("operations", descriptor.Operations.Count);
            writer.WriteNumber("implemented", implemented);
            writer.WriteStartArray("implementedOperations");
            foreach (var name in service?.ImplementedOperations.Order(StringComparer.Ordinal) ?? Enumerable.Empty<string>())
            {
                writer.WriteStringValue(name);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
