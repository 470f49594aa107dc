using System.Globalization;
using System.Net;
using Stratus.Protocol.Auth;

namespace Stratus.Iam.Policies;

/// <summary>Builds an <see cref="AuthorizationContext"/>, filling the global <c>aws:</c> keys from the caller and the request.</summary>
public sealed class AuthorizationContextBuilder
{
    // Sized for the global keys a request usually carries, so that building it never rehashes.
    private readonly Dictionary<string, ContextValue> _keys = new(24, StringComparer.OrdinalIgnoreCase);
    private static FormattedSecond? _lastSecond;
    private readonly CallerIdentity _principal;
    private readonly string _action;
    private readonly List<string> _resources = [];
    private string? _resourceAccount;
    private string? _servicePrincipal;
    private string? _federatedProvider;
    private string? _canonicalUserId;
    private bool _built;

    public AuthorizationContextBuilder(CallerIdentity principal, string action)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentException.ThrowIfNullOrEmpty(action);
        _principal = principal;
        _action = action;
        if (principal.IsAnonymous)
        {
            // As AWS's table of principal key values has it: no username, the user id "anonymous".
            Set("aws:PrincipalType", "Anonymous");
            Set("aws:userid", "anonymous");
            return;
        }

        Set("aws:PrincipalAccount", principal.Account);
        Set("aws:PrincipalArn", PrincipalArnOf(principal));
        Set("aws:PrincipalType", principal.Type.ToString());
        Set("aws:userid", principal.UserId);
        if (principal.Type == PrincipalType.User)
        {
            Set("aws:username", NameOf(principal.Arn));
        }
    }

    /// <summary>Adds a resource ARN the action touches.</summary>
    public AuthorizationContextBuilder Resource(string arn)
    {
        _resources.Add(arn);
        return this;
    }

    /// <summary>The account owning the resources (null: the caller's).</summary>
    public AuthorizationContextBuilder ResourceAccount(string? account)
    {
        _resourceAccount = account;
        return this;
    }

    /// <summary>Sets a context key to one or several values, replacing what it held.</summary>
    public AuthorizationContextBuilder Set(string key, params string[] values)
    {
        ObjectDisposedException.ThrowIf(_built, this);
        _keys[key] = new ContextValue(values);
        return this;
    }

    /// <summary>Removes a context key (the simulator's unnamed caller has no principal keys).</summary>
    public AuthorizationContextBuilder Unset(string key)
    {
        ObjectDisposedException.ThrowIf(_built, this);
        _keys.Remove(key);
        return this;
    }

    /// <summary>Sets the time keys <c>aws:CurrentTime</c> (ISO 8601) and <c>aws:EpochTime</c>.</summary>
    public AuthorizationContextBuilder Time(DateTimeOffset now)
    {
        var formatted = TimeValues(now);
        ObjectDisposedException.ThrowIf(_built, this);
        _keys["aws:CurrentTime"] = formatted.Iso;
        _keys["aws:EpochTime"] = formatted.Epoch;
        return this;
    }

    /// <summary>Sets <c>aws:SourceIp</c>.</summary>
    public AuthorizationContextBuilder SourceIp(IPAddress? address)
    {
        if (address is not null)
        {
            Set("aws:SourceIp", (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString());
        }

        return this;
    }

    /// <summary>Sets <c>aws:SecureTransport</c>.</summary>
    public AuthorizationContextBuilder SecureTransport(bool secure) => Set("aws:SecureTransport", secure ? "true" : "false");

    /// <summary>Sets <c>aws:MultiFactorAuthPresent</c> (AWS sets it only for temporary credentials; absent for access keys).</summary>
    public AuthorizationContextBuilder MultiFactorAuthPresent(bool present) => Set("aws:MultiFactorAuthPresent", present ? "true" : "false");

    /// <summary>Sets <c>aws:RequestedRegion</c>.</summary>
    public AuthorizationContextBuilder Region(string region) => Set("aws:RequestedRegion", region);

    /// <summary>Adds the caller's tags as <c>aws:PrincipalTag/…</c>.</summary>
    public AuthorizationContextBuilder PrincipalTags(IEnumerable<KeyValuePair<string, string>> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        foreach (var tag in tags)
        {
            Set("aws:PrincipalTag/" + tag.Key, tag.Value);
        }

        return this;
    }

    /// <summary>Adds the request's tags as <c>aws:RequestTag/…</c> and their keys as <c>aws:TagKeys</c>.</summary>
    public AuthorizationContextBuilder RequestTags(IEnumerable<KeyValuePair<string, string>> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var keys = new List<string>();
        foreach (var tag in tags)
        {
            Set("aws:RequestTag/" + tag.Key, tag.Value);
            keys.Add(tag.Key);
        }

        return Set("aws:TagKeys", [.. keys]);
    }

    /// <summary>Adds the resource's tags as <c>aws:ResourceTag/…</c>.</summary>
    public AuthorizationContextBuilder ResourceTags(IEnumerable<KeyValuePair<string, string>> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        foreach (var tag in tags)
        {
            Set("aws:ResourceTag/" + tag.Key, tag.Value);
        }

        return this;
    }

    /// <summary>Marks the caller as an AWS service principal (for <c>"Principal": {"Service": …}</c>).</summary>
    public AuthorizationContextBuilder ServicePrincipal(string service)
    {
        _servicePrincipal = service;
        return this;
    }

    /// <summary>Marks the caller as federated through an identity provider (for <c>"Principal": {"Federated": …}</c>).</summary>
    public AuthorizationContextBuilder FederatedProvider(string provider)
    {
        _federatedProvider = provider;
        return this;
    }

    /// <summary>The caller's S3 canonical user id (for <c>"Principal": {"CanonicalUser": …}</c>).</summary>
    public AuthorizationContextBuilder CanonicalUser(string id)
    {
        _canonicalUserId = id;
        return this;
    }

    /// <summary>The context; the builder hands its key dictionary over, so it cannot be used afterwards.</summary>
    public AuthorizationContext Build()
    {
        ObjectDisposedException.ThrowIf(_built, this);
        _built = true;
        IReadOnlyList<string> resources = _resources.Count == 0 ? ["*"] : _resources.ToArray();
        return new AuthorizationContext(_principal, _action, resources, _resourceAccount, _keys, _servicePrincipal, _federatedProvider, _canonicalUserId);
    }

    // aws:PrincipalArn names the role, not the session, for an assumed role (the role's path is not known here).
    internal static string PrincipalArnOf(CallerIdentity principal)
    {
        if (principal.Type == PrincipalType.AssumedRole && Core.Arn.TryParse(principal.Arn, out var arn))
        {
            var resource = arn.Value.Resource; // assumed-role/ROLE/SESSION
            var first = resource.IndexOf('/', StringComparison.Ordinal);
            var last = resource.LastIndexOf('/');
            if (first > 0 && last > first)
            {
                return $"arn:{arn.Value.Partition}:iam::{arn.Value.Account}:role/{resource[(first + 1)..last]}";
            }
        }

        return principal.Arn;
    }

    // Requests arriving in the same second share the formatted values.
    internal static FormattedSecond TimeValues(DateTimeOffset now)
    {
        var seconds = now.ToUnixTimeSeconds();
        var formatted = _lastSecond;
        if (formatted is null || formatted.Seconds != seconds)
        {
            formatted = new FormattedSecond(seconds,
                new ContextValue(DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
                new ContextValue(seconds.ToString(CultureInfo.InvariantCulture)));
            _lastSecond = formatted;
        }

        return formatted;
    }

    internal sealed record FormattedSecond(long Seconds, ContextValue Iso, ContextValue Epoch);

    internal static string NameOf(string arn)
    {
        var slash = arn.LastIndexOf('/');
        return slash < 0 ? arn : arn[(slash + 1)..];
    }
}
