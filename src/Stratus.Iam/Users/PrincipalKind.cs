namespace Stratus.Iam.Users;

/// <summary>The IAM identities a managed policy attaches to.</summary>
internal enum PrincipalKind
{
    User,
    Group,
    Role,
}
