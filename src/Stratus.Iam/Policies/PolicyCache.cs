namespace Stratus.Iam.Policies;

/// <summary>
/// Compiled policies by exact document text (and kind), least recently used evicted past a bound, so a policy
/// attached to many principals is parsed once. The IAM layer will key by policy ARN and version id instead.
/// </summary>
public sealed class PolicyCache
{
    private readonly int _capacity;
    private readonly Dictionary<(string Text, PolicyKind Kind), LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _recency = new();
    private readonly Lock _lock = new();

    public PolicyCache(int capacity = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>The compiled policy for <paramref name="json"/>, parsing it on a miss (a malformed document is not cached).</summary>
    public PolicyDocument GetOrParse(string json, PolicyKind kind, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        var key = (json, kind);
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var node) && node.Value.Document.Name == (name ?? node.Value.Document.Name))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                return node.Value.Document;
            }
        }

        // Parse outside the lock: a large policy must not stall other requests.
        var document = PolicyDocument.Parse(json, kind, name);
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var existing))
            {
                _recency.Remove(existing);
                _entries.Remove(key);
            }

            var node = _recency.AddFirst(new Entry(key, document));
            _entries[key] = node;
            if (_entries.Count > _capacity)
            {
                var last = _recency.Last!;
                _recency.RemoveLast();
                _entries.Remove(last.Value.Key);
            }
        }

        return document;
    }

    private sealed record Entry((string Text, PolicyKind Kind) Key, PolicyDocument Document);
}
