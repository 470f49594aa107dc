namespace Stratus.Protocol.Auth;

/// <summary>The kinds of principal, as the <c>aws:PrincipalType</c> condition key names them.</summary>
public enum PrincipalType
{
    Anonymous,
    Account,
    User,
    AssumedRole,
    FederatedUser,
}
