using Stratus.Protocol.Codecs;

namespace Stratus.Protocol.Catalog;

/// <summary>A REST path template such as <c>/{Bucket}/{Key+}</c>: literal segments, labels and one greedy label.</summary>
public sealed class UriTemplate
{
    private readonly Segment[] _segments;

    private UriTemplate(Segment[] segments) => _segments = segments;

    /// <summary>How many literal segments the template has; more literals means a more specific route.</summary>
    public int LiteralCount { get; private init; }

    /// <summary>Parses a model's <c>requestUri</c> path (without its query part).</summary>
    public static UriTemplate Parse(string template)
    {
        var parts = template.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        var segments = new Segment[parts.Length];
        var literals = 0;
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (part.StartsWith('{') && part.EndsWith('}'))
            {
                var greedy = part.EndsWith("+}", StringComparison.Ordinal);
                var name = part[1..(greedy ? ^2 : ^1)];
                segments[i] = new Segment(name, IsLabel: true, greedy);
            }
            else
            {
                segments[i] = new Segment(part, IsLabel: false, Greedy: false);
                literals++;
            }
        }

        return new UriTemplate(segments) { LiteralCount = literals };
    }

    /// <summary>
    /// Matches a raw (still percent-encoded) path. Labels come back percent-decoded; a greedy label
    /// takes the rest of the path, slashes included, and must not be empty.
    /// </summary>
    public bool TryMatch(string rawPath, out Dictionary<string, string>? labels)
    {
        labels = null;
        var position = rawPath.Length > 0 && rawPath[0] == '/' ? 1 : 0;
        for (var i = 0; i < _segments.Length; i++)
        {
            var segment = _segments[i];
            if (position > rawPath.Length)
            {
                return false;
            }

            if (segment.Greedy)
            {
                var rest = rawPath[position..];
                if (rest.Length == 0)
                {
                    return false;
                }

                labels ??= new Dictionary<string, string>(StringComparer.Ordinal);
                labels[segment.Text] = PercentDecoding.Decode(rest);
                return true;
            }

            var end = rawPath.IndexOf('/', position);
            if (end < 0)
            {
                end = rawPath.Length;
            }

            var value = rawPath.AsSpan(position, end - position);
            if (value.Length == 0)
            {
                return false;
            }

            if (segment.IsLabel)
            {
                labels ??= new Dictionary<string, string>(StringComparer.Ordinal);
                labels[segment.Text] = PercentDecoding.Decode(value.ToString());
            }
            else if (!value.SequenceEqual(segment.Text))
            {
                return false;
            }

            position = end + 1;
        }

        // Everything consumed; a single trailing slash is tolerated.
        return position >= rawPath.Length;
    }

    private readonly record struct Segment(string Text, bool IsLabel, bool Greedy);
}
