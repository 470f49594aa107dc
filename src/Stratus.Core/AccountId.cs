namespace Stratus.Core;

/// <summary>Rules for AWS account ids: twelve decimal digits.</summary>
public static class AccountId
{
    /// <summary>The account every local cloud uses by default.</summary>
    public const string Default = "000000000000";

    /// <summary>True when <paramref name="value"/> is exactly twelve ASCII digits.</summary>
    public static bool IsValid(string? value)
    {
        if (value is null || value.Length != 12)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }
}
