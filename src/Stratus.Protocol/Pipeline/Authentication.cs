using Stratus.Protocol.Auth;

namespace Stratus.Protocol.Pipeline;

/// <summary>What authentication established: the caller, the key used, the signed region, and the body to read from now on.</summary>
/// <param name="Caller">The verified caller, or anonymous.</param>
/// <param name="Credential">The access key that signed the request, if any.</param>
/// <param name="Region">The region of the credential scope, if signed.</param>
/// <param name="Body">
/// The body to hand to the operation when authentication wraps it (aws-chunked decoding, payload hash checking); null to keep the request body.
/// </param>
public readonly record struct Authentication(CallerIdentity Caller, SigningCredential? Credential, string? Region, Stream? Body)
{
    public static Authentication Anonymous => new(CallerIdentity.Anonymous, null, null, null);
}
