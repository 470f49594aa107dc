using Stratus.Iam.Users;
using Stratus.Protocol.Services;

namespace Stratus.Iam.Authorization;

/// <summary>
/// A role's trust policy is the resource policy of <c>sts:AssumeRole</c> on the role's ARN, so the pipeline evaluates it
/// with the caller's identity policies as AWS does (same account: either side; across accounts: both).
/// </summary>
public sealed class RoleTrustPolicies : IResourcePolicyProvider
{
    private readonly IamStore _store;

    public RoleTrustPolicies(IamStore store) => _store = store;

    public string ServicePrefix => "sts";

    public string? GetResourcePolicy(string resourceArn, out string? cacheKey)
    {
        ArgumentNullException.ThrowIfNull(resourceArn);
        cacheKey = null;
        if (!Core.Arn.TryParse(resourceArn, out var arn) || arn.Value.Service != "iam" || !arn.Value.Resource.StartsWith("role/", StringComparison.Ordinal))
        {
            return null;
        }

        var resource = arn.Value.Resource;
        var role = _store.FindRole(arn.Value.Account, resource[(resource.LastIndexOf('/') + 1)..]);
        if (role is null || role.Arn != resourceArn)
        {
            return null;
        }

        cacheKey = "trust/" + role.Arn;
        return role.AssumeRolePolicyDocument;
    }
}
