namespace Stratus.Iam.Policies;

/// <summary>A parsed, validated and compiled policy: immutable and safe to share between threads.</summary>
public sealed class PolicyDocument
{
    private readonly PolicyStatement[] _statements;

    internal PolicyDocument(string name, PolicyKind kind, PolicyVersion version, string? id, PolicyStatement[] statements, int size, int sizeWithoutWhitespace)
    {
        Name = name;
        Kind = kind;
        Version = version;
        Id = id;
        _statements = statements;
        Size = size;
        SizeWithoutWhitespace = sizeWithoutWhitespace;
    }

    /// <summary>How explanations name the policy (a policy ARN, an inline policy name…).</summary>
    public string Name { get; }

    public PolicyKind Kind { get; }

    public PolicyVersion Version { get; }

    /// <summary>The optional <c>Id</c> element.</summary>
    public string? Id { get; }

    /// <summary>The number of statements.</summary>
    public int StatementCount => _statements.Length;

    /// <summary>The document's size in UTF-8 bytes as submitted.</summary>
    public int Size { get; }

    /// <summary>The number of characters other than whitespace, which is what AWS's policy size quotas count.</summary>
    public int SizeWithoutWhitespace { get; }

    /// <summary>
    /// The context keys the policy reads, in order of first use: condition keys and the keys of policy variables
    /// (what GetContextKeysForCustomPolicy answers). The authorizer reads costly keys (resource tags) only when listed.
    /// </summary>
    public IReadOnlyList<string> ContextKeys { get; init; } = [];

    /// <summary>The document as submitted (the simulator reports statements' positions in it).</summary>
    public string Text { get; init; } = "";

    internal PolicyStatement[] Statements => _statements;

    /// <summary>True when the policy reads a context key starting with <paramref name="prefix"/> (case-insensitive).</summary>
    public bool ReadsKeyStartingWith(string prefix)
    {
        var keys = ContextKeys;
        for (var i = 0; i < keys.Count; i++)
        {
            if (keys[i].StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Parses and compiles a policy; throws <see cref="MalformedPolicyDocumentException"/> saying what is wrong.</summary>
    public static PolicyDocument Parse(string json, PolicyKind kind, string? name = null) => PolicyParser.Parse(json, kind, name);

    public override string ToString() => Name;
}
