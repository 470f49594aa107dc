using System.Runtime.CompilerServices;
using System.Text;

namespace Stratus.Iam.Policies;

/// <summary>
/// A precompiled pattern: literal text, <c>*</c> (any run), <c>?</c> (one character) and policy variables
/// (<c>${aws:username}</c>, <c>${key, 'default'}</c>, escapes <c>${*}</c> <c>${?}</c> <c>${$}</c>). Matching allocates nothing.
/// </summary>
internal sealed class WildcardPattern
{
    private readonly Atom[] _atoms;
    private readonly bool _ignoreCase;
    private readonly string? _literal;

    private WildcardPattern(string text, Atom[] atoms, bool ignoreCase)
    {
        Text = text;
        _atoms = atoms;
        _ignoreCase = ignoreCase;
        var star = atoms.Length > 0;
        foreach (var atom in atoms)
        {
            HasVariables |= atom.Kind == AtomKind.Variable;
            star &= atom.Kind == AtomKind.Star;
        }

        MatchesEverything = star;
        _literal = atoms.Length == 0 ? "" : atoms.Length == 1 && atoms[0].Kind == AtomKind.Literal ? atoms[0].Text : null;
    }

    private enum AtomKind : byte
    {
        Literal,
        Star,
        One,
        Variable,
    }

    /// <summary>The pattern as written.</summary>
    public string Text { get; }

    public bool HasVariables { get; }

    /// <summary>True for <c>*</c> (or <c>**</c>): any value matches.</summary>
    public bool MatchesEverything { get; }

    /// <summary>Compiles <paramref name="text"/>; wildcards are off for exact operators, variables off for 2008-10-17.</summary>
    public static WildcardPattern Compile(string text, bool wildcards, bool variables, bool ignoreCase)
    {
        var atoms = new List<Atom>();
        var literal = new StringBuilder();
        void Flush()
        {
            if (literal.Length > 0)
            {
                atoms.Add(new Atom(AtomKind.Literal, literal.ToString(), null));
                literal.Clear();
            }
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (variables && c == '$' && i + 1 < text.Length && text[i + 1] == '{')
            {
                var close = text.IndexOf('}', i + 2);
                if (close > 0)
                {
                    var inner = text.AsSpan(i + 2, close - i - 2).Trim();
                    if (inner is "*" or "?" or "$")
                    {
                        literal.Append(inner[0]);
                    }
                    else if (TryParseVariable(inner, out var key, out var fallback))
                    {
                        Flush();
                        atoms.Add(new Atom(AtomKind.Variable, key, fallback));
                    }
                    else
                    {
                        literal.Append(text, i, close - i + 1);
                    }

                    i = close;
                    continue;
                }
            }

            if (wildcards && c == '*')
            {
                Flush();
                if (atoms.Count == 0 || atoms[^1].Kind != AtomKind.Star)
                {
                    atoms.Add(new Atom(AtomKind.Star, "", null));
                }
            }
            else if (wildcards && c == '?')
            {
                Flush();
                atoms.Add(new Atom(AtomKind.One, "", null));
            }
            else
            {
                literal.Append(c);
            }
        }

        Flush();
        return new WildcardPattern(text, [.. atoms], ignoreCase);
    }

    /// <summary>True when every variable resolves (from the context or its default).</summary>
    public bool VariablesResolve(AuthorizationContext context)
    {
        if (!HasVariables)
        {
            return true;
        }

        foreach (var atom in _atoms)
        {
            if (atom.Kind == AtomKind.Variable && (context.ResolveVariable(atom.Text) ?? atom.Default) is null)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Matches <paramref name="value"/>; false when a variable does not resolve.</summary>
    public bool IsMatch(ReadOnlySpan<char> value, AuthorizationContext? context)
    {
        // Most components of most patterns are plain text or a lone '*'.
        if (MatchesEverything)
        {
            return true;
        }

        if (_literal is not null)
        {
            return _ignoreCase ? value.Equals(_literal, StringComparison.OrdinalIgnoreCase) : value.SequenceEqual(_literal);
        }

        // Resolve each variable once (not once per character compared), into a buffer on the stack.
        var resolved = default(ResolvedValues);
        Span<string?> texts = resolved;
        var atoms = _atoms;
        if (HasVariables)
        {
            if (atoms.Length > ResolvedValues.Capacity)
            {
                return IsMatchSlow(value, context);
            }

            for (var i = 0; i < atoms.Length; i++)
            {
                if (atoms[i].Kind == AtomKind.Variable)
                {
                    texts[i] = context?.ResolveVariable(atoms[i].Text) ?? atoms[i].Default;
                    if (texts[i] is null)
                    {
                        return false;
                    }
                }
            }
        }

        return Match(value, atoms, texts, context, fast: HasVariables);
    }

    private bool IsMatchSlow(ReadOnlySpan<char> value, AuthorizationContext? context) => Match(value, _atoms, default, context, fast: false);

    private bool Match(ReadOnlySpan<char> value, Atom[] atoms, Span<string?> resolved, AuthorizationContext? context, bool fast)
    {
        int ai = 0, ao = 0, si = 0;
        int starAi = -1, starSi = 0;
        while (true)
        {
            // Skip finished or empty text atoms.
            while (ai < atoms.Length && atoms[ai].Kind is AtomKind.Literal or AtomKind.Variable)
            {
                var text = TextOf(atoms, ai, resolved, context, fast);
                if (text is null)
                {
                    return false;
                }

                if (ao < text.Length)
                {
                    break;
                }

                ai++;
                ao = 0;
            }

            if (si == value.Length)
            {
                while (ai < atoms.Length && (atoms[ai].Kind == AtomKind.Star || (ao == 0 && TextOf(atoms, ai, resolved, context, fast) is { Length: 0 })))
                {
                    ai++;
                }

                return ai == atoms.Length;
            }

            if (ai < atoms.Length)
            {
                switch (atoms[ai].Kind)
                {
                    case AtomKind.Star:
                        starAi = ai + 1;
                        starSi = si;
                        ai++;
                        ao = 0;
                        continue;
                    case AtomKind.One:
                        ai++;
                        si++;
                        continue;
                    default:
                        var text = TextOf(atoms, ai, resolved, context, fast)!;
                        if (Same(text[ao], value[si]))
                        {
                            ao++;
                            si++;
                            continue;
                        }

                        break;
                }
            }

            if (starAi < 0)
            {
                return false;
            }

            starSi++;
            si = starSi;
            ai = starAi;
            ao = 0;
        }
    }

    public override string ToString() => Text;

    private static string? TextOf(Atom[] atoms, int index, Span<string?> resolved, AuthorizationContext? context, bool fast)
    {
        ref readonly var atom = ref atoms[index];
        return atom.Kind == AtomKind.Literal ? atom.Text : fast ? resolved[index] : (context?.ResolveVariable(atom.Text) ?? atom.Default);
    }

    private bool Same(char a, char b) => a == b || (_ignoreCase && char.ToUpperInvariant(a) == char.ToUpperInvariant(b));

    // key or key, 'default' (AWS quotes the default with single quotes).
    private static bool TryParseVariable(ReadOnlySpan<char> inner, out string key, out string? fallback)
    {
        key = "";
        fallback = null;
        var comma = inner.IndexOf(',');
        var keyPart = (comma < 0 ? inner : inner[..comma]).Trim();
        if (keyPart.IsEmpty || keyPart.ContainsAny(" '${"))
        {
            return false;
        }

        if (comma >= 0)
        {
            var rest = inner[(comma + 1)..].Trim();
            if (rest.Length < 2 || rest[0] != '\'' || rest[^1] != '\'')
            {
                return false;
            }

            fallback = rest[1..^1].ToString();
        }

        key = keyPart.ToString();
        return true;
    }

    private readonly record struct Atom(AtomKind Kind, string Text, string? Default);

    [InlineArray(Capacity)]
    private struct ResolvedValues
    {
        public const int Capacity = 8;
        private string? _first;
    }
}
