using System.Text.Json;
using Stratus.Protocol.Catalog;
using Stratus.Protocol.Routing;
using Stratus.Protocol.Tests.TestSupport;
using Stratus.Tests.Shared;

namespace Stratus.Protocol.Tests.Routing;

/// <summary>Reads the AWS models and checks that a request shaped as an SDK sends it reaches the same operation.</summary>
public sealed class EveryModelledOperationRoutesTests
{
    public static TheoryData<string> ModelFolders() => new("s3", "dynamodb", "dynamodbstreams", "sqs", "iam", "sts", "ec2", "lambda", "ebs", "dlm");

    [Theory]
    [MemberData(nameof(ModelFolders))]
    public void The_generated_catalog_has_exactly_the_operations_of_the_model(string folder)
    {
        using var model = LoadModel(folder);
        var modelled = model.RootElement.GetProperty("operations").EnumerateObject().Select(o => o.Name).Order(StringComparer.Ordinal).ToList();
        // PostObject (browser-form upload) is the one operation S3 serves that its model leaves out.
        var unmodelled = folder == "s3" ? new[] { "PostObject" } : [];
        var catalogued = ServiceCatalog.Get(folder).Operations.Select(o => o.Name).Except(unmodelled).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(modelled, catalogued);
    }

    [Theory]
    [MemberData(nameof(ModelFolders))]
    public void Every_operation_of_the_model_routes_to_itself(string folder)
    {
        var service = ServiceCatalog.Get(folder);
        var wrong = new List<string>();
        var modelFile = Path.Combine(RepositoryPaths.Models, folder, "service-2.json");
        foreach (var shaped in ModelShapedRequest.ForModel(modelFile, service.TargetPrefix ?? "", service.ApiVersion))
        {
            var http = Requests.Create(shaped.Method, shaped.PathAndQuery, service.SigningName, body: shaped.Body, contentType: shaped.ContentType);
            foreach (var (name, value) in shaped.Headers)
            {
                http.Request.Headers[name] = value;
            }

            var queryAt = shaped.PathAndQuery.IndexOf('?', StringComparison.Ordinal);
            var rawPath = queryAt < 0 ? shaped.PathAndQuery : shaped.PathAndQuery[..queryAt];
            var rawQuery = queryAt < 0 ? "" : shaped.PathAndQuery[(queryAt + 1)..];
            var route = RequestRouter.Route(http.Request, rawPath, rawQuery, CredentialScopeSniffer.ServiceOf(http.Request), shaped.Body);
            var expected = ModelShapedRequest.IndistinguishableS3.GetValueOrDefault(shaped.Operation, shaped.Operation);
            if (route.Service != service || route.OperationName != expected || route.Operation is null)
            {
                wrong.Add($"{shaped.Operation} -> {route.Service.Name}:{route.OperationName}");
            }
        }

        Assert.True(wrong.Count == 0, "Misrouted: " + string.Join("; ", wrong));
    }

    private static JsonDocument LoadModel(string folder) =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(RepositoryPaths.Models, folder, "service-2.json")));
}
