using System.Text;
using Stratus.Protocol.Checksums;

namespace Stratus.Protocol.Tests.Checksums;

public sealed class ChecksumCalculatorTests
{
    // The standard check input "123456789": CRC-32 0xCBF43926, CRC-32C 0xE3069283, CRC-64/NVME 0xAE8B14860A799888, big-endian in base64.
    [Theory]
    [InlineData(ChecksumAlgorithm.Crc32, "y/Q5Jg==")]
    [InlineData(ChecksumAlgorithm.Crc32C, "4waSgw==")]
    [InlineData(ChecksumAlgorithm.Crc64Nvme, "rosUhgp5mIg=")]
    [InlineData(ChecksumAlgorithm.Sha1, "98O8HYCOBHMq32eZZczDTKeuNEE=")]
    [InlineData(ChecksumAlgorithm.Sha256, "FeKw08M4keuw8e9gnsQZQgwg4yDOlMZfvIwzEkSOsiU=")]
    public void Check_input_gives_the_published_check_value(ChecksumAlgorithm algorithm, string expected)
    {
        Assert.Equal(expected, ChecksumCalculator.Compute(algorithm, "123456789"u8));
    }

    [Theory]
    [InlineData(ChecksumAlgorithm.Crc32)]
    [InlineData(ChecksumAlgorithm.Crc32C)]
    [InlineData(ChecksumAlgorithm.Crc64Nvme)]
    [InlineData(ChecksumAlgorithm.Sha1)]
    [InlineData(ChecksumAlgorithm.Sha256)]
    public void Appending_in_pieces_equals_hashing_at_once(ChecksumAlgorithm algorithm)
    {
        var data = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("The quick brown fox jumps over the lazy dog. ", 100)));
        using var calculator = new ChecksumCalculator(algorithm);
        for (var i = 0; i < data.Length; i += 7)
        {
            calculator.Append(data.AsSpan(i, Math.Min(7, data.Length - i)));
        }

        Assert.Equal(ChecksumCalculator.Compute(algorithm, data), calculator.GetBase64());
        Assert.Equal(ChecksumCalculator.HashLength(algorithm), Convert.FromBase64String(calculator.GetBase64()).Length);
    }

    [Theory]
    [InlineData("x-amz-checksum-crc32", ChecksumAlgorithm.Crc32)]
    [InlineData("X-Amz-Checksum-CRC32C", ChecksumAlgorithm.Crc32C)]
    [InlineData("x-amz-checksum-crc64nvme", ChecksumAlgorithm.Crc64Nvme)]
    [InlineData("x-amz-checksum-sha1", ChecksumAlgorithm.Sha1)]
    [InlineData("x-amz-checksum-sha256", ChecksumAlgorithm.Sha256)]
    public void Header_names_map_to_algorithms_and_back(string header, ChecksumAlgorithm algorithm)
    {
        Assert.True(ChecksumCalculator.TryParseHeaderName(header, out var parsed));
        Assert.Equal(algorithm, parsed);
        Assert.Equal(header.ToLowerInvariant(), ChecksumCalculator.HeaderName(algorithm));
    }

    [Fact]
    public void Unknown_header_names_are_refused()
    {
        Assert.False(ChecksumCalculator.TryParseHeaderName("x-amz-checksum-md5", out _));
        Assert.False(ChecksumCalculator.TryParseHeaderName("content-md5", out _));
    }
}
