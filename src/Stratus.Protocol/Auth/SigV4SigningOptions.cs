namespace Stratus.Protocol.Auth;

/// <summary>Who signs, for which scope, and how the payload is declared.</summary>
public sealed class SigV4SigningOptions
{
    public required string AccessKeyId { get; init; }

    public required string SecretAccessKey { get; init; }

    /// <summary>The session token of a temporary credential, sent as X-Amz-Security-Token.</summary>
    public string? SessionToken { get; init; }

    public required string Region { get; init; }

    public required string Service { get; init; }

    /// <summary>The service's canonicalisation rules (S3 or default).</summary>
    public SigV4Rules Rules { get; init; } = SigV4Rules.Default;

    /// <summary>Include the session token in what is signed (true, as SDKs do) or append it after signing.</summary>
    public bool SignSessionToken { get; init; } = true;

    /// <summary>Send and sign <c>x-amz-content-sha256</c> (always done when the rules require it).</summary>
    public bool AddContentSha256Header { get; init; }

    /// <summary>Carry the time in a <c>Date</c> header (RFC 1123) instead of <c>X-Amz-Date</c>.</summary>
    public bool UseDateHeader { get; init; }

    /// <summary>The payload value to sign instead of the body hash: <c>UNSIGNED-PAYLOAD</c> or a <c>STREAMING-…</c> mode.</summary>
    public string? ContentSha256 { get; init; }
}
