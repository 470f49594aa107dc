using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using Stratus.Protocol.Catalog;
using Stratus.Protocol.Tests.TestSupport;
using Stratus.Tests.Shared;

namespace Stratus.Compatibility.Tests.Pipeline;

/// <summary>Every operation of every model, sent signed over HTTP, is either served or refused in its protocol's shape, by name.</summary>
public sealed class EveryOperationAnswersTests : IClassFixture<ServerFixture>
{
    private static readonly HttpClient Http = new();
    private readonly ServerFixture _server;

    public EveryOperationAnswersTests(ServerFixture server) => _server = server;

    public static TheoryData<string> Services() => new("s3", "dynamodb", "dynamodbstreams", "sqs", "iam", "sts", "ec2", "lambda", "ebs", "dlm");

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Every_operation_not_built_yet_is_refused_by_name_in_the_protocols_shape(string name)
    {
        var service = ServiceCatalog.Get(name);
        var implemented = await ImplementedAsync(name);
        var wrong = new List<string>();
        var modelFile = Path.Combine(RepositoryPaths.Models, name, "service-2.json");
        foreach (var shaped in ModelShapedRequest.ForModel(modelFile, service.TargetPrefix ?? "", service.ApiVersion))
        {
            var answeredAs = ModelShapedRequest.IndistinguishableS3.GetValueOrDefault(shaped.Operation, shaped.Operation);
            if (implemented.Contains(answeredAs))
            {
                continue;
            }

            using var request = SignedHttp.Build(_server, shaped.Method, shaped.PathAndQuery, service.SigningName, shaped.Body, shaped.ContentType, shaped.Headers);
            using var response = await Http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var (code, status) = ExpectedRefusal(service.Protocol);
            var actualCode = ErrorCode(service.Protocol, body, response);
            if ((int)response.StatusCode != status || actualCode != code || (shaped.Method != "HEAD" && !body.Contains(answeredAs, StringComparison.Ordinal)))
            {
                wrong.Add($"{shaped.Operation}: {(int)response.StatusCode} {actualCode}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join("; ", wrong));
    }

    // What the server says it serves, from its health endpoint.
    private async Task<HashSet<string>> ImplementedAsync(string service)
    {
        using var health = JsonDocument.Parse(await Http.GetStringAsync(new Uri(_server.Endpoint, "/_stratus/health")));
        return health.RootElement.GetProperty("services").GetProperty(service).GetProperty("implementedOperations")
            .EnumerateArray().Select(e => e.GetString()!).ToHashSet(StringComparer.Ordinal);
    }

    private static (string Code, int Status) ExpectedRefusal(ServiceProtocol protocol) => protocol switch
    {
        ServiceProtocol.RestXml => ("NotImplemented", 501),
        ServiceProtocol.Query or ServiceProtocol.Ec2Query => ("InvalidAction", 400),
        _ => ("UnknownOperationException", 400),
    };

    private static string? ErrorCode(ServiceProtocol protocol, string body, HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues("x-amzn-ErrorType", out var types))
        {
            return types.First();
        }

        if (body.Length == 0)
        {
            // HEAD errors carry no body; the status is all a client sees.
            return response.StatusCode == HttpStatusCode.NotImplemented ? "NotImplemented" : null;
        }

        return protocol switch
        {
            ServiceProtocol.Json10 or ServiceProtocol.Json11 or ServiceProtocol.RestJson =>
                JsonDocument.Parse(body).RootElement.GetProperty("__type").GetString()!.Split('#')[^1],
            _ => XDocument.Parse(body).Descendants().First(e => e.Name.LocalName == "Code").Value,
        };
    }
}
