using System.Security.Cryptography;
using Stratus.Core.IO;

namespace Stratus.Protocol.Auth;

/// <summary>
/// Passes a body through while hashing it; at its end compares the SHA-256 with the declared x-amz-content-sha256 and
/// throws <see cref="Stratus.Core.AwsException"/> XAmzContentSHA256Mismatch when they differ.
/// </summary>
public sealed class PayloadHashVerifyingStream : ForwardOnlyReadStream
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly byte[] _expected = new byte[32];
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _position;
    private bool _verified;

    /// <summary>Wraps <paramref name="inner"/>; <paramref name="expectedSha256Hex"/> is the 64-hex-character declared hash.</summary>
    public PayloadHashVerifyingStream(Stream inner, string expectedSha256Hex, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(expectedSha256Hex);
        if (!SigV4Canonicalizer.TryParseSignature(expectedSha256Hex, _expected))
        {
            throw new ArgumentException("The expected hash is not 64 hex characters.", nameof(expectedSha256Hex));
        }

        _inner = inner;
        _leaveOpen = leaveOpen;
    }

    /// <summary>True once the end was reached and the hash matched.</summary>
    public bool Verified => _verified;

    protected override long BytesDelivered => _position;

    public override int Read(Span<byte> buffer)
    {
        var n = _inner.Read(buffer);
        return OnRead(buffer[..n], buffer.Length);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return OnRead(buffer.Span[..n], buffer.Length);
    }

    private int OnRead(ReadOnlySpan<byte> data, int requested)
    {
        if (data.Length > 0)
        {
            _hash.AppendData(data);
            _position += data.Length;
            return data.Length;
        }

        if (requested > 0 && !_verified)
        {
            Span<byte> actual = stackalloc byte[32];
            _hash.GetHashAndReset(actual);
            if (!CryptographicOperations.FixedTimeEquals(actual, _expected))
            {
                throw BodyErrors.ContentSha256Mismatch();
            }

            _verified = true;
        }

        return 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
            if (!_leaveOpen)
            {
                _inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
