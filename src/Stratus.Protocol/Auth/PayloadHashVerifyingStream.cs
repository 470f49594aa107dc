using System.Security.Cryptography;

namespace Stratus.Protocol.Auth;

/// <summary>
/// Passes a body through while hashing it; at its end compares the SHA-256 with the declared x-amz-content-sha256 and
/// throws <see cref="Stratus.Core.AwsException"/> XAmzContentSHA256Mismatch when they differ.
/// </summary>
public sealed class PayloadHashVerifyingStream : DigestVerifyingStream
{
    /// <summary>Wraps <paramref name="inner"/>; <paramref name="expectedSha256Hex"/> is the 64-hex-character declared hash.</summary>
    public PayloadHashVerifyingStream(Stream inner, string expectedSha256Hex, bool leaveOpen = false)
        : base(inner, HashAlgorithmName.SHA256, Parse(expectedSha256Hex), BodyErrors.ContentSha256Mismatch, leaveOpen)
    {
    }

    private static byte[] Parse(string expectedSha256Hex)
    {
        ArgumentNullException.ThrowIfNull(expectedSha256Hex);
        var expected = new byte[32];
        return SigV4Canonicalizer.TryParseSignature(expectedSha256Hex, expected)
            ? expected
            : throw new ArgumentException("The expected hash is not 64 hex characters.", nameof(expectedSha256Hex));
    }
}
