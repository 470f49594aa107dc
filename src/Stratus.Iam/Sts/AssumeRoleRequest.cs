using System.Text.RegularExpressions;
using Stratus.Core;
using Stratus.Protocol.Pipeline;

namespace Stratus.Iam.Sts;

/// <summary>An AssumeRole request, validated against the STS model's constraints as it is decoded.</summary>
internal sealed partial class AssumeRoleRequest
{
    public required string RoleArn { get; init; }

    public required string RoleSessionName { get; init; }

    /// <summary>Seconds; null when not given.</summary>
    public int? DurationSeconds { get; init; }

    public string? Policy { get; init; }

    public List<string> PolicyArns { get; init; } = [];

    public List<KeyValuePair<string, string>> Tags { get; init; } = [];

    public List<string> TransitiveTagKeys { get; init; } = [];

    public string? ExternalId { get; init; }

    public string? SourceIdentity { get; init; }

    public static AssumeRoleRequest Decode(OperationInput input)
    {
        var roleArn = input.RequiredParameter("RoleArn");
        Length(roleArn, "roleArn", 20, 2048);
        var sessionName = input.RequiredParameter("RoleSessionName");
        Length(sessionName, "roleSessionName", 2, 64);
        Pattern(sessionName, "roleSessionName", NamePattern(), @"[\w+=,.@-]*");
        var policy = input.Parameters.Get("Policy");
        if (policy is { Length: 0 })
        {
            Fail("policy", "Member must have length greater than or equal to 1");
        }

        var policyArns = new List<string>();
        for (var i = 1; input.Parameters.Get($"PolicyArns.member.{i}.arn") is { } arn; i++)
        {
            Length(arn, "policyArns.member.arn", 20, 2048);
            policyArns.Add(arn);
        }

        if (policyArns.Count > 10)
        {
            Fail("policyArns", "Member must have length less than or equal to 10");
        }

        var tags = new List<KeyValuePair<string, string>>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 1; input.Parameters.Get($"Tags.member.{i}.Key") is { } key; i++)
        {
            var value = input.Parameters.Get($"Tags.member.{i}.Value") ?? throw ProtocolErrors.MissingParameter(input.Protocol, $"Tags.member.{i}.Value");
            Length(key, "tags.member.key", 1, 128);
            Pattern(key, "tags.member.key", TagPattern(), @"[\p{L}\p{Z}\p{N}_.:/=+\-@]+");
            Length(value, "tags.member.value", 0, 256);
            Pattern(value, "tags.member.value", TagPattern(), @"[\p{L}\p{Z}\p{N}_.:/=+\-@]*");
            if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
            {
                throw new AwsException("InvalidParameterValue", "Tag keys cannot start with 'aws:'. This prefix is reserved for AWS internal usage.", 400);
            }

            if (!seen.Add(key))
            {
                throw new AwsException("InvalidParameterValue", "Duplicate tag keys found. Please note that Tag keys are case insensitive.", 400);
            }

            tags.Add(new(key, value));
        }

        if (tags.Count > 50)
        {
            Fail("tags", "Member must have length less than or equal to 50");
        }

        var transitive = input.Parameters.GetList("TransitiveTagKeys.member");
        foreach (var key in transitive)
        {
            if (!seen.Contains(key))
            {
                throw new AwsException("InvalidParameterValue", "The specified transitive tag key must be included in the requested tags.", 400);
            }
        }

        var externalId = input.Parameters.Get("ExternalId");
        if (externalId is not null)
        {
            Length(externalId, "externalId", 2, 1224);
            Pattern(externalId, "externalId", ExternalIdPattern(), @"[\w+=,.@:\/-]*");
        }

        var sourceIdentity = input.Parameters.Get("SourceIdentity");
        if (sourceIdentity is not null)
        {
            Length(sourceIdentity, "sourceIdentity", 2, 64);
            Pattern(sourceIdentity, "sourceIdentity", NamePattern(), @"[\w+=,.@-]*");
            if (sourceIdentity.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
            {
                throw new AwsException("InvalidParameterValue", "SourceIdentity cannot start with 'aws:'.", 400);
            }
        }

        return new AssumeRoleRequest
        {
            RoleArn = roleArn,
            RoleSessionName = sessionName,
            DurationSeconds = input.IntegerParameter("DurationSeconds", 900, 43200),
            Policy = policy,
            PolicyArns = policyArns,
            Tags = tags,
            TransitiveTagKeys = transitive,
            ExternalId = externalId,
            SourceIdentity = sourceIdentity,
        };
    }

    /// <summary>The request's condition keys, for the trust policy and the caller's identity policies.</summary>
    public Dictionary<string, IReadOnlyList<string>> ConditionKeys()
    {
        var keys = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["sts:RoleSessionName"] = [RoleSessionName],
        };
        if (ExternalId is not null)
        {
            keys["sts:ExternalId"] = [ExternalId];
        }

        if (SourceIdentity is not null)
        {
            keys["sts:SourceIdentity"] = [SourceIdentity];
        }

        if (Tags.Count > 0)
        {
            var tagKeys = new List<string>();
            foreach (var (key, value) in Tags)
            {
                keys["aws:RequestTag/" + key] = [value];
                tagKeys.Add(key);
            }

            keys["aws:TagKeys"] = tagKeys;
        }

        if (TransitiveTagKeys.Count > 0)
        {
            keys["sts:TransitiveTagKeys"] = TransitiveTagKeys;
        }

        return keys;
    }

    private static void Length(string value, string member, int min, int max)
    {
        if (value.Length < min)
        {
            Fail(member, $"Member must have length greater than or equal to {min}", value);
        }

        if (value.Length > max)
        {
            Fail(member, $"Member must have length less than or equal to {max}", value);
        }
    }

    private static void Pattern(string value, string member, Regex regex, string pattern)
    {
        if (!regex.IsMatch(value))
        {
            Fail(member, $"Member must satisfy regular expression pattern: {pattern}", value);
        }
    }

    private static void Fail(string member, string constraint, string? value = null) =>
        throw new AwsException("ValidationError", $"1 validation error detected: Value {(value is null ? "null" : $"'{value}'")} at '{member}' failed to satisfy constraint: {constraint}", 400);

    [GeneratedRegex(@"^[\w+=,.@-]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"^[\w+=,.@:\/-]*$")]
    private static partial Regex ExternalIdPattern();
}
