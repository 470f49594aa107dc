using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using Stratus.Protocol.Auth;

namespace Stratus.Iam.Policies;

/// <summary>
/// The request context keys of one request, resolved only when a policy reads them: the service's keys, then the
/// global <c>aws:</c> keys from the request's facts. Values that do not depend on the request (the principal's keys,
/// true/false, the region, the current second) are shared between requests, so a request whose policies read only
/// those allocates nothing. Reused by the authorizer from one request to the next.
/// </summary>
internal sealed class RequestKeySource
{
    private const int MaxCachedPrincipals = 10_000;
    private static readonly ContextValue True = new("true");
    private static readonly ContextValue False = new("false");
    private static readonly ConcurrentDictionary<string, ContextValue> Regions = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<CallerIdentity, PrincipalKeys> Principals = new();
    private static readonly ConcurrentDictionary<string, ContextValue> TagValues = new(StringComparer.Ordinal);

    // Requests on one connection come from one address: its value (and its parsed form) is kept per thread.
    [ThreadStatic]
    private static (IPAddress Address, ContextValue Value)? _lastSourceIp;

    private CallerIdentity _caller = CallerIdentity.Anonymous;
    private PrincipalKeys? _principal;
    private string? _principalArn; // when the policy source knows it better than the caller's ARN (a role's path)
    private DateTimeOffset _now;
    private IPAddress? _sourceIp;
    private bool _secure;
    private string _region = "";
    private bool _sessionCredentials;
    private IReadOnlyList<KeyValuePair<string, string>> _principalTags = [];
    private IReadOnlyDictionary<string, IReadOnlyList<string>>? _serviceKeys;

    public void Reset(
        CallerIdentity caller,
        DateTimeOffset now,
        IPAddress? sourceIp,
        bool secure,
        string region,
        bool sessionCredentials,
        IReadOnlyList<KeyValuePair<string, string>> principalTags,
        IReadOnlyDictionary<string, IReadOnlyList<string>> serviceKeys,
        string? principalArn = null)
    {
        _caller = caller;
        _principalArn = principalArn;
        _principal = null;
        _now = now;
        _sourceIp = sourceIp;
        _secure = secure;
        _region = region;
        _sessionCredentials = sessionCredentials;
        _principalTags = principalTags;
        _serviceKeys = serviceKeys.Count == 0 ? null : serviceKeys;
    }

    public bool TryResolve(string key, [NotNullWhen(true)] out ContextValue? value)
    {
        value = null;
        if (_serviceKeys is not null && TryServiceKey(key, out var values))
        {
            value = new ContextValue(values);
            return true;
        }

        if (!key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var name = key.AsSpan(4);
        if (name.StartsWith("PrincipalTag/", StringComparison.OrdinalIgnoreCase))
        {
            var tag = name[13..];
            for (var i = 0; i < _principalTags.Count; i++)
            {
                if (tag.Equals(_principalTags[i].Key, StringComparison.OrdinalIgnoreCase))
                {
                    value = Shared(TagValues, _principalTags[i].Value);
                    return true;
                }
            }

            return false;
        }

        value = name switch
        {
            _ when Is(name, "CurrentTime") => AuthorizationContextBuilder.TimeValues(_now).Iso,
            _ when Is(name, "EpochTime") => AuthorizationContextBuilder.TimeValues(_now).Epoch,
            _ when Is(name, "SecureTransport") => _secure ? True : False,
            _ when Is(name, "SourceIp") => SourceIpValue(),
            _ when Is(name, "RequestedRegion") => Regions.GetOrAdd(_region, static region => new ContextValue(region)),
            _ when Is(name, "ViaAWSService") || Is(name, "PrincipalIsAWSService") => False,
            _ when Is(name, "MultiFactorAuthPresent") => _sessionCredentials ? False : null,
            _ => PrincipalKey(name),
        };
        return value is not null;
    }

    private ContextValue? SourceIpValue()
    {
        if (_sourceIp is not { } address)
        {
            return null;
        }

        if (_lastSourceIp is { } last && last.Address.Equals(address))
        {
            return last.Value;
        }

        var value = new ContextValue((address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString());
        _lastSourceIp = (address, value);
        return value;
    }

    // One shared value per distinct text (bounded: the cache starts over when full).
    private static ContextValue Shared(ConcurrentDictionary<string, ContextValue> cache, string text)
    {
        if (cache.TryGetValue(text, out var value))
        {
            return value;
        }

        if (cache.Count >= MaxCachedPrincipals)
        {
            cache.Clear();
        }

        return cache.GetOrAdd(text, static t => new ContextValue(t));
    }

    private static bool Is(ReadOnlySpan<char> name, string expected) => name.Equals(expected, StringComparison.OrdinalIgnoreCase);

    private ContextValue? PrincipalKey(ReadOnlySpan<char> name)
    {
        var keys = _principal ??= PrincipalKeysOf(_caller);
        return name switch
        {
            _ when Is(name, "PrincipalType") => keys.Type,
            _ when Is(name, "userid") => keys.UserId,
            _ when Is(name, "username") => keys.UserName,
            _ when Is(name, "PrincipalAccount") => keys.Account,
            _ when Is(name, "PrincipalArn") => _principalArn is { } arn ? new ContextValue(arn) : keys.Arn,
            _ => null,
        };
    }

    private bool TryServiceKey(string key, [NotNullWhen(true)] out IReadOnlyList<string>? values)
    {
        if (_serviceKeys!.TryGetValue(key, out values))
        {
            return true;
        }

        // A service's dictionary may compare keys exactly; condition keys are case-insensitive.
        if (_serviceKeys is Dictionary<string, IReadOnlyList<string>> { Comparer: var comparer } dictionary && !ReferenceEquals(comparer, StringComparer.OrdinalIgnoreCase))
        {
            foreach (var (name, list) in dictionary)
            {
                if (string.Equals(name, key, StringComparison.OrdinalIgnoreCase))
                {
                    values = list;
                    return true;
                }
            }
        }

        return false;
    }

    private static PrincipalKeys PrincipalKeysOf(CallerIdentity caller)
    {
        if (Principals.TryGetValue(caller, out var keys))
        {
            return keys;
        }

        if (Principals.Count >= MaxCachedPrincipals)
        {
            Principals.Clear();
        }

        keys = PrincipalKeys.Of(caller);
        Principals.TryAdd(caller, keys);
        return keys;
    }

    // The principal's keys as the builder sets them (see AuthorizationContextBuilder's constructor).
    private sealed record PrincipalKeys(ContextValue? Type, ContextValue? UserId, ContextValue? UserName, ContextValue? Account, ContextValue? Arn)
    {
        public static PrincipalKeys Of(CallerIdentity caller) => caller.IsAnonymous
            ? new PrincipalKeys(new ContextValue("Anonymous"), new ContextValue("anonymous"), null, null, null)
            : new PrincipalKeys(
                new ContextValue(caller.Type.ToString()),
                new ContextValue(caller.UserId),
                caller.Type == PrincipalType.User ? new ContextValue(AuthorizationContextBuilder.NameOf(caller.Arn)) : null,
                new ContextValue(caller.Account),
                new ContextValue(AuthorizationContextBuilder.PrincipalArnOf(caller)));
    }
}
