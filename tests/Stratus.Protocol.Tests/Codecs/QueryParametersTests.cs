using Stratus.Protocol.Codecs;

namespace Stratus.Protocol.Tests.Codecs;

public sealed class QueryParametersTests
{
    [Fact]
    public void Form_values_are_percent_and_plus_decoded()
    {
        var parameters = QueryParameters.Parse("Action=CreateUser&UserName=a%2Bb+c&Path=%2Fdev%2F".AsSpan());
        Assert.Equal("CreateUser", parameters.Get("Action"));
        Assert.Equal("a+b c", parameters.Get("UserName"));
        Assert.Equal("/dev/", parameters.Get("Path"));
    }

    [Fact]
    public void Flattened_lists_read_until_the_first_gap()
    {
        var parameters = QueryParameters.Parse("Ids.member.1=a&Ids.member.2=b&Ids.member.4=d".AsSpan());
        Assert.Equal(["a", "b"], parameters.GetList("Ids.member"));
    }

    [Fact]
    public void Maps_read_keys_and_values()
    {
        var parameters = QueryParameters.Parse("Attributes.entry.1.key=A&Attributes.entry.1.value=1&Attributes.entry.2.key=B".AsSpan());
        var map = parameters.GetMap("Attributes.entry");
        Assert.Equal("1", map["A"]);
        Assert.Equal("", map["B"]);
    }

    [Fact]
    public void A_repeated_name_keeps_its_first_value_and_names_without_values_are_empty()
    {
        var parameters = QueryParameters.Parse("a=1&a=2&uploads&&".AsSpan());
        Assert.Equal("1", parameters.Get("a"));
        Assert.True(parameters.Contains("uploads"));
        Assert.Equal("", parameters.Get("uploads"));
        Assert.Equal(2, parameters.Count);
    }

    [Fact]
    public void Broken_percent_escapes_stay_as_sent_rather_than_failing()
    {
        var parameters = QueryParameters.Parse("a=%zz%&b=%E2%82%AC".AsSpan());
        Assert.Equal("%zz%", parameters.Get("a"));
        Assert.Equal("€", parameters.Get("b"));
    }

    [Fact]
    public void Form_parameters_merge_over_the_query_string_without_replacing_it()
    {
        var query = QueryParameters.Parse("Action=FromQuery&X=1".AsSpan());
        var merged = QueryParameters.Parse("Y=2&Action=FromBody"u8, query);
        Assert.Equal("FromQuery", merged.Get("Action"));
        Assert.Equal("2", merged.Get("Y"));
    }
}
