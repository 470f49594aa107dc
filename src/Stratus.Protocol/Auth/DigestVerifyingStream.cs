using System.Security.Cryptography;
using Stratus.Core.IO;

namespace Stratus.Protocol.Auth;

/// <summary>
/// Passes a body through while hashing it; at its end compares the digest with the one the request declared and throws
/// the given error when they differ, so a handler that reads its whole body before acting never acts on a body that
/// does not match its header (x-amz-content-sha256, Content-MD5).
/// </summary>
public class DigestVerifyingStream : ForwardOnlyReadStream
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly byte[] _expected;
    private readonly IncrementalHash _hash;
    private readonly Func<Exception> _mismatch;
    private long _position;
    private bool _verified;

    /// <summary>Wraps <paramref name="inner"/>; <paramref name="mismatch"/> makes the error thrown at the end when the digests differ.</summary>
    public DigestVerifyingStream(Stream inner, HashAlgorithmName algorithm, byte[] expected, Func<Exception> mismatch, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(mismatch);
        _inner = inner;
        _hash = IncrementalHash.CreateHash(algorithm);
        if (expected.Length != _hash.HashLengthInBytes)
        {
            _hash.Dispose();
            throw new ArgumentException($"A {algorithm.Name} digest is {_hash.HashLengthInBytes} bytes, not {expected.Length}.", nameof(expected));
        }

        _expected = expected;
        _mismatch = mismatch;
        _leaveOpen = leaveOpen;
    }

    /// <summary>True once the end was reached and the digest matched.</summary>
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
            Span<byte> actual = stackalloc byte[_expected.Length];
            _hash.GetHashAndReset(actual);
            if (!CryptographicOperations.FixedTimeEquals(actual, _expected))
            {
                throw _mismatch();
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
