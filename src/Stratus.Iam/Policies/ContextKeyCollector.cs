namespace Stratus.Iam.Policies;

/// <summary>Gathers the context keys a policy reads while it is parsed: condition keys and policy variables' keys.</summary>
internal sealed class ContextKeyCollector
{
    private readonly HashSet<string> _seen = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _keys = [];
    private readonly bool _variables;

    public ContextKeyCollector(bool variables) => _variables = variables;

    public IReadOnlyList<string> Keys => _keys;

    public void Add(string key)
    {
        if (_seen.Add(key))
        {
            _keys.Add(key);
        }
    }

    /// <summary>Adds the key of every <c>${key}</c> or <c>${key, 'default'}</c> in <paramref name="text"/> (not the <c>${*}</c> escapes).</summary>
    public void AddVariables(string text)
    {
        if (!_variables)
        {
            return;
        }

        var at = 0;
        while ((at = text.IndexOf("${", at, StringComparison.Ordinal)) >= 0)
        {
            var end = text.IndexOf('}', at + 2);
            if (end < 0)
            {
                return;
            }

            var inner = text.AsSpan(at + 2, end - at - 2);
            var comma = inner.IndexOf(',');
            var key = (comma >= 0 ? inner[..comma] : inner).Trim();
            if (key.Length > 1 && key.IndexOf(':') > 0)
            {
                Add(key.ToString());
            }

            at = end + 1;
        }
    }
}
