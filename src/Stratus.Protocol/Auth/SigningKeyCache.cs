using System.Collections.Concurrent;

namespace Stratus.Protocol.Auth;

/// <summary>
/// Derived signing keys and parsed scopes, keyed by the credential string as sent
/// (<c>AKID/date/region/service/aws4_request</c>) so that a hit costs no allocation.
/// </summary>
internal sealed class SigningKeyCache
{
    private const int MaxEntries = 8192;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public SigningKeyCache()
    {
        _lookup = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _entries.Count;

    public bool TryGet(ReadOnlySpan<char> credential, out Entry entry) => _lookup.TryGetValue(credential, out entry!);

    public Entry Add(string credential, string accessKeyId, CredentialScope scope)
    {
        if (_entries.Count >= MaxEntries)
        {
            // A crude bound: the working set of (key, day, region, service) is small; a flood of distinct scopes only costs re-derivation.
            _entries.Clear();
        }

        var entry = new Entry(accessKeyId, scope, scope.ToString());
        return _entries.GetOrAdd(credential, entry);
    }

    /// <summary>One credential scope: its parsed parts and the key derived from the secret last seen for it.</summary>
    internal sealed class Entry
    {
        private volatile DerivedKey? _key;

        public Entry(string accessKeyId, CredentialScope scope, string scopeString)
        {
            AccessKeyId = accessKeyId;
            Scope = scope;
            ScopeString = scopeString;
        }

        public string AccessKeyId { get; }

        public CredentialScope Scope { get; }

        public string ScopeString { get; }

        /// <summary>The signing key for this secret; derived again if the secret changed (key rotation).</summary>
        public DerivedKey GetSigningKey(string secret)
        {
            var current = _key;
            if (current is not null && (ReferenceEquals(current.Secret, secret) || string.Equals(current.Secret, secret, StringComparison.Ordinal)))
            {
                return current;
            }

            var key = SigV4Canonicalizer.DeriveSigningKey(secret, Scope.Date, Scope.Region, Scope.Service);
            current = new DerivedKey(secret, key, new HmacSha256Pads(key));
            _key = current;
            return current;
        }
    }

    /// <summary>A derived signing key, the secret it came from and its HMAC pads.</summary>
    internal sealed record DerivedKey(string Secret, byte[] Key, HmacSha256Pads Hmac);
}
