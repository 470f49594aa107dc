namespace Stratus.Protocol.Auth;

/// <summary>How a service canonicalises and checks SigV4 requests (S3 differs from everything else).</summary>
public sealed record SigV4Rules
{
    /// <summary>S3: path used as sent (no dot-segment removal, no double encoding), <c>x-amz-content-sha256</c> required on header auth.</summary>
    public static SigV4Rules S3 { get; } = new() { NormalizePath = false, DoubleEncodePath = false, RequireContentSha256 = true, AllowStreaming = true, RequireSignedAmzHeaders = true, AllowSigV2 = true };

    /// <summary>Every other service: normalised, double-encoded path; the payload hash is the buffered body's unless the header says otherwise.</summary>
    public static SigV4Rules Default { get; } = new();

    /// <summary>Remove dot segments and collapse repeated slashes before encoding the path.</summary>
    public bool NormalizePath { get; init; } = true;

    /// <summary>Encode the wire path once more ('%' becomes '%25'), as every service but S3 does.</summary>
    public bool DoubleEncodePath { get; init; } = true;

    /// <summary>Header-signed requests must carry <c>x-amz-content-sha256</c> (S3); its value is the payload hash signed.</summary>
    public bool RequireContentSha256 { get; init; }

    /// <summary>Every <c>x-amz-*</c> header present must be signed, except x-amz-content-sha256 (S3's HeadersNotSigned rule).</summary>
    public bool RequireSignedAmzHeaders { get; init; }

    /// <summary>Accept <c>aws-chunked</c> streaming payload modes (S3 only).</summary>
    public bool AllowStreaming { get; init; }

    /// <summary>Accept S3's legacy Signature Version 2 (header and presigned query), which only S3 still takes.</summary>
    public bool AllowSigV2 { get; init; }

    /// <summary>Allowed difference between the request time and the server clock for header auth (AWS: 15 minutes).</summary>
    public TimeSpan MaxClockSkew { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Keep the canonical request and string to sign on success too (tests, debugging); they are always kept on a signature mismatch.</summary>
    public bool CaptureCanonicalRequest { get; init; }
}
