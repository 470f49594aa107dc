using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;

namespace Stratus.Protocol.Checksums;

/// <summary>Computes an S3 checksum incrementally; values are big-endian digests in base64, as S3 sends them.</summary>
public sealed class ChecksumCalculator : IDisposable
{
    private readonly Crc32? _crc32;
    private readonly Crc64? _crc64;
    private readonly IncrementalHash? _sha;

    public ChecksumCalculator(ChecksumAlgorithm algorithm)
    {
        Algorithm = algorithm;
        switch (algorithm)
        {
            case ChecksumAlgorithm.Crc32:
                _crc32 = new Crc32();
                break;
            case ChecksumAlgorithm.Crc32C:
                _crc32 = new Crc32(Crc32ParameterSet.Crc32C);
                break;
            case ChecksumAlgorithm.Crc64Nvme:
                _crc64 = new Crc64(Crc64ParameterSet.Nvme);
                break;
            case ChecksumAlgorithm.Sha1:
#pragma warning disable CA5350 // SHA-1 is one of the checksums S3 defines; integrity only, not security.
                _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
#pragma warning restore CA5350
                break;
            case ChecksumAlgorithm.Sha256:
                _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown checksum algorithm.");
        }
    }

    public ChecksumAlgorithm Algorithm { get; }

    /// <summary>The digest length in bytes (4, 4, 8, 20, 32).</summary>
    public static int HashLength(ChecksumAlgorithm algorithm) => algorithm switch
    {
        ChecksumAlgorithm.Crc32 or ChecksumAlgorithm.Crc32C => 4,
        ChecksumAlgorithm.Crc64Nvme => 8,
        ChecksumAlgorithm.Sha1 => 20,
        ChecksumAlgorithm.Sha256 => 32,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    /// <summary>The header (or trailer) that carries this checksum, e.g. <c>x-amz-checksum-crc32c</c>.</summary>
    public static string HeaderName(ChecksumAlgorithm algorithm) => algorithm switch
    {
        ChecksumAlgorithm.Crc32 => "x-amz-checksum-crc32",
        ChecksumAlgorithm.Crc32C => "x-amz-checksum-crc32c",
        ChecksumAlgorithm.Crc64Nvme => "x-amz-checksum-crc64nvme",
        ChecksumAlgorithm.Sha1 => "x-amz-checksum-sha1",
        ChecksumAlgorithm.Sha256 => "x-amz-checksum-sha256",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    /// <summary>The name S3 uses in x-amz-sdk-checksum-algorithm and error messages (CRC32, CRC32C, CRC64NVME, SHA1, SHA256).</summary>
    public static string Name(ChecksumAlgorithm algorithm) => algorithm switch
    {
        ChecksumAlgorithm.Crc32 => "CRC32",
        ChecksumAlgorithm.Crc32C => "CRC32C",
        ChecksumAlgorithm.Crc64Nvme => "CRC64NVME",
        ChecksumAlgorithm.Sha1 => "SHA1",
        ChecksumAlgorithm.Sha256 => "SHA256",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    /// <summary>Maps <c>x-amz-checksum-crc32</c> (any case) to its algorithm.</summary>
    public static bool TryParseHeaderName(ReadOnlySpan<char> headerName, out ChecksumAlgorithm algorithm)
    {
        const string prefix = "x-amz-checksum-";
        algorithm = default;
        if (!headerName.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return TryParseName(headerName[prefix.Length..], out algorithm);
    }

    /// <summary>Maps an algorithm name (CRC32, crc32c, CRC64NVME, SHA1, SHA256; any case) to its algorithm.</summary>
    public static bool TryParseName(ReadOnlySpan<char> name, out ChecksumAlgorithm algorithm)
    {
        if (name.Equals("crc32", StringComparison.OrdinalIgnoreCase))
        {
            algorithm = ChecksumAlgorithm.Crc32;
        }
        else if (name.Equals("crc32c", StringComparison.OrdinalIgnoreCase))
        {
            algorithm = ChecksumAlgorithm.Crc32C;
        }
        else if (name.Equals("crc64nvme", StringComparison.OrdinalIgnoreCase))
        {
            algorithm = ChecksumAlgorithm.Crc64Nvme;
        }
        else if (name.Equals("sha1", StringComparison.OrdinalIgnoreCase))
        {
            algorithm = ChecksumAlgorithm.Sha1;
        }
        else if (name.Equals("sha256", StringComparison.OrdinalIgnoreCase))
        {
            algorithm = ChecksumAlgorithm.Sha256;
        }
        else
        {
            algorithm = default;
            return false;
        }

        return true;
    }

    /// <summary>The base64 checksum of a whole buffer.</summary>
    public static string Compute(ChecksumAlgorithm algorithm, ReadOnlySpan<byte> data)
    {
        using var calculator = new ChecksumCalculator(algorithm);
        calculator.Append(data);
        return calculator.GetBase64();
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        if (_crc32 is not null)
        {
            _crc32.Append(data);
        }
        else if (_crc64 is not null)
        {
            _crc64.Append(data);
        }
        else
        {
            _sha!.AppendData(data);
        }
    }

    /// <summary>Writes the big-endian digest of everything appended so far; returns its length.</summary>
    public int GetCurrentHash(Span<byte> destination)
    {
        if (_crc32 is not null)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination, _crc32.GetCurrentHashAsUInt32());
            return 4;
        }

        if (_crc64 is not null)
        {
            BinaryPrimitives.WriteUInt64BigEndian(destination, _crc64.GetCurrentHashAsUInt64());
            return 8;
        }

        return _sha!.GetCurrentHash(destination);
    }

    /// <summary>The digest of everything appended so far, base64.</summary>
    public string GetBase64()
    {
        Span<byte> hash = stackalloc byte[32];
        var length = GetCurrentHash(hash);
        return Convert.ToBase64String(hash[..length]);
    }

    public void Dispose() => _sha?.Dispose();
}
