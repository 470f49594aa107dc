using System.Text;
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

        if (_policies.ValidateResourcePolicy(text) is { } problem)
        {
            throw new AwsException("MalformedPolicy", problem, 400);
        }

        CheckPolicyNotBlocked(request.Bucket, text, context);
        WriteBucket(request.Bucket, new WriteBatch().Put(S3Keys.Policy(request.Bucket), buffer.ToArray()));
        return new HeadersResponse(204);
    }
}
