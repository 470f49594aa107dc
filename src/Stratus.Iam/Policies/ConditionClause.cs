using System.Globalization;

namespace Stratus.Iam.Policies;

/// <summary>
/// One operator applied to one key with its values, precompiled. Values OR together; the clauses of a
/// Condition block AND together.
/// </summary>
internal sealed class ConditionClause
{
    private readonly WildcardPattern[]? _strings;
    private readonly double[]? _numbers;
    private readonly DateTimeOffset[]? _dates;
    private readonly bool[]? _flags;
    private readonly string[]? _binary;
    private readonly IpRange[]? _ranges;
    private readonly ArnPattern[]? _arns;
    private readonly bool _hasVariables;

    private ConditionClause(ConditionOperator op, string key, string[] values, WildcardPattern[]? strings, double[]? numbers,
        DateTimeOffset[]? dates, bool[]? flags, string[]? binary, IpRange[]? ranges, ArnPattern[]? arns)
    {
        Operator = op;
        Key = key;
        Values = values;
        _strings = strings;
        _numbers = numbers;
        _dates = dates;
        _flags = flags;
        _binary = binary;
        _ranges = ranges;
        _arns = arns;
        _hasVariables = (strings is not null && Array.Exists(strings, s => s.HasVariables)) || (arns is not null && Array.Exists(arns, a => a.HasVariables));
    }

    public ConditionOperator Operator { get; }

    /// <summary>The condition key as written (looked up case-insensitively).</summary>
    public string Key { get; }

    /// <summary>The policy's values as written.</summary>
    public IReadOnlyList<string> Values { get; }

    /// <summary>Compiles the values for the operator; throws <see cref="MalformedPolicyDocumentException"/> on a value it cannot take.</summary>
    public static ConditionClause Compile(ConditionOperator op, string key, string[] values, bool variables)
    {
        WildcardPattern[]? strings = null;
        double[]? numbers = null;
        DateTimeOffset[]? dates = null;
        bool[]? flags = null;
        string[]? binary = null;
        IpRange[]? ranges = null;
        ArnPattern[]? arns = null;
        switch (op.Comparison)
        {
            case ComparisonKind.StringEquals or ComparisonKind.StringEqualsIgnoreCase or ComparisonKind.StringLike:
                strings = new WildcardPattern[values.Length];
                for (var i = 0; i < values.Length; i++)
                {
                    strings[i] = WildcardPattern.Compile(values[i], wildcards: op.Comparison == ComparisonKind.StringLike, variables,
                        ignoreCase: op.Comparison == ComparisonKind.StringEqualsIgnoreCase);
                }

                break;
            case >= ComparisonKind.NumericEquals and <= ComparisonKind.NumericGreaterThanEquals:
                numbers = new double[values.Length];
                for (var i = 0; i < values.Length; i++)
                {
                    if (!TryParseNumber(values[i], out numbers[i]))
                    {
                        throw Invalid(op, key, values[i], "a number");
                    }
                }

                break;
            case >= ComparisonKind.DateEquals and <= ComparisonKind.DateGreaterThanEquals:
                dates = new DateTimeOffset[values.Length];
                for (var i = 0; i < values.Length; i++)
                {
                    if (!TryParseDate(values[i], out dates[i]))
                    {
                        throw Invalid(op, key, values[i], "an ISO 8601 date or epoch seconds");
                    }
                }

                break;
            case ComparisonKind.Bool or ComparisonKind.Null:
                flags = new bool[values.Length];
                for (var i = 0; i < values.Length; i++)
                {
                    if (!bool.TryParse(values[i], out flags[i]))
                    {
                        throw Invalid(op, key, values[i], "true or false");
                    }
                }

                break;
            case ComparisonKind.BinaryEquals:
                binary = new string[values.Length];
                for (var i = 0; i < values.Length; i++)
                {
                    try
                    {
                        binary[i] = Convert.ToBase64String(Convert.FromBase64String(values[i]));
                    }
                    catch (FormatException)
                    {
                        throw Invalid(op, key, values[i], "base64");
                    }
                }

                break;
            case ComparisonKind.IpAddress:
                ranges = new IpRange[values.Length];
                for (var i = 0; i < values.Length; i++)
                {
                    if (!IpRange.TryParse(values[i], out var range))
                    {
                        throw Invalid(op, key, values[i], "an IPv4 or IPv6 address or CIDR block");
                    }

                    ranges[i] = range.Value;
                }

                break;
            case ComparisonKind.ArnLike:
                arns = new ArnPattern[values.Length];
                for (var i = 0; i < values.Length; i++)
                {
                    arns[i] = ArnPattern.Compile(values[i], variables);
                }

                break;
        }

        return new ConditionClause(op, key, values, strings, numbers, dates, flags, binary, ranges, arns);
    }

    /// <summary>Evaluates the clause against the request context, with AWS's rules for missing keys and set qualifiers.</summary>
    public bool Evaluate(AuthorizationContext context)
    {
        var present = context.TryGetKey(Key, out var value) && value.Count > 0;
        if (Operator.Comparison == ComparisonKind.Null)
        {
            // "Null": "true" asks that the key be absent, "false" that it be present.
            foreach (var wantsAbsent in _flags!)
            {
                if (wantsAbsent != present)
                {
                    return true;
                }
            }

            return false;
        }

        // A positive operator's value with a missing variable just fails to match; a negated one must not turn that into a match.
        if (_hasVariables && Operator.Negated && !VariablesResolve(context))
        {
            return false;
        }

        if (!present)
        {
            if (Operator.IfExists)
            {
                return true;
            }

            return Operator.Qualifier switch
            {
                SetQualifier.ForAllValues => true,
                SetQualifier.ForAnyValue => false,
                _ => Operator.Negated,
            };
        }

        switch (Operator.Qualifier)
        {
            case SetQualifier.ForAnyValue:
                for (var i = 0; i < value!.Count; i++)
                {
                    if (MatchesAnyPolicyValue(value, i, context) != Operator.Negated)
                    {
                        return true;
                    }
                }

                return false;
            case SetQualifier.ForAllValues:
                for (var i = 0; i < value!.Count; i++)
                {
                    if (MatchesAnyPolicyValue(value, i, context) == Operator.Negated)
                    {
                        return false;
                    }
                }

                return true;
            default:
                var any = false;
                for (var i = 0; i < value!.Count && !any; i++)
                {
                    any = MatchesAnyPolicyValue(value, i, context);
                }

                return any != Operator.Negated;
        }
    }

    public override string ToString() => $"{Operator.Name} {Key}";

    internal static bool TryParseNumber(string text, out double number) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number);

    internal static bool TryParseDate(string text, out DateTimeOffset date)
    {
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var epoch))
        {
            if (epoch is >= -62135596800 and <= 253402300799)
            {
                date = DateTimeOffset.FromUnixTimeSeconds(epoch);
                return true;
            }

            date = default;
            return false;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out date);
    }

    private bool VariablesResolve(AuthorizationContext context)
    {
        if (_strings is not null)
        {
            foreach (var pattern in _strings)
            {
                if (!pattern.VariablesResolve(context))
                {
                    return false;
                }
            }
        }

        if (_arns is not null)
        {
            foreach (var pattern in _arns)
            {
                if (!pattern.VariablesResolve(context))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private bool MatchesAnyPolicyValue(ContextValue value, int index, AuthorizationContext context)
    {
        var text = value[index];
        switch (Operator.Comparison)
        {
            case ComparisonKind.StringEquals or ComparisonKind.StringEqualsIgnoreCase or ComparisonKind.StringLike:
                foreach (var pattern in _strings!)
                {
                    if (pattern.IsMatch(text, context))
                    {
                        return true;
                    }
                }

                return false;
            case >= ComparisonKind.NumericEquals and <= ComparisonKind.NumericGreaterThanEquals:
                if (!value.TryGetNumber(index, out var number))
                {
                    return false;
                }

                foreach (var bound in _numbers!)
                {
                    if (Compare(number.CompareTo(bound)))
                    {
                        return true;
                    }
                }

                return false;
            case >= ComparisonKind.DateEquals and <= ComparisonKind.DateGreaterThanEquals:
                if (!value.TryGetDate(index, out var date))
                {
                    return false;
                }

                foreach (var bound in _dates!)
                {
                    if (Compare(date.CompareTo(bound)))
                    {
                        return true;
                    }
                }

                return false;
            case ComparisonKind.Bool:
                foreach (var flag in _flags!)
                {
                    if (string.Equals(text, flag ? "true" : "false", StringComparison.OrdinalIgnoreCase))
                    {
                        return true;
                    }
                }

                return false;
            case ComparisonKind.BinaryEquals:
                foreach (var expected in _binary!)
                {
                    if (string.Equals(text, expected, StringComparison.Ordinal))
                    {
                        return true;
                    }
                }

                return false;
            case ComparisonKind.IpAddress:
                var address = value.AddressAt(index);
                foreach (var range in _ranges!)
                {
                    if (range.Contains(address))
                    {
                        return true;
                    }
                }

                return false;
            case ComparisonKind.ArnLike:
                foreach (var pattern in _arns!)
                {
                    if (pattern.IsMatch(text, context))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    private bool Compare(int order) => Operator.Comparison switch
    {
        ComparisonKind.NumericEquals or ComparisonKind.DateEquals => order == 0,
        ComparisonKind.NumericLessThan or ComparisonKind.DateLessThan => order < 0,
        ComparisonKind.NumericLessThanEquals or ComparisonKind.DateLessThanEquals => order <= 0,
        ComparisonKind.NumericGreaterThan or ComparisonKind.DateGreaterThan => order > 0,
        ComparisonKind.NumericGreaterThanEquals or ComparisonKind.DateGreaterThanEquals => order >= 0,
        _ => false,
    };

    private static MalformedPolicyDocumentException Invalid(ConditionOperator op, string key, string value, string expected) =>
        new($"Invalid value \"{value}\" for condition {op.Name} on {key}: expected {expected}.");
}
