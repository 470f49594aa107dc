using System.Diagnostics.CodeAnalysis;

namespace Stratus.Iam.Policies;

/// <summary>The comparison a condition operator makes, before negation, <c>IfExists</c> and set qualifiers.</summary>
internal enum ComparisonKind : byte
{
    StringEquals,
    StringEqualsIgnoreCase,
    StringLike,
    NumericEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    ArnLike,
    Null,
}

/// <summary>How a condition treats a multivalued context key.</summary>
internal enum SetQualifier : byte
{
    None,
    ForAnyValue,
    ForAllValues,
}

/// <summary>A parsed condition operator such as <c>ForAnyValue:StringNotLikeIfExists</c>.</summary>
internal readonly record struct ConditionOperator(ComparisonKind Comparison, bool Negated, bool IfExists, SetQualifier Qualifier, string Name)
{
    private static readonly Dictionary<string, (ComparisonKind Kind, bool Negated)> Names = new(StringComparer.Ordinal)
    {
        ["StringEquals"] = (ComparisonKind.StringEquals, false),
        ["StringNotEquals"] = (ComparisonKind.StringEquals, true),
        ["StringEqualsIgnoreCase"] = (ComparisonKind.StringEqualsIgnoreCase, false),
        ["StringNotEqualsIgnoreCase"] = (ComparisonKind.StringEqualsIgnoreCase, true),
        ["StringLike"] = (ComparisonKind.StringLike, false),
        ["StringNotLike"] = (ComparisonKind.StringLike, true),
        ["NumericEquals"] = (ComparisonKind.NumericEquals, false),
        ["NumericNotEquals"] = (ComparisonKind.NumericEquals, true),
        ["NumericLessThan"] = (ComparisonKind.NumericLessThan, false),
        ["NumericLessThanEquals"] = (ComparisonKind.NumericLessThanEquals, false),
        ["NumericGreaterThan"] = (ComparisonKind.NumericGreaterThan, false),
        ["NumericGreaterThanEquals"] = (ComparisonKind.NumericGreaterThanEquals, false),
        ["DateEquals"] = (ComparisonKind.DateEquals, false),
        ["DateNotEquals"] = (ComparisonKind.DateEquals, true),
        ["DateLessThan"] = (ComparisonKind.DateLessThan, false),
        ["DateLessThanEquals"] = (ComparisonKind.DateLessThanEquals, false),
        ["DateGreaterThan"] = (ComparisonKind.DateGreaterThan, false),
        ["DateGreaterThanEquals"] = (ComparisonKind.DateGreaterThanEquals, false),
        ["Bool"] = (ComparisonKind.Bool, false),
        ["BinaryEquals"] = (ComparisonKind.BinaryEquals, false),
        ["IpAddress"] = (ComparisonKind.IpAddress, false),
        ["NotIpAddress"] = (ComparisonKind.IpAddress, true),
        ["ArnEquals"] = (ComparisonKind.ArnLike, false),
        ["ArnLike"] = (ComparisonKind.ArnLike, false),
        ["ArnNotEquals"] = (ComparisonKind.ArnLike, true),
        ["ArnNotLike"] = (ComparisonKind.ArnLike, true),
        ["Null"] = (ComparisonKind.Null, false),
    };

    /// <summary>Parses an operator name; AWS spells them case-sensitively.</summary>
    public static bool TryParse(string name, [NotNullWhen(true)] out ConditionOperator? op)
    {
        op = null;
        var rest = name;
        var qualifier = SetQualifier.None;
        if (rest.StartsWith("ForAnyValue:", StringComparison.Ordinal))
        {
            qualifier = SetQualifier.ForAnyValue;
            rest = rest["ForAnyValue:".Length..];
        }
        else if (rest.StartsWith("ForAllValues:", StringComparison.Ordinal))
        {
            qualifier = SetQualifier.ForAllValues;
            rest = rest["ForAllValues:".Length..];
        }

        var ifExists = false;
        if (rest.EndsWith("IfExists", StringComparison.Ordinal))
        {
            ifExists = true;
            rest = rest[..^"IfExists".Length];
        }

        if (!Names.TryGetValue(rest, out var found) || (found.Kind == ComparisonKind.Null && (ifExists || qualifier != SetQualifier.None)))
        {
            return false;
        }

        op = new ConditionOperator(found.Kind, found.Negated, ifExists, qualifier, name);
        return true;
    }

    public override string ToString() => Name;
}
