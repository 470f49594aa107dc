using System.Net;
using System.Text;
using System.Text.Json;
using Stratus.Protocol.Catalog;
using Stratus.Protocol.Tests.TestSupport;
using Stratus.Tests.Shared;

namespace Stratus.Compatibility.Tests.Iam;

/// <summary>
/// Every operation the running server implements, in every service, is sent (shaped from its model) by an IAM user with
/// no policies at all. Each must be refused by the authorization step with AWS's own IAM action name for it (read from
/// the denial's trace at <c>/_stratus/decisions/{id}</c>) on a resource of the right kind, or be one of the few actions
/// AWS never checks. A new operation that declares nothing, or the wrong action, fails here.
/// </summary>
public sealed class EnforcementCoverageTests : IClassFixture<ServerFixture>
{
    private static readonly HttpClient Http = new();
    private readonly ServerFixture _server;

    public EnforcementCoverageTests(ServerFixture server) => _server = server;

    [Fact]
    public void The_expected_S3_table_names_only_operations_of_the_model()
    {
        var model = ModelOperations("s3");
        var unknown = ExpectedActions.S3.Keys.Where(name => !model.Contains(name)).ToList();
        var missing = model.Where(name => !ExpectedActions.S3.ContainsKey(name)).ToList();
        Assert.True(unknown.Count == 0, "not in the S3 model: " + string.Join(", ", unknown));
        Assert.True(missing.Count == 0, "S3 operations without an expected action: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task Every_implemented_operation_is_authorized_as_the_IAM_action_AWS_names()
    {
        var (_, accessKey, secret) = await IamUsers.CreateAsync(_server, policy: null, "nobody");

        // The bucket the model-shaped requests name exists, so that operations checking items inside it reach their checks.
        using (var create = SignedHttp.Build(_server, "PUT", "/label-1", "s3", [], null))
        using (var created = await Http.SendAsync(create))
        {
            Assert.True(created.IsSuccessStatusCode || created.StatusCode == HttpStatusCode.Conflict, $"CreateBucket: {(int)created.StatusCode}");
        }

        using var health = JsonDocument.Parse(await Http.GetStringAsync(new Uri(_server.Endpoint, "/_stratus/health")));
        var wrong = new List<string>();
        var checkedOperations = 0;
        foreach (var serviceEntry in health.RootElement.GetProperty("services").EnumerateObject())
        {
            var service = ServiceCatalog.Get(serviceEntry.Name);
            var shapedByName = ModelShapedRequest
                .ForModel(Path.Combine(RepositoryPaths.Models, service.Name, "service-2.json"), service.TargetPrefix ?? "", service.ApiVersion)
                .ToDictionary(r => r.Operation, StringComparer.Ordinal);
            foreach (var operation in serviceEntry.Value.GetProperty("implementedOperations").EnumerateArray().Select(e => e.GetString()!))
            {
                if (!shapedByName.ContainsKey(operation))
                {
                    // Not in the model (S3's browser-form PostObject): no model-shaped request exists; its own suite checks
                    // that the form's signer needs s3:PutObject (PostObjectTests).
                    continue;
                }

                checkedOperations++;
                var expected = ExpectedActions.For(service.Name, operation);
                if (expected is null)
                {
                    wrong.Add($"{service.Name}:{operation}: no expected IAM action in ExpectedActions (add AWS's action name for it)");
                    continue;
                }

                var problem = await CheckAsync(service, shapedByName[operation], expected.Value, accessKey, secret);
                if (problem is not null)
                {
                    wrong.Add($"{service.Name}:{operation}: {problem}");
                }
            }
        }

        Assert.True(checkedOperations > 40, $"only {checkedOperations} operations were found in the health endpoint");
        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }

    private async Task<string?> CheckAsync(ServiceDescriptor service, ModelShapedRequest shaped, Expectation expected, string accessKey, string secret)
    {
        var body = ExpectedActions.SampleBodies.TryGetValue(shaped.Operation, out var sample) ? Encoding.UTF8.GetBytes(sample)
            : service.Protocol is ServiceProtocol.Query or ServiceProtocol.Ec2Query ? WithRequiredMembers(service, shaped)
            : shaped.Body;
        var headers = ExpectedActions.SampleHeaders.TryGetValue(shaped.Operation, out var sampleHeaders) ? sampleHeaders : shaped.Headers;
        using var request = SignedHttp.Build(_server, shaped.Method, shaped.PathAndQuery, service.SigningName, body, shaped.ContentType, headers, accessKey, secret);
        using var response = await Http.SendAsync(request);
        // A 403, or a result that reports each item's refusal (DeleteObjects): either way the authorizer kept a trace.
        var requestId = response.Headers.TryGetValues("x-amz-request-id", out var s3Ids) ? s3Ids.First()
            : response.Headers.TryGetValues("x-amzn-RequestId", out var ids) ? ids.First() : null;
        if (requestId is null)
        {
            return $"a {(int)response.StatusCode} without a request id";
        }

        using var traceResponse = await Http.GetAsync(new Uri(_server.Endpoint, "/_stratus/decisions/" + requestId));
        if (expected.Action is null)
        {
            // AWS evaluates no identity policy for these: the authorizer must not have refused a caller that has none.
            return traceResponse.IsSuccessStatusCode ? "refused by the authorizer, but AWS requires no permission for it" : null;
        }

        if (!traceResponse.IsSuccessStatusCode)
        {
            return response.StatusCode == HttpStatusCode.Forbidden
                ? "a 403 that the authorizer did not decide (no decision trace): refused before authorization?"
                : $"answered {(int)response.StatusCode} to a caller with no policies: no permission was checked (expected {expected.Action})";
        }

        using var trace = JsonDocument.Parse(await traceResponse.Content.ReadAsStringAsync());
        var action = trace.RootElement.GetProperty("action").GetString();
        if (!string.Equals(action, expected.Action, StringComparison.Ordinal))
        {
            return $"declares {action}, AWS's action is {expected.Action}";
        }

        var resources = trace.RootElement.GetProperty("resources").EnumerateArray().Select(e => e.GetString()!).ToList();
        var vendor = expected.Action[..expected.Action.IndexOf(':', StringComparison.Ordinal)];
        foreach (var resource in resources)
        {
            var fits = expected.Resource switch
            {
                ResourceKind.Any => resource == "*",
                ResourceKind.Bucket => resource.StartsWith("arn:aws:s3:::", StringComparison.Ordinal) && !resource.Contains('/', StringComparison.Ordinal),
                ResourceKind.Object => resource.StartsWith("arn:aws:s3:::", StringComparison.Ordinal) && resource.Contains('/', StringComparison.Ordinal),
                ResourceKind.Role => resource.StartsWith("arn:aws:iam::", StringComparison.Ordinal) && resource.Contains(":role/", StringComparison.Ordinal),
                _ => resource == "*" || resource.StartsWith($"arn:aws:{vendor}:", StringComparison.Ordinal),
            };
            if (!fits)
            {
                return $"declares resource {resource}, expected {expected.Resource}";
            }
        }

        return resources.Count == 0 ? "declares no resource" : null;
    }

    // A query request with every required top-level member filled with a plausible value, so that an operation whose
    // authorization reads a required parameter (a role name, a policy ARN) reaches the authorizer.
    private static byte[] WithRequiredMembers(ServiceDescriptor service, ModelShapedRequest shaped)
    {
        using var model = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(RepositoryPaths.Models, service.Name, "service-2.json")));
        var shapes = model.RootElement.GetProperty("shapes");
        var form = new StringBuilder(Encoding.UTF8.GetString(shaped.Body));
        if (!model.RootElement.GetProperty("operations").GetProperty(shaped.Operation).TryGetProperty("input", out var input))
        {
            return shaped.Body;
        }

        var shape = shapes.GetProperty(input.GetProperty("shape").GetString()!);
        if (!shape.TryGetProperty("required", out var required))
        {
            return shaped.Body;
        }

        foreach (var name in required.EnumerateArray().Select(e => e.GetString()!))
        {
            var member = shape.GetProperty("members").GetProperty(name);
            var type = shapes.GetProperty(member.GetProperty("shape").GetString()!).GetProperty("type").GetString();
            var value = type switch
            {
                "string" when name.EndsWith("Document", StringComparison.Ordinal) =>
                    """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""",
                "string" when name.EndsWith("Arn", StringComparison.Ordinal) && name.Contains("Policy", StringComparison.Ordinal) =>
                    "arn:aws:iam::000000000000:policy/coverage",
                "string" when name.EndsWith("Arn", StringComparison.Ordinal) => "arn:aws:iam::000000000000:role/coverage",
                "string" => "coverage",
                "integer" or "long" => "3600",
                "boolean" => "false",
                "list" => null,
                _ => null,
            };
            if (type == "list")
            {
                form.Append('&').Append(name).Append(".member.1=coverage%3Acoverage");
            }
            else if (value is not null)
            {
                form.Append('&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
            }
        }

        return Encoding.UTF8.GetBytes(form.ToString());
    }

    private static HashSet<string> ModelOperations(string service)
    {
        using var model = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(RepositoryPaths.Models, service, "service-2.json")));
        return model.RootElement.GetProperty("operations").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
    }
}
