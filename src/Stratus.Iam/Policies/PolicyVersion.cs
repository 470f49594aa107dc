namespace Stratus.Iam.Policies;

/// <summary>The policy language version; only 2012-10-17 resolves policy variables.</summary>
public enum PolicyVersion
{
    /// <summary>2008-10-17 (also what AWS assumes when Version is absent): variables are literal text.</summary>
    Version2008,

    /// <summary>2012-10-17: variables such as <c>${aws:username}</c> are resolved.</summary>
    Version2012,
}
