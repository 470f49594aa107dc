using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Stratus.Protocol.Catalog;
using Stratus.Protocol.Routing;
using Stratus.Protocol.Tests.TestSupport;

namespace Stratus.Protocol.Tests.Routing;

/// <summary>Reads the AWS models and checks that a request shaped as an SDK sends it reaches the same operation.</summary>
public sealed class EveryModelledOperationRoutesTests
{
    // Operations that S3 itself cannot tell apart on one endpoint: each pair answers with the newer operation.
    private static readonly Dictionary<string, string> IndistinguishableS3 = new(StringComparer.Ordinal)
    {
        ["GetBucketLifecycle"] = "GetBucketLifecycleConfiguration",
        ["PutBucketLifecycle"] = "PutBucketLifecycleConfiguration",
        ["GetBucketNotification"] = "GetBucketNotificationConfiguration",
        ["PutBucketNotification"] = "PutBucketNotificationConfiguration",
        ["ListDirectoryBuckets"] = "ListBuckets", // directory buckets live on the S3 Express endpoint in AWS
    };

    public static TheoryData<string> ModelFolders() => new("s3", "dynamodb", "dynamodbstreams", "sqs", "iam", "sts", "ec2", "lambda", "ebs", "dlm");

    [Theory]
    [MemberData(nameof(ModelFolders))]
    public void The_generated_catalog_has_exactly_the_operations_of_the_model(string folder)
    {
        using var model = LoadModel(folder);
        var modelled = model.RootElement.GetProperty("operations").EnumerateObject().Select(o => o.Name).Order(StringComparer.Ordinal).ToList();
        var catalogued = ServiceCatalog.Get(folder).Operations.Select(o => o.Name).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(modelled, catalogued);
    }

    [Theory]
    [MemberData(nameof(ModelFolders))]
    public void Every_operation_of_the_model_routes_to_itself(string folder)
    {
        using var model = LoadModel(folder);
        var service = ServiceCatalog.Get(folder);
        var wrong = new List<string>();
        foreach (var operation in model.RootElement.GetProperty("operations").EnumerateObject())
        {
            var http = SdkShapedRequest(service, operation.Value, model.RootElement.GetProperty("shapes"), out var body);
            var (rawPath, rawQuery) = Split(http.Request);
            var route = RequestRouter.Route(http.Request, rawPath, rawQuery, CredentialScopeSniffer.ServiceOf(http.Request), body);
            var expected = IndistinguishableS3.GetValueOrDefault(operation.Name, operation.Name);
            if (route.Service != service || route.OperationName != expected || route.Operation is null)
            {
                wrong.Add($"{operation.Name} -> {route.Service.Name}:{route.OperationName}");
            }
        }

        Assert.True(wrong.Count == 0, "Misrouted: " + string.Join("; ", wrong));
    }

    private static JsonDocument LoadModel(string folder) =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(RepositoryPaths.Models, folder, "service-2.json")));

    private static (string Path, string Query) Split(HttpRequest request) =>
        (request.Path.Value!.Length == 0 ? "/" : EncodePath(request.Path.Value!), request.QueryString.HasValue ? request.QueryString.Value![1..] : "");

    private static string EncodePath(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    private static DefaultHttpContext SdkShapedRequest(ServiceDescriptor service, JsonElement operation, JsonElement shapes, out byte[] body)
    {
        var name = operation.GetProperty("name").GetString()!;
        body = [];
        switch (service.Protocol)
        {
            case ServiceProtocol.Json10:
            case ServiceProtocol.Json11:
                {
                    body = "{}"u8.ToArray();
                    var http = Requests.Create("POST", "/", service.SigningName, body: body, contentType: "application/x-amz-json-1.0");
                    http.Request.Headers["X-Amz-Target"] = $"{service.TargetPrefix}.{name}";
                    return http;
                }

            case ServiceProtocol.Query:
            case ServiceProtocol.Ec2Query:
                body = Encoding.UTF8.GetBytes($"Action={name}&Version={service.ApiVersion}");
                return Requests.Form(Encoding.UTF8.GetString(body), service.SigningName);

            default:
                {
                    var binding = operation.GetProperty("http");
                    var uri = binding.GetProperty("requestUri").GetString()!;
                    var path = uri.Split('?')[0].Replace("{Key+}", "photos/2026/a%20b.jpg", StringComparison.Ordinal);
                    path = System.Text.RegularExpressions.Regex.Replace(path, @"\{[A-Za-z]+\+?\}", "label-1");
                    var query = new List<string>();
                    if (uri.Contains('?', StringComparison.Ordinal))
                    {
                        query.AddRange(uri.Split('?')[1].Split('&').Where(p => !p.StartsWith("x-id", StringComparison.Ordinal)));
                    }

                    var http = Requests.Create(binding.GetProperty("method").GetString()!, path, service.SigningName, host: "localhost:4566");
                    if (operation.TryGetProperty("input", out var input))
                    {
                        var shape = shapes.GetProperty(input.GetProperty("shape").GetString()!);
                        var required = shape.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(e => e.GetString()!).ToHashSet() : [];
                        foreach (var member in shape.GetProperty("members").EnumerateObject())
                        {
                            if (!required.Contains(member.Name) || !member.Value.TryGetProperty("location", out var location))
                            {
                                continue;
                            }

                            var wireName = member.Value.TryGetProperty("locationName", out var ln) ? ln.GetString()! : member.Name;
                            if (location.GetString() == "querystring")
                            {
                                query.Add(wireName + "=1");
                            }
                            else if (location.GetString() == "header")
                            {
                                http.Request.Headers[wireName] = "value";
                            }
                        }
                    }

                    if (query.Count > 0)
                    {
                        http.Request.QueryString = new QueryString("?" + string.Join('&', query));
                    }

                    return http;
                }
        }
    }
}
