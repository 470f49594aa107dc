using Stratus.Core;
using Stratus.Protocol.Codecs;

namespace Stratus.Protocol.Tests.Codecs;

public sealed class PercentDecodingTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a%20b%2Fc", "a b/c")]
    [InlineData("%C3%A9t%C3%A9", "été")]
    [InlineData("%F0%9F%98%80", "😀")]
    [InlineData("100%25", "100%")]
    [InlineData("a+b", "a+b")]
    public void Valid_escapes_decode_to_their_UTF8_text(string raw, string expected) =>
        Assert.Equal(expected, PercentDecoding.Decode(raw));

    [Theory]
    [InlineData("bad%C3%28")] // a lead byte followed by a non-continuation byte
    [InlineData("%FF")]
    [InlineData("%ED%A0%80")] // an encoded surrogate
    [InlineData("50%")]
    [InlineData("%zz")]
    [InlineData("%4")]
    public void Malformed_escapes_and_invalid_UTF8_are_InvalidURI(string raw)
    {
        var error = Assert.Throws<AwsException>(() => PercentDecoding.Decode(raw));
        Assert.Equal(("InvalidURI", 400), (error.Code, error.StatusCode));
    }
}
