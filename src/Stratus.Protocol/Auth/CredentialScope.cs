namespace Stratus.Protocol.Auth;

/// <summary>The scope a signature was made for: <c>date/region/service/aws4_request</c>.</summary>
public sealed record CredentialScope(string Date, string Region, string Service)
{
    /// <summary>The scope as it appears in the string to sign.</summary>
    public override string ToString() => $"{Date}/{Region}/{Service}/aws4_request";
}
