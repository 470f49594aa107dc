using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Stratus.Tests.Shared;

/// <summary>
/// A request for one operation of an AWS model, shaped as an SDK sends it: JSON with X-Amz-Target, a query form with
/// Action, or a REST binding with its labels, required query parameters and required headers filled in.
/// Shared (as a linked file) by the routing tests and the end-to-end compatibility tests.
/// </summary>
internal sealed record ModelShapedRequest(
    string Operation,
    string Method,
    string PathAndQuery,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    byte[] Body,
    string? ContentType)
{
    // Operations that S3 itself cannot tell apart on one endpoint: each pair answers with the newer operation.
    public static readonly IReadOnlyDictionary<string, string> IndistinguishableS3 = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["GetBucketLifecycle"] = "GetBucketLifecycleConfiguration",
        ["PutBucketLifecycle"] = "PutBucketLifecycleConfiguration",
        ["GetBucketNotification"] = "GetBucketNotificationConfiguration",
        ["PutBucketNotification"] = "PutBucketNotificationConfiguration",
        ["ListDirectoryBuckets"] = "ListBuckets", // directory buckets live on the S3 Express endpoint in AWS
    };

    public static IEnumerable<ModelShapedRequest> ForModel(string modelFile, string targetPrefixOrNull, string apiVersion)
    {
        using var model = JsonDocument.Parse(File.ReadAllBytes(modelFile));
        var protocol = model.RootElement.GetProperty("metadata").GetProperty("protocol").GetString();
        var shapes = model.RootElement.GetProperty("shapes");
        var list = new List<ModelShapedRequest>();
        foreach (var operation in model.RootElement.GetProperty("operations").EnumerateObject())
        {
            list.Add(protocol switch
            {
                "json" => Json(operation.Name, targetPrefixOrNull),
                "query" or "ec2" => Query(operation.Name, apiVersion),
                _ => Rest(operation.Name, operation.Value, shapes),
            });
        }

        return list;
    }

    private static ModelShapedRequest Json(string name, string targetPrefix) =>
        new(name, "POST", "/", [new("X-Amz-Target", $"{targetPrefix}.{name}")], "{}"u8.ToArray(), "application/x-amz-json-1.0");

    private static ModelShapedRequest Query(string name, string apiVersion) =>
        new(name, "POST", "/", [], Encoding.UTF8.GetBytes($"Action={name}&Version={apiVersion}"), "application/x-www-form-urlencoded; charset=utf-8");

    private static ModelShapedRequest Rest(string name, JsonElement operation, JsonElement shapes)
    {
        var binding = operation.GetProperty("http");
        var uri = binding.GetProperty("requestUri").GetString()!;
        var path = uri.Split('?')[0].Replace("{Key+}", "photos/2026/a%20b.jpg", StringComparison.Ordinal);
        path = Regex.Replace(path, @"\{[A-Za-z]+\+?\}", "label-1");
        var query = new List<string>();
        if (uri.Contains('?', StringComparison.Ordinal))
        {
            query.AddRange(uri.Split('?')[1].Split('&').Where(p => !p.StartsWith("x-id", StringComparison.Ordinal)));
        }

        var headers = new List<KeyValuePair<string, string>>();
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
                    headers.Add(new(wireName, "value"));
                }
            }
        }

        var pathAndQuery = query.Count == 0 ? path : path + "?" + string.Join('&', query);
        return new ModelShapedRequest(name, binding.GetProperty("method").GetString()!, pathAndQuery, headers, [], null);
    }
}
