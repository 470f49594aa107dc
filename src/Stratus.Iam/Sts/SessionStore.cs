using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Stratus.Protocol.Auth;
using Stratus.Storage.Lsm;

namespace Stratus.Iam.Sts;

/// <summary>
/// Temporary credentials issued by STS, in the LSM engine at <c>sts/t/{accessKeyId}</c>, so that a session outlives a
/// restart like AWS's do. The verifier refuses them after their expiration by the server clock (<c>ExpiredToken</c>).
/// </summary>
public sealed class SessionStore
{
    private readonly LsmEngine _kv;
    private readonly TimeProvider _time;

    public SessionStore(LsmEngine kv, TimeProvider time)
    {
        _kv = kv;
        _time = time;
    }

    /// <summary>Issues temporary credentials that act as <paramref name="identity"/> for <paramref name="duration"/>.</summary>
    public Task<SigningCredential> IssueAsync(CallerIdentity identity, TimeSpan duration) => IssueAsync(identity, duration, null);

    /// <summary>Issues temporary credentials for an assumed-role session, keeping what the session carries (policies, tags).</summary>
    internal async Task<SigningCredential> IssueAsync(CallerIdentity identity, TimeSpan duration, RoleSession? role)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var session = new SessionRecord
        {
            AccessKeyId = "ASIA" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)),
            SecretAccessKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)),
            SessionToken = Convert.ToBase64String(RandomNumberGenerator.GetBytes(96)),
            Expiration = _time.GetUtcNow().Add(duration).ToUnixTimeSeconds(),
            Account = identity.Account,
            Arn = identity.Arn,
            UserId = identity.UserId,
            Type = identity.Type,
            Role = role,
        };
        await _kv.WriteAsync(new WriteBatch().Put(Key(session.AccessKeyId), JsonSerializer.SerializeToUtf8Bytes(session, SessionJsonContext.Default.SessionRecord))).ConfigureAwait(false);
        return ToCredential(session);
    }

    /// <summary>The temporary credential of <paramref name="accessKeyId"/>, expired or not (the verifier judges expiry).</summary>
    public SigningCredential? Find(string accessKeyId) =>
        accessKeyId.StartsWith("ASIA", StringComparison.Ordinal) && _kv.TryGet(Key(accessKeyId), out var bytes)
            ? ToCredential(JsonSerializer.Deserialize(bytes, SessionJsonContext.Default.SessionRecord)!)
            : null;

    /// <summary>What an assumed-role session carries (session policies, tags, source identity), or null for other sessions.</summary>
    internal RoleSession? FindRoleSession(string accessKeyId) =>
        _kv.TryGet(Key(accessKeyId), out var bytes) ? JsonSerializer.Deserialize(bytes, SessionJsonContext.Default.SessionRecord)!.Role : null;

    private static SigningCredential ToCredential(SessionRecord session) =>
        new(session.AccessKeyId, session.SecretAccessKey, new CallerIdentity(session.Account, session.Arn, session.UserId, session.Type) { SessionId = session.AccessKeyId }, session.SessionToken, DateTimeOffset.FromUnixTimeSeconds(session.Expiration));

    private static byte[] Key(string accessKeyId) => Encoding.UTF8.GetBytes("sts/t/" + accessKeyId);
}

internal sealed class SessionRecord
{
    public required string AccessKeyId { get; init; }

    public required string SecretAccessKey { get; init; }

    public required string SessionToken { get; init; }

    /// <summary>Unix seconds.</summary>
    public long Expiration { get; init; }

    public required string Account { get; init; }

    public required string Arn { get; init; }

    public required string UserId { get; init; }

    public PrincipalType Type { get; init; }

    /// <summary>Set for an assumed-role session.</summary>
    public RoleSession? Role { get; init; }
}

/// <summary>An assumed-role session's role and what AssumeRole attached to it.</summary>
internal sealed class RoleSession
{
    public required string RoleName { get; init; }

    /// <summary>The inline session policy, if one was passed.</summary>
    public string? Policy { get; init; }

    /// <summary>Managed policies passed as session policies.</summary>
    public List<string> PolicyArns { get; init; } = [];

    /// <summary>Session tags: principal tags that override the role's own.</summary>
    public List<KeyValuePair<string, string>> Tags { get; init; } = [];

    /// <summary>Keys of the session tags that pass on to sessions this one assumes (role chaining).</summary>
    public List<string> TransitiveTagKeys { get; init; } = [];

    public string? SourceIdentity { get; init; }
}

[JsonSerializable(typeof(SessionRecord))]
internal sealed partial class SessionJsonContext : JsonSerializerContext;
