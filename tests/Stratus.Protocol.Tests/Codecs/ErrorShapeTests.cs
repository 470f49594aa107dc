using System.Text.Json;
using System.Xml.Linq;
using Stratus.Core;
using Stratus.Protocol.Catalog;
using Stratus.Protocol.Pipeline;
using Stratus.Protocol.Tests.TestSupport;

namespace Stratus.Protocol.Tests.Codecs;

public sealed class ErrorShapeTests
{
    private static readonly AwsException NoSuchThing = new("NoSuchThing", "The thing <&> does not exist.", 404)
    {
        Details = [new("Key", "a/b")],
    };

    [Fact]
    public async Task S3_errors_are_an_Error_element_with_code_message_details_and_request_id()
    {
        var http = Requests.Create("GET", "/b/a/b");
        await ResponseEncoder.WriteErrorAsync(http, ServiceProtocol.RestXml, "s3", NoSuchThing, "REQ1");
        var xml = XDocument.Parse(Requests.ResponseText(http));
        Assert.Equal(404, http.Response.StatusCode);
        Assert.Equal("Error", xml.Root!.Name.LocalName);
        Assert.Equal("NoSuchThing", xml.Root.Element("Code")!.Value);
        Assert.Equal("The thing <&> does not exist.", xml.Root.Element("Message")!.Value);
        Assert.Equal("a/b", xml.Root.Element("Key")!.Value);
        Assert.Equal("REQ1", xml.Root.Element("RequestId")!.Value);
        Assert.Equal("application/xml", http.Response.ContentType);
    }

    [Fact]
    public async Task Errors_to_head_requests_have_no_body()
    {
        var http = Requests.Create("HEAD", "/b/k");
        await ResponseEncoder.WriteErrorAsync(http, ServiceProtocol.RestXml, "s3", NoSuchThing, "REQ1");
        Assert.Equal(404, http.Response.StatusCode);
        Assert.Equal("", Requests.ResponseText(http));
    }

    [Fact]
    public async Task Query_errors_are_an_ErrorResponse_in_the_service_namespace()
    {
        var http = Requests.Create("POST", "/");
        await ResponseEncoder.WriteErrorAsync(http, ServiceProtocol.Query, "sts", NoSuchThing, "id-1");
        var xml = XDocument.Parse(Requests.ResponseText(http));
        XNamespace ns = "https://sts.amazonaws.com/doc/2011-06-15/";
        Assert.Equal(ns + "ErrorResponse", xml.Root!.Name);
        var error = xml.Root.Element(ns + "Error")!;
        Assert.Equal("Sender", error.Element(ns + "Type")!.Value);
        Assert.Equal("NoSuchThing", error.Element(ns + "Code")!.Value);
        Assert.Equal("id-1", xml.Root.Element(ns + "RequestId")!.Value);
    }

    [Fact]
    public async Task Ec2_errors_are_a_Response_with_Errors_and_RequestID()
    {
        var http = Requests.Create("POST", "/");
        await ResponseEncoder.WriteErrorAsync(http, ServiceProtocol.Ec2Query, "ec2", NoSuchThing, "id-2");
        var xml = XDocument.Parse(Requests.ResponseText(http));
        Assert.Equal("Response", xml.Root!.Name.LocalName);
        Assert.Equal("NoSuchThing", xml.Root.Element("Errors")!.Element("Error")!.Element("Code")!.Value);
        Assert.Equal("id-2", xml.Root.Element("RequestID")!.Value);
    }

    [Fact]
    public async Task Json_errors_carry_a_namespaced_type_and_the_error_type_header()
    {
        var http = Requests.Create("POST", "/");
        await ResponseEncoder.WriteErrorAsync(http, ServiceProtocol.Json10, "dynamodb", NoSuchThing, "id-3");
        using var json = JsonDocument.Parse(Requests.ResponseText(http));
        Assert.Equal("com.amazonaws.dynamodb.v20120810#NoSuchThing", json.RootElement.GetProperty("__type").GetString());
        Assert.Equal("The thing <&> does not exist.", json.RootElement.GetProperty("message").GetString());
        Assert.Equal("NoSuchThing", http.Response.Headers["x-amzn-ErrorType"].ToString());
        Assert.Equal("application/x-amz-json-1.0", http.Response.ContentType);
    }

    [Fact]
    public async Task Sqs_json_errors_also_carry_the_query_error_header()
    {
        var http = Requests.Create("POST", "/");
        await ResponseEncoder.WriteErrorAsync(http, ServiceProtocol.Json10, "sqs", NoSuchThing, "id-4");
        Assert.Equal("NoSuchThing;Sender", http.Response.Headers["x-amzn-query-error"].ToString());
    }

    [Fact]
    public async Task Rest_json_errors_name_the_type_in_a_header()
    {
        var http = Requests.Create("GET", "/2015-03-31/functions/f");
        await ResponseEncoder.WriteErrorAsync(http, ServiceProtocol.RestJson, "lambda", NoSuchThing, "id-5");
        using var json = JsonDocument.Parse(Requests.ResponseText(http));
        Assert.Equal("NoSuchThing", http.Response.Headers["x-amzn-ErrorType"].ToString());
        Assert.Equal("User", json.RootElement.GetProperty("Type").GetString());
    }

    [Theory]
    [InlineData(ServiceProtocol.RestXml, "NotImplemented", 501)]
    [InlineData(ServiceProtocol.Query, "InvalidAction", 400)]
    [InlineData(ServiceProtocol.Ec2Query, "InvalidAction", 400)]
    [InlineData(ServiceProtocol.Json10, "UnknownOperationException", 400)]
    [InlineData(ServiceProtocol.RestJson, "UnknownOperationException", 400)]
    public void Unimplemented_operations_get_the_protocols_own_code_and_their_name(ServiceProtocol protocol, string code, int status)
    {
        var error = ProtocolErrors.UnknownOperation(protocol, "svc", "DoThing", knownToModel: true);
        Assert.Equal((code, status), (error.Code, error.StatusCode));
        Assert.Contains("DoThing", error.Message, StringComparison.Ordinal);
    }
}
