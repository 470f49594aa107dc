using Stratus.Protocol.Auth;

namespace Stratus.Iam.Policies;

/// <summary>One value of a Principal element, classified at compile time.</summary>
internal sealed class PrincipalEntry
{
    private PrincipalEntry(PrincipalEntryKind kind, string value, string? account, string? roleName)
    {
        Kind = kind;
        Value = value;
        Account = account;
        RoleName = roleName;
    }

    internal enum PrincipalEntryKind : byte
    {
        Everyone,
        Account,
        User,
        Role,
        Session,
        Service,
        Federated,
        CanonicalUser,
    }

    public PrincipalEntryKind Kind { get; }

    public string Value { get; }

    public string? Account { get; }

    public string? RoleName { get; }

    public static PrincipalEntry Everyone { get; } = new(PrincipalEntryKind.Everyone, "*", null, null);

    /// <summary>Classifies a value of <c>"AWS"</c>; null when AWS would say "Invalid principal in policy".</summary>
    public static PrincipalEntry? ParseAws(string value)
    {
        if (value == "*")
        {
            return Everyone;
        }

        if (IsAccountId(value))
        {
            return new PrincipalEntry(PrincipalEntryKind.Account, value, value, null);
        }

        if (value.Contains('*', StringComparison.Ordinal) || value.Contains('?', StringComparison.Ordinal) || !Core.Arn.TryParse(value, out var arn))
        {
            return null;
        }

        var a = arn.Value;
        if (!IsAccountId(a.Account) || a.Region.Length != 0)
        {
            return null;
        }

        if (a.Service == "iam")
        {
            if (a.Resource == "root")
            {
                return new PrincipalEntry(PrincipalEntryKind.Account, value, a.Account, null);
            }

            if (a.Resource.StartsWith("user/", StringComparison.Ordinal))
            {
                return new PrincipalEntry(PrincipalEntryKind.User, value, a.Account, null);
            }

            if (a.Resource.StartsWith("role/", StringComparison.Ordinal))
            {
                // The session ARN of an assumed role drops the role's path: match by name.
                var name = a.Resource[(a.Resource.LastIndexOf('/') + 1)..];
                return name.Length == 0 ? null : new PrincipalEntry(PrincipalEntryKind.Role, value, a.Account, name);
            }

            return null;
        }

        if (a.Service == "sts" && (a.Resource.StartsWith("assumed-role/", StringComparison.Ordinal) || a.Resource.StartsWith("federated-user/", StringComparison.Ordinal)))
        {
            return new PrincipalEntry(PrincipalEntryKind.Session, value, a.Account, null);
        }

        return null;
    }

    public static PrincipalEntry Service(string value) => new(PrincipalEntryKind.Service, value, null, null);

    public static PrincipalEntry Federated(string value) => new(PrincipalEntryKind.Federated, value, null, null);

    public static PrincipalEntry CanonicalUser(string value) => new(PrincipalEntryKind.CanonicalUser, value, null, null);

    /// <summary>How this entry names the caller of <paramref name="context"/>.</summary>
    public PrincipalMatch Match(AuthorizationContext context)
    {
        var caller = context.Principal;
        switch (Kind)
        {
            case PrincipalEntryKind.Everyone:
                return PrincipalMatch.Limited;
            case PrincipalEntryKind.Service:
                return string.Equals(context.ServicePrincipal, Value, StringComparison.OrdinalIgnoreCase) ? PrincipalMatch.Limited : PrincipalMatch.None;
            case PrincipalEntryKind.Federated:
                return string.Equals(context.FederatedProvider, Value, StringComparison.Ordinal) ? PrincipalMatch.Limited : PrincipalMatch.None;
            case PrincipalEntryKind.CanonicalUser:
                return string.Equals(context.CanonicalUserId, Value, StringComparison.Ordinal) ? PrincipalMatch.Direct : PrincipalMatch.None;
        }

        if (caller.IsAnonymous)
        {
            return PrincipalMatch.None;
        }

        switch (Kind)
        {
            case PrincipalEntryKind.Account:
                return string.Equals(caller.Account, Account, StringComparison.Ordinal) ? PrincipalMatch.Account : PrincipalMatch.None;
            case PrincipalEntryKind.User or PrincipalEntryKind.Session:
                return string.Equals(caller.Arn, Value, StringComparison.Ordinal) ? PrincipalMatch.Direct : PrincipalMatch.None;
            case PrincipalEntryKind.Role:
                return caller.Type == PrincipalType.AssumedRole && string.Equals(caller.Account, Account, StringComparison.Ordinal) && IsSessionOf(caller.Arn, RoleName!)
                    ? PrincipalMatch.Limited
                    : PrincipalMatch.None;
            default:
                return PrincipalMatch.None;
        }
    }

    public override string ToString() => Value;

    private static bool IsSessionOf(string sessionArn, string roleName)
    {
        // arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION
        var marker = sessionArn.IndexOf(":assumed-role/", StringComparison.Ordinal);
        if (marker < 0)
        {
            return false;
        }

        var rest = sessionArn.AsSpan(marker + ":assumed-role/".Length);
        var slash = rest.IndexOf('/');
        return slash > 0 && rest[..slash].SequenceEqual(roleName);
    }

    private static bool IsAccountId(string value)
    {
        if (value.Length != 12)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
