namespace Stratus.Protocol.Auth;

/// <summary>How the body of an authenticated request is protected.</summary>
public enum PayloadMode
{
    /// <summary>The signature covers a SHA-256 of the whole body (see <see cref="AuthResult.PayloadHash"/>).</summary>
    SignedHash,

    /// <summary><c>UNSIGNED-PAYLOAD</c>: the body is not covered by the signature.</summary>
#pragma warning disable CA1720 // "Unsigned" is AWS's name for this payload mode, not a type name.
    Unsigned,
#pragma warning restore CA1720

    /// <summary><c>STREAMING-AWS4-HMAC-SHA256-PAYLOAD</c>: aws-chunked body, every chunk signed.</summary>
    StreamingSigned,

    /// <summary><c>STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER</c>: signed chunks followed by signed trailing headers.</summary>
    StreamingSignedTrailer,

    /// <summary><c>STREAMING-UNSIGNED-PAYLOAD-TRAILER</c>: plain aws-chunked body with trailing headers (usually a checksum).</summary>
    StreamingUnsignedTrailer,
}
