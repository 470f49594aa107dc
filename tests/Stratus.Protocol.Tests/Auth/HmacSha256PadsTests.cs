using System.Security.Cryptography;
using Stratus.Protocol.Auth;

namespace Stratus.Protocol.Tests.Auth;

public sealed class HmacSha256PadsTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(32, 200)]
    [InlineData(64, 64)]
    [InlineData(65, 1000)]
    [InlineData(131, 55)]
    public void Padded_hmac_equals_the_platform_hmac(int keyLength, int messageLength)
    {
        var random = new Random(keyLength * 1000 + messageLength);
        var key = new byte[keyLength];
        var message = new byte[messageLength];
        random.NextBytes(key);
        random.NextBytes(message);
        var pads = new HmacSha256Pads(key);
        var ours = new byte[32];

        pads.Compute(message, ours);
        pads.Compute(message, ours); // the reused hash must be clean between calls

        Assert.Equal(HMACSHA256.HashData(key, message), ours);
    }

    [Fact]
    public void Reused_sha256_equals_the_platform_sha256()
    {
        var data = new byte[300];
        new Random(7).NextBytes(data);
        var ours = new byte[32];
        HmacSha256Pads.HashSha256(data, ours);
        HmacSha256Pads.HashSha256(data, ours);
        Assert.Equal(SHA256.HashData(data), ours);
    }
}
