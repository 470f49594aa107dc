using System.Text;
using Stratus.Core;
using Stratus.Protocol.Codecs;

namespace Stratus.Protocol.Tests.Codecs;

public sealed class SafeXmlTests
{
    [Fact]
    public async Task Well_formed_xml_parses()
    {
        var document = await Load("<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Object><Key>a&amp;b</Key></Object><Quiet>true</Quiet></Delete>");
        Assert.Equal("Delete", document.Root!.Name.LocalName);
        Assert.Equal("a&b", document.Root.Descendants().First(e => e.Name.LocalName == "Key").Value);
    }

    [Theory]
    [InlineData("<Delete><Object></Delete>", "Object")]
    [InlineData("", "Root element is missing")]
    [InlineData("not xml at all", "")]
    [InlineData("<a></a><b></b>", "")]
    public async Task Malformed_xml_is_MalformedXML_with_the_parsers_reason(string xml, string mentions)
    {
        var error = await Assert.ThrowsAsync<AwsException>(() => Load(xml));
        Assert.Equal(("MalformedXML", 400), (error.Code, error.StatusCode));
        Assert.Contains(mentions, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nesting_deeper_than_the_limit_is_MalformedXML()
    {
        var deep = string.Concat(Enumerable.Repeat("<a>", SafeXml.MaxDepth + 2)) + string.Concat(Enumerable.Repeat("</a>", SafeXml.MaxDepth + 2));
        var error = await Assert.ThrowsAsync<AwsException>(() => Load(deep));
        Assert.Equal("MalformedXML", error.Code);
        Assert.Contains("nest", error.Message, StringComparison.Ordinal);

        var fine = string.Concat(Enumerable.Repeat("<a>", SafeXml.MaxDepth)) + string.Concat(Enumerable.Repeat("</a>", SafeXml.MaxDepth));
        Assert.Equal("a", (await Load(fine)).Root!.Name.LocalName);
    }

    [Fact]
    public async Task An_external_entity_is_refused_and_nothing_is_read_from_disk()
    {
        var secret = Path.GetTempFileName();
        await File.WriteAllTextAsync(secret, "TOP-SECRET");
        try
        {
            var xml = $"<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file://{secret}\">]><d>&x;</d>";
            var error = await Assert.ThrowsAsync<AwsException>(() => Load(xml));
            Assert.Equal("MalformedXML", error.Code);
            Assert.DoesNotContain("TOP-SECRET", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public async Task Entity_expansion_bombs_are_refused()
    {
        var xml = "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><l>&b;</l>";
        var error = await Assert.ThrowsAsync<AwsException>(() => Load(xml));
        Assert.Equal("MalformedXML", error.Code);
    }

    [Fact]
    public async Task A_document_over_the_limit_is_refused()
    {
        var xml = "<a>" + new string('x', SafeXml.MaxCharacters) + "</a>";
        var error = await Assert.ThrowsAsync<AwsException>(() => Load(xml));
        Assert.Equal("MalformedXML", error.Code);
    }

    private static Task<System.Xml.Linq.XDocument> Load(string xml) =>
        SafeXml.LoadAsync(new MemoryStream(Encoding.UTF8.GetBytes(xml)), CancellationToken.None);
}
