namespace Stratus.Iam.Policies;

/// <summary>How a resource policy's Principal named the caller; decides what a same-account Allow grants on its own.</summary>
internal enum PrincipalMatch : byte
{
    None,

    /// <summary>The caller's account (id or <c>:root</c> ARN): delegates to the account's identity policies.</summary>
    Account,

    /// <summary><c>*</c>, a role ARN, a service or a federated provider: grants, limited by boundary and session policies.</summary>
    Limited,

    /// <summary>The caller's own user, session or federated-user ARN: grants regardless of boundary and session policies.</summary>
    Direct,
}
