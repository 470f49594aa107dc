using Microsoft.AspNetCore.Http;
using Stratus.Core;
using Stratus.Protocol.Catalog;
using Stratus.Protocol.Pipeline;
using Stratus.Protocol.Routing;
using Stratus.Protocol.Tests.TestSupport;

namespace Stratus.Protocol.Tests.Routing;

public sealed class RequestRouterTests
{
    [Theory]
    [InlineData("bucket.localhost:4566", "/photos/a.jpg", "bucket", "photos/a.jpg")]
    [InlineData("bucket.s3.localhost:4566", "/a", "bucket", "a")]
    [InlineData("my.bucket.s3.eu-west-1.localhost", "/a/b", "my.bucket", "a/b")]
    [InlineData("bucket.s3.localhost.localstack.cloud:4566", "/a", "bucket", "a")]
    [InlineData("bucket.s3.us-east-1.amazonaws.com", "/a", "bucket", "a")]
    [InlineData("localhost:4566", "/bucket/a", "bucket", "a")]
    [InlineData("s3.localhost:4566", "/bucket/a", "bucket", "a")]
    [InlineData("127.0.0.1:4566", "/bucket/a%2Fb", "bucket", "a/b")]
    public void S3_objects_route_in_path_and_virtual_host_style(string host, string path, string bucket, string key)
    {
        var http = Requests.Create("GET", path, "s3", host);
        var route = Route(http, path);
        Assert.Equal("GetObject", route.OperationName);
        Assert.Equal(bucket, route.Labels["Bucket"]);
        Assert.Equal(key, route.Labels["Key"]);
    }

    [Theory]
    [InlineData("GET", "/bucket?list-type=2", "ListObjectsV2")]
    [InlineData("GET", "/bucket", "ListObjects")]
    [InlineData("GET", "/bucket/", "ListObjects")]
    [InlineData("GET", "/", "ListBuckets")]
    [InlineData("PUT", "/bucket", "CreateBucket")]
    [InlineData("HEAD", "/bucket/key", "HeadObject")]
    [InlineData("POST", "/bucket/key?uploads", "CreateMultipartUpload")]
    [InlineData("PUT", "/bucket/key?partNumber=1&uploadId=u", "UploadPart")]
    [InlineData("GET", "/bucket/key?uploadId=u", "ListParts")]
    [InlineData("DELETE", "/bucket/key?uploadId=u", "AbortMultipartUpload")]
    [InlineData("DELETE", "/bucket/key", "DeleteObject")]
    [InlineData("POST", "/bucket?delete", "DeleteObjects")]
    [InlineData("GET", "/bucket?versioning", "GetBucketVersioning")]
    public void S3_operations_are_told_apart_by_method_path_and_query(string method, string target, string operation)
    {
        var http = Requests.Create(method, target, "s3");
        Assert.Equal(operation, Route(http, target).OperationName);
    }

    [Fact]
    public void A_copy_source_header_turns_a_put_into_a_copy()
    {
        var http = Requests.Create("PUT", "/bucket/key", "s3");
        http.Request.Headers["x-amz-copy-source"] = "/other/key";
        Assert.Equal("CopyObject", Route(http, "/bucket/key").OperationName);
    }

    [Fact]
    public void Unsigned_requests_go_to_s3()
    {
        var http = Requests.Create("GET", "/public-bucket/index.html");
        var route = Route(http, "/public-bucket/index.html");
        Assert.Equal("s3", route.Service.Name);
        Assert.Equal("GetObject", route.OperationName);
    }

    [Fact]
    public void Json_requests_route_by_target()
    {
        var http = Requests.Create("POST", "/", "dynamodb", body: "{}"u8.ToArray());
        http.Request.Headers["X-Amz-Target"] = "DynamoDB_20120810.GetItem";
        var route = Route(http, "/", "{}"u8.ToArray());
        Assert.Equal(("dynamodb", "GetItem", ServiceProtocol.Json10), (route.Service.Name, route.OperationName, route.Protocol));
    }

    [Fact]
    public void An_unknown_target_prefix_is_an_unknown_operation()
    {
        var http = Requests.Create("POST", "/", "dynamodb");
        http.Request.Headers["X-Amz-Target"] = "Nope_2020.Thing";
        var error = Assert.Throws<AwsException>(() => Route(http, "/"));
        Assert.Equal("UnknownOperationException", error.Code);
    }

    [Fact]
    public void An_unknown_json_operation_keeps_its_name_but_no_model_operation()
    {
        var http = Requests.Create("POST", "/", "dynamodb");
        http.Request.Headers["X-Amz-Target"] = "DynamoDB_20120810.Teleport";
        var route = Route(http, "/");
        Assert.Equal("Teleport", route.OperationName);
        Assert.Null(route.Operation);
    }

    [Fact]
    public void Query_requests_route_by_action_in_the_form_body()
    {
        var body = "Action=GetCallerIdentity&Version=2011-06-15"u8.ToArray();
        var http = Requests.Form("Action=GetCallerIdentity&Version=2011-06-15", "sts");
        var route = Route(http, "/", body);
        Assert.Equal(("sts", "GetCallerIdentity", ServiceProtocol.Query), (route.Service.Name, route.OperationName, route.Protocol));
    }

    [Fact]
    public void Query_requests_route_by_action_in_the_query_string()
    {
        var http = Requests.Create("GET", "/?Action=ListUsers&Version=2010-05-08", "iam");
        Assert.Equal("ListUsers", Route(http, "/?Action=ListUsers&Version=2010-05-08").OperationName);
    }

    [Fact]
    public void Sqs_query_clients_are_answered_in_the_query_protocol()
    {
        var body = "Action=ListQueues&Version=2012-11-05"u8.ToArray();
        var http = Requests.Form("Action=ListQueues&Version=2012-11-05", "sqs");
        var route = Route(http, "/", body);
        Assert.Equal(("sqs", "ListQueues", ServiceProtocol.Query), (route.Service.Name, route.OperationName, route.Protocol));
    }

    [Fact]
    public void An_unsigned_query_action_finds_its_service()
    {
        var form = "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=x";
        var http = Requests.Form(form, null);
        var route = Route(http, "/", System.Text.Encoding.UTF8.GetBytes(form));
        Assert.Equal(("sts", "AssumeRoleWithWebIdentity"), (route.Service.Name, route.OperationName));
    }

    [Fact]
    public void Rest_json_requests_route_by_template()
    {
        var http = Requests.Create("POST", "/2015-03-31/functions/my-fn/invocations", "lambda");
        var route = Route(http, "/2015-03-31/functions/my-fn/invocations");
        Assert.Equal("Invoke", route.OperationName);
        Assert.Equal("my-fn", route.Labels["FunctionName"]);
    }

    [Fact]
    public void A_scope_naming_a_service_we_do_not_serve_is_refused()
    {
        var http = Requests.Create("POST", "/", "kinesis");
        Assert.Throws<AwsException>(() => Route(http, "/"));
    }

    [Fact]
    public void A_rest_path_that_matches_nothing_has_no_operation()
    {
        var http = Requests.Create("GET", "/2015-03-31/nothing-here", "lambda");
        Assert.Null(Route(http, "/2015-03-31/nothing-here").Operation);
    }

    private static RouteResult Route(HttpContext http, string target, byte[]? body = null)
    {
        var queryAt = target.IndexOf('?', StringComparison.Ordinal);
        var path = queryAt < 0 ? target : target[..queryAt];
        var query = queryAt < 0 ? "" : target[(queryAt + 1)..];
        return RequestRouter.Route(http.Request, path, query, CredentialScopeSniffer.ServiceOf(http.Request), body ?? []);
    }
}
