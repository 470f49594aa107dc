using System.Text;

namespace Stratus.Protocol.Codecs;

/// <summary>
/// The decoded name/value pairs of a query-protocol request (the form body and the query string),
/// with the accessors the protocol's flattened lists (<c>Name.member.N</c>) and maps (<c>Name.entry.N.key</c>) need.
/// </summary>
public sealed class QueryParameters
{
    private readonly Dictionary<string, string> _values;

    private QueryParameters(Dictionary<string, string> values) => _values = values;

    /// <summary>No parameters.</summary>
    public static QueryParameters Empty { get; } = new(new Dictionary<string, string>(StringComparer.Ordinal));

    /// <summary>How many parameters there are.</summary>
    public int Count => _values.Count;

    /// <summary>All names, in no particular order.</summary>
    public IEnumerable<string> Names => _values.Keys;

    /// <summary>
    /// Parses <c>application/x-www-form-urlencoded</c> text (also a raw query string). A repeated name keeps its first value,
    /// as AWS does; <c>+</c> is a space.
    /// </summary>
    public static QueryParameters Parse(ReadOnlySpan<char> text, QueryParameters? merge = null)
    {
        var values = merge is null
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : new Dictionary<string, string>(merge._values, StringComparer.Ordinal);
        foreach (var range in text.Split('&'))
        {
            var pair = text[range];
            if (pair.IsEmpty)
            {
                continue;
            }

            var equals = pair.IndexOf('=');
            var name = Decode(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Decode(pair[(equals + 1)..]);
            values.TryAdd(name, value);
        }

        return new QueryParameters(values);
    }

    /// <summary>Parses a UTF-8 form body.</summary>
    public static QueryParameters Parse(ReadOnlySpan<byte> utf8Form, QueryParameters? merge = null)
    {
        var text = Encoding.UTF8.GetString(utf8Form);
        return Parse(text.AsSpan(), merge);
    }

    public bool Contains(string name) => _values.ContainsKey(name);

    /// <summary>The value of a parameter, or null when absent.</summary>
    public string? Get(string name) => _values.TryGetValue(name, out var value) ? value : null;

    /// <summary>The values of a flattened list <c>prefix.1</c>, <c>prefix.2</c>, …, stopping at the first gap.</summary>
    public List<string> GetList(string prefix)
    {
        var list = new List<string>();
        for (var i = 1; _values.TryGetValue($"{prefix}.{i}", out var value); i++)
        {
            list.Add(value);
        }

        return list;
    }

    /// <summary>The values of a map <c>prefix.entry.N.key</c>/<c>.value</c> (or other member names), stopping at the first gap.</summary>
    public Dictionary<string, string> GetMap(string prefix, string keyName = "key", string valueName = "value")
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; _values.TryGetValue($"{prefix}.{i}.{keyName}", out var key); i++)
        {
            map[key] = _values.TryGetValue($"{prefix}.{i}.{valueName}", out var value) ? value : "";
        }

        return map;
    }

    private static string Decode(ReadOnlySpan<char> encoded)
    {
        if (encoded.IndexOfAny('%', '+') < 0)
        {
            return encoded.ToString();
        }

        return Uri.UnescapeDataString(encoded.ToString().Replace('+', ' '));
    }
}
