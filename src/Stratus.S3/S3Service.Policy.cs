using System.Text;
using System.Text.Json;
using Stratus.Core;
using Stratus.Protocol.Pipeline;
using Stratus.Protocol.Services;
using Stratus.S3.Metadata;
using Stratus.S3.Responses;
using Stratus.Storage.Lsm;

namespace Stratus.S3;

/// <summary>Bucket policies: stored per bucket, validated by the policy engine, supplied to it for every S3 request.</summary>
public sealed partial class S3Service : IResourcePolicyProvider
{
    private const int MaxBucketPolicyBytes = 20 * 1024;

    /// <summary>S3 answers for the <c>s3:</c> actions.</summary>
    public string ServicePrefix => "s3";

    /// <summary>The policy of the bucket <paramref name="resourceArn"/> names (<c>arn:aws:s3:::bucket</c> or <c>…:::bucket/key</c>).</summary>
    public string? GetResourcePolicy(string resourceArn, out string? cacheKey)
    {
        cacheKey = null;
        const string prefix = "arn:aws:s3:::";
        if (resourceArn is null || !resourceArn.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var slash = resourceArn.IndexOf('/', prefix.Length);
        var bucket = slash < 0 ? resourceArn[prefix.Length..] : resourceArn[prefix.Length..slash];
        var policy = BucketValue(bucket, "policy", () => _kv.TryGet(S3Keys.Policy(bucket), out var bytes) ? Encoding.UTF8.GetString(bytes) : null);

        // The public access block and ACLs may change what the stored policy grants (S3Service.Acl.cs).
        var effective = EffectivePolicy(bucket, slash < 0 ? null : resourceArn[(slash + 1)..], policy);

        // The text itself keys the compiled form: a changed policy is a new cache entry, an unchanged one is compiled once.
        cacheKey = effective is null ? null : "s3:" + bucket;
        return effective;
    }

    private void RegisterPolicy()
    {
        Register<(string Bucket, Stream Body), HeadersResponse>(
            "PutBucketPolicy",
            static input => (Label(input, "Bucket"), input.Body),
            (request, _) => OnBucket("s3:PutBucketPolicy", request.Bucket),
            PutBucketPolicyAsync);
        Register<string, PolicyResponse>(
            "GetBucketPolicy",
            static input => Label(input, "Bucket"),
            (bucket, _) => OnBucket("s3:GetBucketPolicy", bucket),
            (bucket, _, _) =>
            {
                RequireBucket(bucket);
                return _kv.TryGet(S3Keys.Policy(bucket), out var bytes)
                    ? ValueTask.FromResult(new PolicyResponse(bytes))
                    : throw new AwsException("NoSuchBucketPolicy", "The bucket policy does not exist", 404) { Details = [new("BucketName", bucket)] };
            });
        Register<string, HeadersResponse>(
            "DeleteBucketPolicy",
            static input => Label(input, "Bucket"),
            (bucket, _) => OnBucket("s3:DeleteBucketPolicy", bucket),
            (bucket, _, _) =>
            {
                RequireBucket(bucket);
                WriteBucket(bucket, new WriteBatch().Delete(S3Keys.Policy(bucket)));
                return ValueTask.FromResult(new HeadersResponse(204));
            });
    }

    private async ValueTask<HeadersResponse> PutBucketPolicyAsync((string Bucket, Stream Body) request, RequestContext context, CancellationToken cancellationToken)
    {
        RequireBucket(request.Bucket);
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBucketPolicyBytes)
            {
                throw new AwsException("PolicyTooLarge", $"Policy exceeds the maximum allowed document size of {MaxBucketPolicyBytes} bytes.", 400);
            }
        }

        var text = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        if (_policies is null)
        {
            throw new AwsException("NotImplemented", "Bucket policies need the policy engine, which this server was started without.", 501, ErrorFault.Receiver);
        }

        if ((_policies.ValidateResourcePolicy(text) ?? ResourceProblem(request.Bucket, text)) is { } problem)
        {
            throw new AwsException("MalformedPolicy", problem, 400);
        }

        CheckPolicyNotBlocked(request.Bucket, text, context);
        WriteBucket(request.Bucket, new WriteBatch().Put(S3Keys.Policy(request.Bucket), buffer.ToArray()));
        return new HeadersResponse(204);
    }

    /// <summary>
    /// What S3 checks of a bucket policy beyond the grammar: every statement names its resources (Resource or
    /// NotResource), and every Resource is the bucket or objects in it (its bucket part, wildcards allowed, matches the
    /// bucket's name). Null when the policy passes. (S3 also refuses actions it does not have; that check needs S3's whole
    /// action list, which Stratus does not keep, so unknown s3: actions are stored and simply never match.)
    /// </summary>
    private static string? ResourceProblem(string bucket, string json)
    {
        using var document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty("Statement", out var statements))
        {
            return null;
        }

        foreach (var statement in statements.ValueKind == JsonValueKind.Array ? [.. statements.EnumerateArray()] : new[] { statements })
        {
            if (statement.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            if (!statement.TryGetProperty("Resource", out var resources))
            {
                if (statement.TryGetProperty("NotResource", out _))
                {
                    continue;
                }

                return "Missing required field Resource";
            }

            foreach (var resource in resources.ValueKind == JsonValueKind.Array ? [.. resources.EnumerateArray()] : new[] { resources })
            {
                if (resource.GetString() is not { } arn || !InBucket(arn, bucket))
                {
                    return "Policy has invalid resource";
                }
            }
        }

        return null;
    }

    private static bool InBucket(string arn, string bucket)
    {
        if (arn == "*")
        {
            return true;
        }

        const string Prefix = "arn:aws:s3:::";
        if (!arn.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = arn[Prefix.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return Glob(slash < 0 ? rest : rest[..slash], bucket);
    }

    // Matches text against a pattern of literal characters, '*' (any run) and '?' (any one character).
    private static bool Glob(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t]))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
