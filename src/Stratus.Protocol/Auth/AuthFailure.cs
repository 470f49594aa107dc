namespace Stratus.Protocol.Auth;

/// <summary>Why authentication failed; the pipeline maps each to the protocol's error code and status.</summary>
public enum AuthFailure
{
    /// <summary>Not a failure.</summary>
    None,

    /// <summary>A required part of the signature is absent (Credential, SignedHeaders, Signature, X-Amz-Credential…).</summary>
    MissingSecurityElement,

    /// <summary>The Authorization header or presigned parameters are malformed (bad credential scope, no host among signed headers…).</summary>
    IncompleteSignature,

    /// <summary>Both an Authorization header and presigned query parameters: only one mechanism is allowed.</summary>
    MultipleAuthMechanisms,

    /// <summary>SigV2, SigV4a or an unknown algorithm: only AWS4-HMAC-SHA256 is supported.</summary>
    UnsupportedAlgorithm,

    /// <summary>The access key is unknown or inactive.</summary>
    InvalidAccessKeyId,

    /// <summary>x-amz-* headers are present that the signature does not cover (S3: AccessDenied with HeadersNotSigned).</summary>
    HeadersNotSigned,

    /// <summary>The signature does not match the one computed.</summary>
    SignatureDoesNotMatch,

    /// <summary>Header auth whose time is more than the allowed skew away from the server clock.</summary>
    RequestTimeTooSkewed,

    /// <summary>A presigned request past its expiry or not yet valid.</summary>
    RequestExpired,

    /// <summary>X-Amz-Expires is not a number in 1–604800.</summary>
    InvalidExpires,

    /// <summary>Neither X-Amz-Date nor Date carries a valid time.</summary>
    MissingDate,

    /// <summary>The session token is missing, does not match, or was presented with a long-term key.</summary>
    InvalidToken,

    /// <summary>The temporary credential has expired.</summary>
    ExpiredToken,

    /// <summary>x-amz-content-sha256 does not match the hash of the buffered body.</summary>
    ContentSha256Mismatch,

    /// <summary>x-amz-content-sha256 is neither a SHA-256 hex digest nor a known payload mode.</summary>
    InvalidContentSha256,

    /// <summary>No payload hash is available: x-amz-content-sha256 is required (S3) or the body was not buffered.</summary>
    MissingContentSha256,
}
