using System.Diagnostics.CodeAnalysis;

namespace Stratus.Protocol.Auth;

/// <summary>Finds the secret of an access key; implemented by Stratus.Iam, used by the pipeline.</summary>
public interface ICredentialStore
{
    /// <summary>Looks up an active access key; false when the key is unknown or inactive.</summary>
    bool TryGetCredential(string accessKeyId, [NotNullWhen(true)] out SigningCredential? credential);
}
