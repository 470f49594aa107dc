using Stratus.Protocol.Auth;

namespace Stratus.Iam.Authorization;

/// <summary>
/// The policy source while the only principals are account roots: a root has no identity policies (it needs none in its
/// own account), so every decision rests on the evaluator's account rules and on resource policies. IAM users and roles
/// bring their policies when the IAM API lands.
/// </summary>
public sealed class AccountRootPolicySource : IPolicySource
{
    public PrincipalPolicies? GetPolicies(CallerIdentity principal) => null;
}
