namespace Stratus.Iam.Policies;

/// <summary>
/// Whether a role's trust policy itself lets the caller assume the role: an Allow naming the caller (by account, ARN or
/// <c>*</c>) matches and no Deny does. AWS requires this on top of the ordinary evaluation, in which an identity policy
/// alone could allow a same-account caller.
/// </summary>
internal static class TrustEvaluation
{
    public static bool Allows(AuthorizationContext context, PolicyDocument trust, string roleArn)
    {
        var allowed = false;
        foreach (var statement in trust.Statements)
        {
            if (statement.Match(context, roleArn, out var principal, out _) != StatementOutcome.Matched)
            {
                continue;
            }

            if (statement.Effect == PolicyEffect.Deny)
            {
                return false;
            }

            allowed |= principal >= PrincipalMatch.Account;
        }

        return allowed;
    }
}
