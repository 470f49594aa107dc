using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;
using Stratus.Iam.Policies;
using Stratus.Iam.Users;
using Stratus.Protocol.Pipeline;
using Stratus.Protocol.Services;

namespace Stratus.Iam.Api;

/// <summary>What every IAM operation shares: registration on one resource, names, paths, tags, documents, pages.</summary>
public sealed partial class IamService
{
    private const int MaxManagedPolicyChars = 6144;
    private const int MaxTrustPolicyChars = 2048;
    private const int MaxRoleInlineChars = 10240;
    private const int MaxGroupInlineChars = 5120;

    // An operation on one resource, whose ARN the function computes from the request.
    private void RegisterOn(string operation, string action, Func<OperationInput, RequestContext, string> resource, Func<OperationInput, RequestContext, Task<QueryResult>> execute) =>
        Register<OperationInput, QueryResult>(
            operation,
            static input => input,
            (input, context) => new AuthorizationRequest(action, [resource(input, context)]) { ResourceAccount = context.Account },
            async (input, context, _) => await execute(input, context).ConfigureAwait(false));

    private static QueryResult Empty() => new(static _ => { });

    private static string Name(OperationInput input, string parameter, int maxLength)
    {
        var name = input.RequiredParameter(parameter);
        return NamePattern().IsMatch(name) && name.Length <= maxLength
            ? name
            : throw IamErrors.Validation($"1 validation error detected: Value '{name}' at '{Camel(parameter)}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+ and have length less than or equal to {maxLength}");
    }

    private static string Camel(string parameter) => char.ToLowerInvariant(parameter[0]) + parameter[1..];

    private static string PathParameter(OperationInput input, string parameter = "Path")
    {
        var path = input.Parameters.Get(parameter) ?? "/";
        return path.Length <= 512 && PathPattern().IsMatch(path)
            ? path
            : throw IamErrors.Validation("The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.");
    }

    private static string PathPrefix(OperationInput input)
    {
        var prefix = input.Parameters.Get("PathPrefix") ?? "/";
        return prefix.Length <= 512 && PathPrefixPattern().IsMatch(prefix)
            ? prefix
            : throw IamErrors.Validation($"1 validation error detected: Value '{prefix}' at 'pathPrefix' failed to satisfy constraint: Member must satisfy regular expression pattern: \\u002F[\\u0021-\\u007F]*");
    }

    private static string? Description(OperationInput input)
    {
        var description = input.Parameters.Get("Description");
        return description is null || description.Length <= 1000
            ? description
            : throw IamErrors.Validation("1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 1000");
    }

    /// <summary>The <c>Tags.member.N.Key/Value</c> of a request, validated as IAM does.</summary>
    internal static List<IamTag> Tags(OperationInput input)
    {
        var tags = new List<IamTag>();
        for (var i = 1; input.Parameters.Get($"Tags.member.{i}.Key") is { } key; i++)
        {
            tags.Add(new IamTag(key, input.Parameters.Get($"Tags.member.{i}.Value") ?? ""));
        }

        ValidateTags(tags);
        return tags;
    }

    internal static void ValidateTags(List<IamTag> tags)
    {
        if (tags.Count > IamStore.MaxTags)
        {
            throw IamErrors.Validation($"1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to {IamStore.MaxTags}");
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var tag in tags)
        {
            if (tag.Key.Length is 0 or > 128 || !TagKeyPattern().IsMatch(tag.Key))
            {
                throw IamErrors.Validation($"1 validation error detected: Value '{tag.Key}' at 'tags.member.key' failed to satisfy constraint: Member must have length between 1 and 128 and satisfy regular expression pattern: [\\p{{L}}\\p{{Z}}\\p{{N}}_.:/=+\\-@]+");
            }

            if (tag.Value.Length > 256 || !TagValuePattern().IsMatch(tag.Value))
            {
                throw IamErrors.Validation($"1 validation error detected: Value '{tag.Value}' at 'tags.member.value' failed to satisfy constraint: Member must have length less than or equal to 256 and satisfy regular expression pattern: [\\p{{L}}\\p{{Z}}\\p{{N}}_.:/=+\\-@]*");
            }

            if (tag.Key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
            {
                throw IamErrors.InvalidInput("User-defined tag keys can't start with \"aws:\". This prefix is reserved for AWS internal usage.");
            }

            if (!seen.Add(tag.Key))
            {
                throw IamErrors.InvalidInput("Duplicate tag keys found. Please note that Tag keys are case insensitive.");
            }
        }
    }

    /// <summary>The <c>TagKeys.member.N</c> of an Untag request.</summary>
    private static List<string> TagKeys(OperationInput input)
    {
        var keys = input.Parameters.GetList("TagKeys.member");
        if (keys.Count is 0 or > IamStore.MaxTags)
        {
            throw IamErrors.Validation($"1 validation error detected: Value at 'tagKeys' failed to satisfy constraint: Member must have length between 1 and {IamStore.MaxTags}");
        }

        return keys;
    }

    private static void WriteTags(XmlWriter w, List<IamTag> tags, bool always = false)
    {
        if (tags.Count == 0 && !always)
        {
            return;
        }

        w.WriteStartElement("Tags");
        foreach (var tag in tags)
        {
            w.WriteStartElement("member");
            w.WriteElementString("Key", tag.Key);
            w.WriteElementString("Value", tag.Value);
            w.WriteEndElement();
        }

        w.WriteEndElement();
    }

    /// <summary>Parses an identity policy (inline or managed) and checks its size against <paramref name="maxChars"/> (whitespace not counted).</summary>
    private static PolicyDocument IdentityPolicy(string document, int maxChars, string quota)
    {
        var parsed = PolicyDocument.Parse(document, PolicyKind.Identity); // MalformedPolicyDocument says what is wrong
        return parsed.SizeWithoutWhitespace <= maxChars
            ? parsed
            : throw IamErrors.LimitExceeded($"Cannot exceed quota for {quota}: {maxChars}");
    }

    /// <summary>Checks a trust policy: a resource policy naming principals, with STS actions only and no Resource.</summary>
    private static void ValidateTrustPolicy(string document)
    {
        var parsed = PolicyDocument.Parse(document, PolicyKind.Resource);
        if (parsed.SizeWithoutWhitespace > MaxTrustPolicyChars)
        {
            throw IamErrors.LimitExceeded($"Cannot exceed quota for ACLSizePerRole: {MaxTrustPolicyChars}");
        }

        using var json = JsonDocument.Parse(document);
        var statements = json.RootElement.GetProperty("Statement");
        foreach (var statement in statements.ValueKind == JsonValueKind.Array ? [.. statements.EnumerateArray()] : new[] { statements })
        {
            foreach (var property in statement.EnumerateObject())
            {
                if (property.Name is "Resource" or "NotResource")
                {
                    throw IamErrors.MalformedPolicyDocument($"Has prohibited field {property.Name}");
                }

                if (property.Name is "Action" or "NotAction")
                {
                    foreach (var action in property.Value.ValueKind == JsonValueKind.Array ? [.. property.Value.EnumerateArray()] : new[] { property.Value })
                    {
                        var text = action.GetString() ?? "";
                        if (text != "*" && !text.StartsWith("sts:", StringComparison.OrdinalIgnoreCase))
                        {
                            throw IamErrors.MalformedPolicyDocument("AssumeRole policy may only specify STS AssumeRole actions.");
                        }
                    }
                }
            }
        }
    }

    /// <summary>One page of <paramref name="items"/> (sorted by <paramref name="key"/>) after <c>Marker</c>, at most <c>MaxItems</c>; the marker of the next page or null.</summary>
    private static (List<T> Page, string? Next) Page<T>(List<T> items, Func<T, string> key, OperationInput input)
    {
        var max = input.IntegerParameter("MaxItems", 1, 1000) ?? 100;
        var start = 0;
        if (input.Parameters.Get("Marker") is { } marker)
        {
            start = items.FindIndex(item => string.CompareOrdinal(key(item), marker) >= 0);
            start = start < 0 ? items.Count : start;
        }

        var count = Math.Min(max, items.Count - start);
        var next = start + count < items.Count ? key(items[start + count]) : null;
        return (items.GetRange(start, count), next);
    }

    private static void WriteTruncation(XmlWriter w, string? next)
    {
        w.WriteElementString("IsTruncated", next is null ? "false" : "true");
        if (next is not null)
        {
            w.WriteElementString("Marker", next);
        }
    }

    private static void WriteList<T>(XmlWriter w, string element, IEnumerable<T> items, Action<XmlWriter, T> write)
    {
        w.WriteStartElement(element);
        foreach (var item in items)
        {
            w.WriteStartElement("member");
            write(w, item);
            w.WriteEndElement();
        }

        w.WriteEndElement();
    }

    private static void WriteNames(XmlWriter w, string element, IEnumerable<string> names)
    {
        w.WriteStartElement(element);
        foreach (var name in names)
        {
            w.WriteElementString("member", name);
        }

        w.WriteEndElement();
    }

    private static void WriteBoundary(XmlWriter w, string? boundary)
    {
        if (boundary is null)
        {
            return;
        }

        w.WriteStartElement("PermissionsBoundary");
        w.WriteElementString("PermissionsBoundaryType", "Policy");
        w.WriteElementString("PermissionsBoundaryArn", boundary);
        w.WriteEndElement();
    }

    private static string Encoded(string document) => Uri.EscapeDataString(document);

    [GeneratedRegex(@"^(/|/[\x21-\x7E]+/)$")]
    private static partial Regex PathPattern();

    [GeneratedRegex(@"^/[\x21-\x7F]*$")]
    private static partial Regex PathPrefixPattern();

    [GeneratedRegex(@"^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$")]
    private static partial Regex TagKeyPattern();

    [GeneratedRegex(@"^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$")]
    private static partial Regex TagValuePattern();
}
