namespace Stratus.Protocol.Services;

/// <summary>
/// Supplies a service's resource-based policies (bucket policies, queue policies…) to the authorization step, so that
/// services need not reference Stratus.Iam. One provider per IAM service prefix.
/// </summary>
public interface IResourcePolicyProvider
{
    /// <summary>The IAM service prefix whose actions this provider answers for, for example <c>s3</c> or <c>sqs</c>.</summary>
    string ServicePrefix { get; }

    /// <summary>
    /// The policy document (JSON) attached to <paramref name="resourceArn"/> or to the resource that contains it (an
    /// object's bucket), or null when it has none. <paramref name="cacheKey"/> identifies the document's version (for
    /// example the bucket ARN and a change counter) so that the authorizer compiles it once.
    /// </summary>
    string? GetResourcePolicy(string resourceArn, out string? cacheKey);
}
