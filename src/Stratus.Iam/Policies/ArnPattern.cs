namespace Stratus.Iam.Policies;

/// <summary>
/// A Resource or Arn-condition pattern. An ARN pattern is matched component by component (partition, service,
/// region, account, resource), so a wildcard in one of the first five never spans a colon; the resource part
/// may contain colons. Anything else (<c>*</c>) is matched as a whole.
/// </summary>
internal sealed class ArnPattern
{
    private const int Components = 6;
    private readonly WildcardPattern? _whole;
    private readonly WildcardPattern[]? _components;

    private ArnPattern(string text, WildcardPattern? whole, WildcardPattern[]? components)
    {
        Text = text;
        _whole = whole;
        _components = components;
    }

    public string Text { get; }

    public bool MatchesEverything => _whole is { MatchesEverything: true };

    public bool HasVariables => _whole?.HasVariables ?? Array.Exists(_components!, c => c.HasVariables);

    /// <summary>True when <paramref name="text"/> has the six components of an ARN (or is a bare wildcard).</summary>
    public static bool LooksLikeArn(string text) => text.StartsWith("arn:", StringComparison.Ordinal) && SplitPoints(text, true, out _);

    public static ArnPattern Compile(string text, bool variables)
    {
        if (text.StartsWith("arn:", StringComparison.Ordinal) && SplitPoints(text, variables, out var colons))
        {
            var components = new WildcardPattern[Components];
            var start = 0;
            for (var i = 0; i < Components; i++)
            {
                var end = i < Components - 1 ? colons[i] : text.Length;
                components[i] = WildcardPattern.Compile(text[start..end], wildcards: true, variables, ignoreCase: false);
                start = end + 1;
            }

            return new ArnPattern(text, null, components);
        }

        return new ArnPattern(text, WildcardPattern.Compile(text, wildcards: true, variables, ignoreCase: false), null);
    }

    public bool VariablesResolve(AuthorizationContext context)
    {
        if (_whole is not null)
        {
            return _whole.VariablesResolve(context);
        }

        foreach (var component in _components!)
        {
            if (!component.VariablesResolve(context))
            {
                return false;
            }
        }

        return true;
    }

    public bool IsMatch(string value, AuthorizationContext? context)
    {
        if (_whole is not null)
        {
            return _whole.IsMatch(value, context);
        }

        var components = _components!;
        var rest = value.AsSpan();
        for (var i = 0; i < Components - 1; i++)
        {
            var colon = rest.IndexOf(':');
            if (colon < 0 || !components[i].IsMatch(rest[..colon], context))
            {
                return false;
            }

            rest = rest[(colon + 1)..];
        }

        return components[Components - 1].IsMatch(rest, context);
    }

    public override string ToString() => Text;

    // The first five colons outside ${…}.
    private static bool SplitPoints(string text, bool variables, out int[] colons)
    {
        colons = new int[Components - 1];
        var found = 0;
        for (var i = 0; i < text.Length && found < Components - 1; i++)
        {
            if (variables && text[i] == '$' && i + 1 < text.Length && text[i + 1] == '{')
            {
                var close = text.IndexOf('}', i + 2);
                if (close > 0)
                {
                    i = close;
                    continue;
                }
            }

            if (text[i] == ':')
            {
                colons[found++] = i;
            }
        }

        return found == Components - 1;
    }
}
