using System.Collections.Concurrent;
using System.Text.Json;
using Stratus.Iam.Policies;

namespace Stratus.Iam.Authorization;

/// <summary>
/// The traces of recent denials, by request id, so that an <c>AccessDenied</c> can be explained after the fact
/// (<c>/_stratus/decisions/{requestId}</c>, <c>stratus explain</c>). Bounded: the oldest traces are forgotten.
/// </summary>
public sealed class DecisionLog
{
    private readonly ConcurrentDictionary<string, string> _traces = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();
    private readonly int _capacity;

    public DecisionLog(int capacity = 4096) => _capacity = capacity;

    /// <summary>The trace of a denied request as JSON, or null when it is unknown or forgotten.</summary>
    public string? Find(string requestId) => _traces.TryGetValue(requestId, out var trace) ? trace : null;

    internal void Record(string requestId, string principal, string action, IReadOnlyList<string> resources, PolicyExplanation explanation)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("requestId", requestId);
            writer.WriteString("principal", principal == "*" ? "anonymous" : principal);
            writer.WriteString("action", action);
            writer.WriteStartArray("resources");
            foreach (var resource in resources)
            {
                writer.WriteStringValue(resource);
            }

            writer.WriteEndArray();
            writer.WriteString("decision", explanation.Decision.ToString());
            writer.WriteString("reason", explanation.Reason);
            if (explanation.DecidingStatement is { } deciding)
            {
                writer.WriteString("decidedBy", deciding.Label);
            }

            writer.WriteStartArray("statements");
            foreach (var statement in explanation.Statements)
            {
                writer.WriteStartObject();
                writer.WriteString("statement", statement.Label);
                writer.WriteString("policyKind", statement.Kind.ToString());
                writer.WriteString("effect", statement.Effect.ToString());
                writer.WriteString("resource", statement.Resource);
                writer.WriteString("outcome", statement.Outcome.ToString());
                if (statement.Detail is not null)
                {
                    writer.WriteString("detail", statement.Detail);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        if (_traces.TryAdd(requestId, System.Text.Encoding.UTF8.GetString(buffer.ToArray())))
        {
            _order.Enqueue(requestId);
            while (_order.Count > _capacity && _order.TryDequeue(out var oldest))
            {
                _traces.TryRemove(oldest, out _);
            }
        }
    }
}
