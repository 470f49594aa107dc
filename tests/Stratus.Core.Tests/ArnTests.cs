using Stratus.Core;

namespace Stratus.Core.Tests;

public sealed class ArnTests
{
    [Fact]
    public void An_arn_round_trips_through_its_text()
    {
        Assert.True(Arn.TryParse("arn:aws:iam::000000000000:role/path/name:x", out var arn));
        Assert.Equal("iam", arn!.Value.Service);
        Assert.Equal("role/path/name:x", arn.Value.Resource);
        Assert.Equal("arn:aws:iam::000000000000:role/path/name:x", arn.Value.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("arn:aws")]
    [InlineData("urn:aws:iam::1:root")]
    [InlineData("arn::iam::1:root")]
    public void Malformed_arns_are_refused(string text) => Assert.False(Arn.TryParse(text, out _));

    [Fact]
    public void Account_ids_are_twelve_digits()
    {
        Assert.True(AccountId.IsValid("000000000000"));
        Assert.False(AccountId.IsValid("00000000000"));
        Assert.False(AccountId.IsValid("00000000000a"));
    }
}
