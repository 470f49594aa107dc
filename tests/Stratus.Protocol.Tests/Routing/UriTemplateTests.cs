using Stratus.Protocol.Catalog;

namespace Stratus.Protocol.Tests.Routing;

public sealed class UriTemplateTests
{
    [Theory]
    [InlineData("/{Bucket}/{Key+}", "/b/a/b/c", true)]
    [InlineData("/{Bucket}/{Key+}", "/b/", false)]
    [InlineData("/{Bucket}/{Key+}", "/b", false)]
    [InlineData("/{Bucket}", "/b", true)]
    [InlineData("/{Bucket}", "/b/", true)]
    [InlineData("/{Bucket}", "/b/k", false)]
    [InlineData("/", "/", true)]
    [InlineData("/", "/b", false)]
    [InlineData("/2015-03-31/functions/{FunctionName}", "/2015-03-31/functions/f", true)]
    [InlineData("/2015-03-31/functions/{FunctionName}", "/2015-03-31/layers/f", false)]
    public void Templates_match_whole_paths(string template, string path, bool matches) =>
        Assert.Equal(matches, UriTemplate.Parse(template).TryMatch(path, out _));

    [Fact]
    public void Labels_are_percent_decoded_and_a_greedy_label_keeps_its_slashes()
    {
        Assert.True(UriTemplate.Parse("/{Bucket}/{Key+}").TryMatch("/b/dir%2Fx/..%2F..%2Fetc/%E2%82%AC", out var labels));
        Assert.Equal("b", labels!["Bucket"]);
        Assert.Equal("dir/x/../../etc/€", labels["Key"]);
    }
}
