using System.Text;
using System.Text.Json;

namespace Stratus.Iam.Policies;

/// <summary>Parses policy JSON into a <see cref="PolicyDocument"/>, validating it as IAM does.</summary>
internal static class PolicyParser
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 16 };

    public static PolicyDocument Parse(string json, PolicyKind kind, string? name)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Options);
        }
        catch (JsonException e)
        {
            throw new MalformedPolicyDocumentException(
                $"Syntax errors in policy: invalid JSON at line {(e.LineNumber ?? 0) + 1}, position {(e.BytePositionInLine ?? 0) + 1}.", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new MalformedPolicyDocumentException("Syntax errors in policy: the document must be a JSON object.");
            }

            var version = PolicyVersion.Version2008;
            string? id = null;
            JsonElement? statementElement = null;
            foreach (var property in root.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "Version":
                        version = ExpectString(property) switch
                        {
                            "2012-10-17" => PolicyVersion.Version2012,
                            "2008-10-17" => PolicyVersion.Version2008,
                            var other => throw new MalformedPolicyDocumentException($"The policy failed legacy parsing: unknown Version \"{other}\" (use 2012-10-17)."),
                        };
                        break;
                    case "Id":
                        id = ExpectString(property);
                        break;
                    case "Statement":
                        statementElement = property.Value;
                        break;
                    default:
                        throw new MalformedPolicyDocumentException($"Syntax errors in policy: unknown field {property.Name}.");
                }
            }

            if (statementElement is not { } statements)
            {
                throw new MalformedPolicyDocumentException("Missing required field Statement");
            }

            var compiled = new List<PolicyStatement>();
            var sids = new HashSet<string>(StringComparer.Ordinal);
            var keys = new ContextKeyCollector(version == PolicyVersion.Version2012);
            if (statements.ValueKind == JsonValueKind.Object)
            {
                compiled.Add(ParseStatement(statements, 0, kind, version, sids, keys));
            }
            else if (statements.ValueKind == JsonValueKind.Array)
            {
                foreach (var statement in statements.EnumerateArray())
                {
                    if (statement.ValueKind != JsonValueKind.Object)
                    {
                        throw new MalformedPolicyDocumentException("Syntax errors in policy: each Statement must be a JSON object.");
                    }

                    compiled.Add(ParseStatement(statement, compiled.Count, kind, version, sids, keys));
                }

                if (compiled.Count == 0)
                {
                    throw new MalformedPolicyDocumentException("Missing required field Statement");
                }
            }
            else
            {
                throw new MalformedPolicyDocumentException("Syntax errors in policy: Statement must be an object or an array of objects.");
            }

            var size = Encoding.UTF8.GetByteCount(json);
            var nonWhitespace = 0;
            foreach (var c in json)
            {
                if (!char.IsWhiteSpace(c))
                {
                    nonWhitespace++;
                }
            }

            return new PolicyDocument(name ?? id ?? "policy", kind, version, id, [.. compiled], size, nonWhitespace) { ContextKeys = keys.Keys, Text = json };
        }
    }

    private static PolicyStatement ParseStatement(JsonElement statement, int index, PolicyKind kind, PolicyVersion version, HashSet<string> sids, ContextKeyCollector keys)
    {
        var variables = version == PolicyVersion.Version2012;
        string? sid = null;
        PolicyEffect? effect = null;
        List<string>? actions = null, notActions = null, resources = null, notResources = null;
        JsonElement? principal = null, notPrincipal = null, condition = null;
        foreach (var property in statement.EnumerateObject())
        {
            switch (property.Name)
            {
                case "Sid":
                    sid = ExpectString(property);
                    if (!sids.Add(sid))
                    {
                        throw new MalformedPolicyDocumentException("Statement IDs (SID) in a single policy must be unique.");
                    }

                    break;
                case "Effect":
                    effect = ExpectString(property) switch
                    {
                        "Allow" => PolicyEffect.Allow,
                        "Deny" => PolicyEffect.Deny,
                        var other => throw new MalformedPolicyDocumentException($"Invalid effect: {other}"),
                    };
                    break;
                case "Action":
                    actions = StringList(property);
                    break;
                case "NotAction":
                    notActions = StringList(property);
                    break;
                case "Resource":
                    resources = StringList(property);
                    break;
                case "NotResource":
                    notResources = StringList(property);
                    break;
                case "Principal":
                    principal = property.Value;
                    break;
                case "NotPrincipal":
                    notPrincipal = property.Value;
                    break;
                case "Condition":
                    condition = property.Value;
                    break;
                default:
                    throw new MalformedPolicyDocumentException($"Syntax errors in policy: unknown field {property.Name} in statement {index}.");
            }
        }

        if (effect is null)
        {
            throw new MalformedPolicyDocumentException("Missing required field Effect");
        }

        if (actions is not null && notActions is not null)
        {
            throw new MalformedPolicyDocumentException("Policy statement must not contain both Action and NotAction.");
        }

        var actionTexts = actions ?? notActions;
        if (actionTexts is null || actionTexts.Count == 0)
        {
            throw new MalformedPolicyDocumentException("Policy statement must contain actions.");
        }

        var actionPatterns = new WildcardPattern[actionTexts.Count];
        for (var i = 0; i < actionPatterns.Length; i++)
        {
            var action = actionTexts[i];
            if (action != "*" && (action.IndexOf(':', StringComparison.Ordinal) <= 0 || action.EndsWith(':')))
            {
                throw new MalformedPolicyDocumentException($"Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc. (got \"{action}\")");
            }

            actionPatterns[i] = WildcardPattern.Compile(action, wildcards: true, variables: false, ignoreCase: true);
        }

        if (resources is not null && notResources is not null)
        {
            throw new MalformedPolicyDocumentException("Policy statement must not contain both Resource and NotResource.");
        }

        var resourceTexts = resources ?? notResources;
        if (resourceTexts is null && kind != PolicyKind.Resource)
        {
            throw new MalformedPolicyDocumentException("Policy statement must contain resources.");
        }

        ArnPattern[]? resourcePatterns = null;
        if (resourceTexts is not null)
        {
            if (resourceTexts.Count == 0)
            {
                throw new MalformedPolicyDocumentException("Policy statement must contain resources.");
            }

            resourcePatterns = new ArnPattern[resourceTexts.Count];
            for (var i = 0; i < resourcePatterns.Length; i++)
            {
                var resource = resourceTexts[i];
                if (resource != "*" && !ArnPattern.LooksLikeArn(resource))
                {
                    throw new MalformedPolicyDocumentException($"Resource {resource} must be in ARN format or \"*\".");
                }

                resourcePatterns[i] = ArnPattern.Compile(resource, variables);
                keys.AddVariables(resource);
            }
        }

        if (principal is not null && notPrincipal is not null)
        {
            throw new MalformedPolicyDocumentException("Policy statement must not contain both Principal and NotPrincipal.");
        }

        PrincipalEntry[]? principals = null;
        var principalElement = principal ?? notPrincipal;
        if (kind != PolicyKind.Resource)
        {
            if (principalElement is not null)
            {
                throw new MalformedPolicyDocumentException("Policy document should not specify a principal.");
            }
        }
        else
        {
            if (principalElement is null)
            {
                throw new MalformedPolicyDocumentException("Missing required field Principal");
            }

            principals = ParsePrincipal(principalElement.Value);
        }

        var conditions = condition is null ? [] : ParseCondition(condition.Value, variables, keys);
        return new PolicyStatement(index, sid, effect.Value, actionPatterns, notActions is not null, resourcePatterns, notResources is not null,
            principals, notPrincipal is not null, conditions);
    }

    private static PrincipalEntry[] ParsePrincipal(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            return element.GetString() == "*"
                ? [PrincipalEntry.Everyone]
                : throw new MalformedPolicyDocumentException($"Invalid principal in policy: \"{element.GetString()}\"");
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new MalformedPolicyDocumentException("Invalid principal in policy: Principal must be \"*\" or an object.");
        }

        var entries = new List<PrincipalEntry>();
        foreach (var property in element.EnumerateObject())
        {
            foreach (var value in StringList(property))
            {
                var entry = property.Name switch
                {
                    "AWS" => PrincipalEntry.ParseAws(value),
                    "Service" when value.Length > 0 && !value.Contains('*', StringComparison.Ordinal) => PrincipalEntry.Service(value),
                    "Federated" when value.Length > 0 && !value.Contains('*', StringComparison.Ordinal) => PrincipalEntry.Federated(value),
                    "CanonicalUser" when value.Length > 0 && !value.Contains('*', StringComparison.Ordinal) => PrincipalEntry.CanonicalUser(value),
                    "AWS" or "Service" or "Federated" or "CanonicalUser" => null,
                    _ => throw new MalformedPolicyDocumentException($"Invalid principal in policy: unknown principal type \"{property.Name}\""),
                };
                entries.Add(entry ?? throw new MalformedPolicyDocumentException($"Invalid principal in policy: \"{property.Name}\":\"{value}\""));
            }
        }

        if (entries.Count == 0)
        {
            throw new MalformedPolicyDocumentException("Invalid principal in policy: no principal given.");
        }

        return [.. entries];
    }

    private static ConditionClause[] ParseCondition(JsonElement element, bool variables, ContextKeyCollector keys)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new MalformedPolicyDocumentException("Syntax errors in policy: Condition must be an object.");
        }

        var clauses = new List<ConditionClause>();
        foreach (var block in element.EnumerateObject())
        {
            if (!ConditionOperator.TryParse(block.Name, out var op))
            {
                throw new MalformedPolicyDocumentException($"Invalid Condition type : {block.Name}.");
            }

            if (block.Value.ValueKind != JsonValueKind.Object)
            {
                throw new MalformedPolicyDocumentException($"Syntax errors in policy: condition {block.Name} must map keys to values.");
            }

            foreach (var key in block.Value.EnumerateObject())
            {
                if (key.Name.IndexOf(':', StringComparison.Ordinal) <= 0)
                {
                    throw new MalformedPolicyDocumentException($"Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc. (condition key \"{key.Name}\")");
                }

                var values = StringList(key, allowScalars: true);
                if (values.Count == 0)
                {
                    throw new MalformedPolicyDocumentException($"Syntax errors in policy: condition {block.Name} on {key.Name} has no values.");
                }

                clauses.Add(ConditionClause.Compile(op.Value, key.Name, [.. values], variables));
                keys.Add(key.Name);
                foreach (var value in values)
                {
                    keys.AddVariables(value);
                }
            }
        }

        return [.. clauses];
    }

    private static string ExpectString(JsonProperty property) =>
        property.Value.ValueKind == JsonValueKind.String
            ? property.Value.GetString()!
            : throw new MalformedPolicyDocumentException($"Syntax errors in policy: {property.Name} must be a string.");

    // A value or an array of values; conditions also take numbers and booleans as written.
    private static List<string> StringList(JsonProperty property, bool allowScalars = false)
    {
        var list = new List<string>();
        if (property.Value.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in property.Value.EnumerateArray())
            {
                list.Add(Scalar(property.Name, item, allowScalars));
            }
        }
        else
        {
            list.Add(Scalar(property.Name, property.Value, allowScalars));
        }

        return list;
    }

    private static string Scalar(string name, JsonElement value, bool allowScalars) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False when allowScalars => value.GetRawText(),
        _ => throw new MalformedPolicyDocumentException($"Syntax errors in policy: {name} must be a string or an array of strings."),
    };
}
