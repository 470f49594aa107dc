using System.Diagnostics.CodeAnalysis;
using Stratus.Protocol.Auth;

namespace Stratus.Protocol.Tests.Auth;

internal sealed class FakeCredentialStore : ICredentialStore
{
    private readonly Dictionary<string, SigningCredential> _credentials = new(StringComparer.Ordinal);

    public FakeCredentialStore(params SigningCredential[] credentials)
    {
        foreach (var credential in credentials)
        {
            Add(credential);
        }
    }

    public int Lookups { get; private set; }

    public void Add(SigningCredential credential) => _credentials[credential.AccessKeyId] = credential;

    public bool TryGetCredential(string accessKeyId, [NotNullWhen(true)] out SigningCredential? credential)
    {
        Lookups++;
        return _credentials.TryGetValue(accessKeyId, out credential);
    }

    public static SigningCredential Credential(string accessKeyId, string secret, string? token = null, DateTimeOffset? expiration = null) =>
        new(accessKeyId, secret, new CallerIdentity("123456789012", $"arn:aws:iam::123456789012:user/{accessKeyId}", accessKeyId, PrincipalType.User), token, expiration);
}
