using System.Security.Cryptography;

namespace Stratus.Protocol.Auth;

/// <summary>
/// HMAC-SHA256 with a fixed key, computed as SHA-256 over precomputed ipad/opad blocks with a per-thread reusable hash.
/// The one-shot <see cref="HMACSHA256.HashData(ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte})"/> sets up a new HMAC
/// context on every call, which costs about as much as the rest of a request's verification.
/// </summary>
internal sealed class HmacSha256Pads
{
    private const int BlockSize = 64;

    [ThreadStatic]
    private static IncrementalHash? _threadSha256;

    private readonly byte[] _inner = new byte[BlockSize];
    private readonly byte[] _outer = new byte[BlockSize];

    public HmacSha256Pads(ReadOnlySpan<byte> key)
    {
        // Keys longer than a block are hashed first (RFC 2104); SigV4 keys are 32 bytes.
        if (key.Length > BlockSize)
        {
            SHA256.HashData(key, _inner);
        }
        else
        {
            key.CopyTo(_inner);
        }

        _inner.CopyTo(_outer, 0);
        for (var i = 0; i < BlockSize; i++)
        {
            _inner[i] ^= 0x36;
            _outer[i] ^= 0x5c;
        }
    }

    private static IncrementalHash Sha256 => _threadSha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    /// <summary>HMAC-SHA256(key, message) into a 32-byte destination.</summary>
    public void Compute(ReadOnlySpan<byte> message, Span<byte> destination)
    {
        var sha = Sha256;
        Span<byte> inner = stackalloc byte[32];
        sha.AppendData(_inner);
        sha.AppendData(message);
        sha.GetHashAndReset(inner);
        sha.AppendData(_outer);
        sha.AppendData(inner);
        sha.GetHashAndReset(destination);
    }

    /// <summary>SHA-256 with the per-thread reusable hash.</summary>
    public static void HashSha256(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        var sha = Sha256;
        sha.AppendData(data);
        sha.GetHashAndReset(destination);
    }
}
