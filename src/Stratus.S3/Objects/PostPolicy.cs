using System.Globalization;
using System.Text.Json;
using Stratus.Core;

namespace Stratus.S3.Objects;

/// <summary>
/// The policy document of a browser-form upload (POST Object): a JSON object, sent base64 in the <c>policy</c> field,
/// with an <c>expiration</c> and the <c>conditions</c> the form must meet — exact matches (<c>{"acl": "public-read"}</c>
/// or <c>["eq", "$key", "a"]</c>), prefixes (<c>["starts-with", "$key", "user/"]</c>) and the file's size
/// (<c>["content-length-range", 1, 1048576]</c>). Every form field must be named by a condition, except the signature's
/// own fields, <c>file</c> and fields named <c>x-ignore-*</c>.
/// </summary>
internal sealed class PostPolicy
{
    /// <summary>Fields that need no condition: the policy and the signature over it, and the file.</summary>
    private static readonly HashSet<string> Exempt = new(StringComparer.OrdinalIgnoreCase) { "policy", "x-amz-signature", "signature", "awsaccesskeyid", "file" };

    private readonly List<Condition> _conditions;

    private PostPolicy(DateTimeOffset expiration, List<Condition> conditions, (long Min, long Max)? lengthRange)
    {
        Expiration = expiration;
        _conditions = conditions;
        LengthRange = lengthRange;
    }

    /// <summary>When the policy stops allowing uploads.</summary>
    public DateTimeOffset Expiration { get; }

    /// <summary>The bounds the file's size must fall in (inclusive), when the policy sets them.</summary>
    public (long Min, long Max)? LengthRange { get; }

    /// <summary>Decodes and parses the <c>policy</c> field; a malformed one is <c>InvalidPolicyDocument</c>.</summary>
    public static PostPolicy Parse(string base64)
    {
        byte[] json;
        try
        {
            json = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            throw Invalid("Invalid Policy: Invalid Base64 Encoding.");
        }

        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 8 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid("Invalid Policy: Invalid JSON.");
            }

            if (!root.TryGetProperty("expiration", out var expirationText))
            {
                throw Invalid("Invalid Policy: Policy missing expiration.");
            }

            if (expirationText.ValueKind != JsonValueKind.String
                || !DateTimeOffset.TryParse(expirationText.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var expiration))
            {
                throw Invalid($"Invalid Policy: Invalid 'expiration' value: '{expirationText}'");
            }

            if (!root.TryGetProperty("conditions", out var conditionList))
            {
                throw Invalid("Invalid Policy: Policy missing conditions.");
            }

            if (conditionList.ValueKind != JsonValueKind.Array)
            {
                throw Invalid("Invalid Policy: Invalid 'conditions' value: it must be a list.");
            }

            var conditions = new List<Condition>();
            (long, long)? range = null;
            foreach (var item in conditionList.EnumerateArray())
            {
                if (ParseCondition(item) is { } condition)
                {
                    conditions.Add(condition);
                }
                else
                {
                    range = ParseRange(item);
                }
            }

            return new PostPolicy(expiration, conditions, range);
        }
        catch (JsonException)
        {
            throw Invalid("Invalid Policy: Invalid JSON.");
        }
    }

    /// <summary>
    /// Checks the form (field names compared without case; <paramref name="bucket"/> stands for <c>$bucket</c>) against
    /// the policy at <paramref name="now"/>: expired, a failed condition or a field no condition names is
    /// <c>AccessDenied</c>, as S3 answers.
    /// </summary>
    public void Check(IReadOnlyDictionary<string, string> fields, string bucket, DateTimeOffset now)
    {
        if (now >= Expiration)
        {
            throw Denied("Invalid according to Policy: Policy expired.");
        }

        foreach (var condition in _conditions)
        {
            var value = condition.Field.Equals("bucket", StringComparison.OrdinalIgnoreCase) ? bucket : fields.GetValueOrDefault(condition.Field);
            if (!condition.Holds(value))
            {
                throw Denied($"Invalid according to Policy: Policy Condition failed: {condition}");
            }
        }

        foreach (var name in fields.Keys)
        {
            if (!Exempt.Contains(name)
                && !name.StartsWith("x-ignore-", StringComparison.OrdinalIgnoreCase)
                && !_conditions.Exists(c => c.Field.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                throw Denied($"Invalid according to Policy: Extra input fields: {name}");
            }
        }
    }

    /// <summary>Refuses a file whose size is outside the policy's content-length-range.</summary>
    public void CheckLength(long size)
    {
        if (LengthRange is not { } range)
        {
            return;
        }

        if (size < range.Min)
        {
            throw new AwsException("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size", 400)
            {
                Details = [new("ProposedSize", size.ToString(CultureInfo.InvariantCulture)), new("MinSizeAllowed", range.Min.ToString(CultureInfo.InvariantCulture))],
            };
        }

        if (size > range.Max)
        {
            throw new AwsException("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size", 400)
            {
                Details = [new("ProposedSize", size.ToString(CultureInfo.InvariantCulture)), new("MaxSizeAllowed", range.Max.ToString(CultureInfo.InvariantCulture))],
            };
        }
    }

    // {"field": "value"} or ["eq" | "starts-with", "$field", "value"]; null for a content-length-range.
    private static Condition? ParseCondition(JsonElement item)
    {
        if (item.ValueKind == JsonValueKind.Object)
        {
            var properties = item.EnumerateObject().ToList();
            if (properties.Count != 1 || properties[0].Value.ValueKind != JsonValueKind.String)
            {
                throw Invalid($"Invalid Policy: Invalid Simple-Condition: {item.GetRawText()}");
            }

            return new Condition("eq", properties[0].Name, properties[0].Value.GetString()!);
        }

        if (item.ValueKind != JsonValueKind.Array || item.GetArrayLength() != 3 || item[0].ValueKind != JsonValueKind.String)
        {
            throw Invalid($"Invalid Policy: Invalid Condition: {item.GetRawText()}");
        }

        var operation = item[0].GetString()!.ToLowerInvariant();
        if (operation == "content-length-range")
        {
            return null;
        }

        if (operation is not ("eq" or "starts-with")
            || item[1].ValueKind != JsonValueKind.String || item[1].GetString() is not ['$', .. var field]
            || item[2].ValueKind != JsonValueKind.String)
        {
            throw Invalid($"Invalid Policy: Invalid Condition: {item.GetRawText()}");
        }

        return new Condition(operation, field, item[2].GetString()!);
    }

    private static (long, long) ParseRange(JsonElement item)
    {
        if (Bound(item[1]) is { } min && Bound(item[2]) is { } max && min <= max)
        {
            return (min, max);
        }

        throw Invalid($"Invalid Policy: Invalid content-length-range: {item.GetRawText()}");
    }

    // A bound may be a number or a numeric string, as S3 accepts both.
    private static long? Bound(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number when element.TryGetInt64(out var number) && number >= 0 => number,
        JsonValueKind.String when long.TryParse(element.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) => number,
        _ => null,
    };

    private static AwsException Invalid(string message) => new("InvalidPolicyDocument", message, 400);

    private static AwsException Denied(string message) => new("AccessDenied", message, 403);

    private sealed record Condition(string Operation, string Field, string Value)
    {
        public bool Holds(string? actual)
        {
            if (Operation == "eq")
            {
                return string.Equals(actual ?? "", Value, StringComparison.Ordinal);
            }

            // A Content-Type starts-with applies to each of a comma-separated list, as S3 reads it.
            return Field.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)
                ? (actual ?? "").Split(',').All(part => part.Trim().StartsWith(Value, StringComparison.Ordinal))
                : (actual ?? "").StartsWith(Value, StringComparison.Ordinal);
        }

        public override string ToString() => "[\"" + Operation + "\", \"$" + Field + "\", \"" + Value + "\"]";
    }
}
