using System.Security.Cryptography;
using Stratus.Core;
using Stratus.Protocol.Auth;

namespace Stratus.Protocol.Tests.Auth;

public sealed class PayloadHashVerifyingStreamTests
{
    [Fact]
    public void A_body_matching_the_declared_hash_reads_through()
    {
        var data = RandomNumberGenerator.GetBytes(5000);
        using var stream = new PayloadHashVerifyingStream(new TrickleStream(data, 333), Convert.ToHexStringLower(SHA256.HashData(data)));
        using var output = new MemoryStream();
        stream.CopyTo(output);
        Assert.Equal(data, output.ToArray());
        Assert.True(stream.Verified);
    }

    [Fact]
    public async Task A_body_differing_from_the_declared_hash_fails_at_its_end()
    {
        var data = RandomNumberGenerator.GetBytes(5000);
        var declared = Convert.ToHexStringLower(SHA256.HashData(data));
        data[4999] ^= 1;
        await using var stream = new PayloadHashVerifyingStream(new MemoryStream(data), declared);
        var error = await Assert.ThrowsAsync<AwsException>(() => stream.CopyToAsync(Stream.Null));
        Assert.Equal("XAmzContentSHA256Mismatch", error.Code);
        Assert.Equal(400, error.StatusCode);
        Assert.Equal("The provided 'x-amz-content-sha256' header does not match what was computed.", error.Message);
    }
}
