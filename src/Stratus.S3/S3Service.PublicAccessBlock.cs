using System.Text.Json;
using System.Text.Json.Nodes;
using Stratus.Core;
using Stratus.Protocol.Pipeline;
using Stratus.S3.Metadata;
using Stratus.S3.Responses;

namespace Stratus.S3;

/// <summary>
/// The bucket-level public access block and what it enforces: BlockPublicPolicy refuses a public bucket policy,
/// RestrictPublicBuckets confines a public policy's grants to the owner's account, BlockPublicAcls refuses public ACLs,
/// IgnorePublicAcls ignores them (see S3Service.Acl.cs). Also GetBucketPolicyStatus.
/// </summary>
public sealed partial class S3Service
{
    // Condition keys that tie a grant to something specific enough that AWS no longer judges the policy public.
    private static readonly string[] RestrictingConditionKeys =
    [
        "aws:sourcearn", "aws:sourceaccount", "aws:sourceowner", "aws:sourcevpc", "aws:sourcevpce", "aws:sourceip",
        "aws:principalaccount", "aws:principalarn", "aws:principalorgid", "aws:principalorgpaths", "aws:userid",
        "aws:sourceorgid", "aws:sourceorgpaths", "s3:dataaccesspointaccount", "s3:dataaccesspointarn",
    ];

    private void RegisterPublicAccessBlock()
    {
        Register<(string Bucket, Stream Body), HeadersResponse>(
            "PutPublicAccessBlock",
            static input => (Label(input, "Bucket"), input.Body),
            (request, _) => OnBucket("s3:PutBucketPublicAccessBlock", request.Bucket),
            async (request, _, cancellationToken) =>
            {
                RequireBucket(request.Bucket);
                var root = await ReadConfigurationAsync(request.Body, "PublicAccessBlockConfiguration", cancellationToken).ConfigureAwait(false);
                var block = new PublicAccessBlock
                {
                    BlockPublicAcls = Flag(root, "BlockPublicAcls"),
                    IgnorePublicAcls = Flag(root, "IgnorePublicAcls"),
                    BlockPublicPolicy = Flag(root, "BlockPublicPolicy"),
                    RestrictPublicBuckets = Flag(root, "RestrictPublicBuckets"),
                };
                await WriteSettingAsync(BucketSettingKeys.PublicAccessBlock, request.Bucket, block, BucketSettingsJsonContext.Default.PublicAccessBlock).ConfigureAwait(false);
                return new HeadersResponse(200);
            });
        Register<string, XmlResponse>(
            "GetPublicAccessBlock",
            static input => Label(input, "Bucket"),
            (bucket, _) => OnBucket("s3:GetBucketPublicAccessBlock", bucket),
            (bucket, _, _) =>
            {
                RequireBucket(bucket);
                var block = FindPublicAccessBlock(bucket)
                    ?? throw new AwsException("NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found", 404) { Details = [new("BucketName", bucket)] };
                return ValueTask.FromResult(new XmlResponse("PublicAccessBlockConfiguration", w =>
                {
                    w.WriteElementString("BlockPublicAcls", Bool(block.BlockPublicAcls));
                    w.WriteElementString("IgnorePublicAcls", Bool(block.IgnorePublicAcls));
                    w.WriteElementString("BlockPublicPolicy", Bool(block.BlockPublicPolicy));
                    w.WriteElementString("RestrictPublicBuckets", Bool(block.RestrictPublicBuckets));
                }));
            });
        Register<string, HeadersResponse>(
            "DeletePublicAccessBlock",
            static input => Label(input, "Bucket"),
            (bucket, _) => OnBucket("s3:PutBucketPublicAccessBlock", bucket),
            async (bucket, _, _) =>
            {
                RequireBucket(bucket);
                await DeleteSettingAsync(BucketSettingKeys.PublicAccessBlock, bucket).ConfigureAwait(false);
                return new HeadersResponse(204);
            });
        Register<string, XmlResponse>(
            "GetBucketPolicyStatus",
            static input => Label(input, "Bucket"),
            (bucket, _) => OnBucket("s3:GetBucketPolicyStatus", bucket),
            (bucket, _, _) =>
            {
                RequireBucket(bucket);
                if (!_kv.TryGet(S3Keys.Policy(bucket), out var bytes))
                {
                    throw new AwsException("NoSuchBucketPolicy", "The bucket policy does not exist", 404) { Details = [new("BucketName", bucket)] };
                }

                var isPublic = IsPublicPolicy(System.Text.Encoding.UTF8.GetString(bytes));
                return ValueTask.FromResult(new XmlResponse("PolicyStatus", w => w.WriteElementString("IsPublic", Bool(isPublic))));
            });
    }

    /// <summary>
    /// The resource policy the authorizer evaluates for a bucket or one of its objects: the stored bucket policy, confined
    /// to the owner's account when it is public and RestrictPublicBuckets is on, plus the grants of the bucket's and the
    /// object's ACLs where ownership lets ACLs count (minus public grants under IgnorePublicAcls).
    /// </summary>
    private string? EffectivePolicy(string bucket, string? key, string? policy)
    {
        var block = FindPublicAccessBlock(bucket);
        if (policy is not null && block is { RestrictPublicBuckets: true } && IsPublicPolicy(policy) && FindBucket(bucket) is { } record)
        {
            policy = RestrictToAccount(policy, record.Owner);
        }

        return WithAclGrants(bucket, key, policy, block);
    }

    private PublicAccessBlock? FindPublicAccessBlock(string bucket) =>
        ReadSetting(BucketSettingKeys.PublicAccessBlock, bucket, BucketSettingsJsonContext.Default.PublicAccessBlock);

    /// <summary>Refuses a public bucket policy when the bucket's public access block says BlockPublicPolicy (PutBucketPolicy calls this).</summary>
    private void CheckPolicyNotBlocked(string bucket, string policy, RequestContext context)
    {
        if (FindPublicAccessBlock(bucket) is { BlockPublicPolicy: true } && IsPublicPolicy(policy))
        {
            throw new AwsException(
                "AccessDenied",
                $"User: {context.Caller.Arn} is not authorized to perform: s3:PutBucketPolicy on resource: \"{BucketArn(bucket)}\" because public policies are blocked by the BlockPublicPolicy block public access setting.",
                403);
        }
    }

    private static string Bool(bool value) => value ? "true" : "false";

    private static bool Flag(System.Xml.Linq.XElement root, string name)
    {
        var text = Element(root, name)?.Value.Trim();
        return text switch
        {
            null or "false" => false,
            "true" => true,
            _ => throw ProtocolErrors.MalformedXml($"{name} must be true or false."),
        };
    }

    /// <summary>
    /// AWS's test of a public policy: some Allow statement grants to everyone (<c>"*"</c> or <c>{"AWS": "*"}</c>) without
    /// a condition that pins it to specific sources, accounts, organisations or networks.
    /// </summary>
    internal static bool IsPublicPolicy(string policy)
    {
        try
        {
            using var document = JsonDocument.Parse(policy);
            if (!document.RootElement.TryGetProperty("Statement", out var statements))
            {
                return false;
            }

            foreach (var statement in statements.ValueKind == JsonValueKind.Array ? statements.EnumerateArray().ToList() : [statements])
            {
                if (IsPublicStatement(statement))
                {
                    return true;
                }
            }

            return false;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool IsPublicStatement(JsonElement statement)
    {
        if (statement.ValueKind != JsonValueKind.Object
            || !statement.TryGetProperty("Effect", out var effect) || effect.GetString() != "Allow"
            || !statement.TryGetProperty("Principal", out var principal) || !IsEveryone(principal))
        {
            return false;
        }

        if (!statement.TryGetProperty("Condition", out var condition) || condition.ValueKind != JsonValueKind.Object)
        {
            return true;
        }

        foreach (var op in condition.EnumerateObject())
        {
            if (op.Value.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            foreach (var clause in op.Value.EnumerateObject())
            {
                if (RestrictingConditionKeys.Contains(clause.Name.ToLowerInvariant()) && !HasWildcardValue(clause.Value, clause.Name))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool IsEveryone(JsonElement principal)
    {
        if (principal.ValueKind == JsonValueKind.String)
        {
            return principal.GetString() == "*";
        }

        if (principal.ValueKind != JsonValueKind.Object || !principal.TryGetProperty("AWS", out var aws))
        {
            return false;
        }

        return aws.ValueKind == JsonValueKind.String
            ? aws.GetString() == "*"
            : aws.ValueKind == JsonValueKind.Array && aws.EnumerateArray().Any(v => v.GetString() == "*");
    }

    // A value that pins nothing: a wildcard, or for aws:SourceIp a range that holds every address.
    private static bool HasWildcardValue(JsonElement value, string key)
    {
        var values = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select(v => v.ToString()).ToList() : [value.ToString()];
        return values.Any(v => v.Contains('*', StringComparison.Ordinal)
            || (key.Equals("aws:SourceIp", StringComparison.OrdinalIgnoreCase) && (v.EndsWith("/0", StringComparison.Ordinal))));
    }

    /// <summary>
    /// A public policy under RestrictPublicBuckets: every Allow statement is confined to principals of the bucket owner's
    /// account, so anonymous and cross-account callers lose what it granted (Denies still apply to everyone).
    /// </summary>
    private static string RestrictToAccount(string policy, string owner)
    {
        var document = JsonNode.Parse(policy)!.AsObject();
        var statements = document["Statement"] is JsonArray array ? array : new JsonArray(document["Statement"]!.DeepClone());
        document["Statement"] = statements;
        foreach (var node in statements)
        {
            if (node is not JsonObject statement || statement["Effect"]?.GetValue<string>() != "Allow")
            {
                continue;
            }

            var condition = statement["Condition"] as JsonObject ?? [];
            statement["Condition"] = condition;
            foreach (var op in (string[])["StringEquals", "StringEqualsIgnoreCase", "StringLike"])
            {
                var clauses = condition[op] as JsonObject;
                if (clauses is null || !clauses.ContainsKey("aws:PrincipalAccount"))
                {
                    clauses ??= [];
                    clauses["aws:PrincipalAccount"] = owner;
                    condition[op] = clauses;
                    break;
                }
            }
        }

        return document.ToJsonString();
    }
}
