using System.Security.Cryptography;
using Stratus.Core.IO;
using Stratus.Protocol.Checksums;

namespace Stratus.S3.Objects;

/// <summary>
/// Passes a body through while computing its MD5 (the ETag) and any checksums the client asked for, and counting it.
/// </summary>
internal sealed class HashingReadStream : ForwardOnlyReadStream
{
    private readonly Stream _inner;
    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private readonly List<ChecksumCalculator> _checksums = [];
    private readonly long _limit;

    public HashingReadStream(Stream inner, IEnumerable<ChecksumAlgorithm> checksums, long limit)
    {
        _inner = inner;
        _limit = limit;
        foreach (var algorithm in checksums)
        {
            _checksums.Add(new ChecksumCalculator(algorithm));
        }
    }

    /// <summary>Bytes read so far.</summary>
    public long BytesRead { get; private set; }

    protected override long BytesDelivered => BytesRead;

    /// <summary>The MD5 of everything read, lower hex.</summary>
    public byte[] Md5() => _md5.GetHashAndReset();

    /// <summary>The base64 checksum of everything read, per algorithm asked for.</summary>
    public Dictionary<ChecksumAlgorithm, string> Checksums()
    {
        var values = new Dictionary<ChecksumAlgorithm, string>();
        foreach (var calculator in _checksums)
        {
            values[calculator.Algorithm] = calculator.GetBase64();
        }

        return values;
    }

    public override int Read(Span<byte> buffer)
    {
        var read = _inner.Read(buffer);
        Account(buffer[..read]);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Account(buffer.Span[..read]);
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _md5.Dispose();
            foreach (var calculator in _checksums)
            {
                calculator.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private void Account(ReadOnlySpan<byte> data)
    {
        BytesRead += data.Length;
        if (BytesRead > _limit)
        {
            throw S3Errors.EntityTooLarge(_limit);
        }

        _md5.AppendData(data);
        foreach (var calculator in _checksums)
        {
            calculator.Append(data);
        }
    }
}
