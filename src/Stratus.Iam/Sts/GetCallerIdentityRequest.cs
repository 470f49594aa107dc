namespace Stratus.Iam.Sts;

/// <summary>GetCallerIdentity takes no parameters.</summary>
public sealed class GetCallerIdentityRequest
{
    private GetCallerIdentityRequest()
    {
    }

    public static GetCallerIdentityRequest Instance { get; } = new();
}
