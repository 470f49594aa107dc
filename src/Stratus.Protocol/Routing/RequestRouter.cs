using Microsoft.AspNetCore.Http;
using Stratus.Core;
using Stratus.Protocol.Catalog;
using Stratus.Protocol.Codecs;
using Stratus.Protocol.Pipeline;

namespace Stratus.Protocol.Routing;

/// <summary>
/// Decides which service and operation a request is for: <c>X-Amz-Target</c> for the JSON protocols, <c>Action</c> for the
/// query protocols, the SigV4 credential scope's service, and S3's path- and virtual-host-style addressing.
/// </summary>
public static class RequestRouter
{
    private static readonly string[] QueryServices = ["sts", "iam", "ec2", "sqs"];

    /// <summary>Routes one request. <paramref name="body"/> is the buffered body (empty when not buffered).</summary>
    /// <param name="request">The HTTP request.</param>
    /// <param name="rawPath">The path exactly as sent, still percent-encoded.</param>
    /// <param name="rawQuery">The query string as sent, without '?'.</param>
    /// <param name="scopeService">The service named in the request's SigV4 credential scope, if any.</param>
    /// <param name="body">The buffered body of a non-S3 request.</param>
    public static RouteResult Route(HttpRequest request, string rawPath, string rawQuery, string? scopeService, ReadOnlySpan<byte> body)
    {
        var target = request.Headers["X-Amz-Target"].ToString();
        if (target.Length > 0)
        {
            return RouteJson(target, scopeService);
        }

        var query = QueryParameters.Parse(rawQuery.AsSpan());
        if (scopeService is not null && scopeService != "s3")
        {
            if (ServiceCatalog.TryGetBySigningName(scopeService, out var scoped))
            {
                return scoped.Protocol switch
                {
                    ServiceProtocol.Query or ServiceProtocol.Ec2Query => RouteQuery(scoped, scoped.Protocol, request, query, body),
                    ServiceProtocol.RestJson => RouteRest(scoped, request.Method, rawPath, query, request.Headers, null),
                    _ when scoped.Name == "sqs" => RouteQuery(scoped, ServiceProtocol.Query, request, query, body),
                    _ => new RouteResult(scoped, scoped.Protocol, "", null),
                };
            }

            throw new AwsException(
                "InvalidSignatureException",
                $"Credential should be scoped to a valid service; Stratus does not serve '{scopeService}'.",
                400);
        }

        if (scopeService is null && IsForm(request, body))
        {
            // An unsigned query request (AssumeRoleWithWebIdentity, say): find the query service that has the action.
            var parameters = FormParameters(request, query, body);
            var action = parameters.Get("Action");
            if (action is not null)
            {
                foreach (var name in QueryServices)
                {
                    var service = ServiceCatalog.Get(name);
                    if (service.OperationsByName.TryGetValue(action, out var op))
                    {
                        var protocol = service.Protocol is ServiceProtocol.Json10 ? ServiceProtocol.Query : service.Protocol;
                        return new RouteResult(service, protocol, action, op) { Parameters = parameters };
                    }
                }
            }
        }

        var bucket = S3HostStyle.BucketOf(request.Host.Value ?? "");
        return RouteRest(ServiceCatalog.Get("s3"), request.Method, rawPath, query, request.Headers, bucket);
    }

    /// <summary>True when the request must be buffered and hashed before routing (everything but S3).</summary>
    public static bool NeedsBufferedBody(HttpRequest request, string? scopeService)
    {
        if (request.Headers.ContainsKey("X-Amz-Target"))
        {
            return true;
        }

        if (scopeService is not null)
        {
            return scopeService != "s3";
        }

        return HttpMethods.IsPost(request.Method) && IsFormContentType(request.ContentType);
    }

    private static RouteResult RouteJson(string target, string? scopeService)
    {
        var dot = target.LastIndexOf('.');
        var prefix = dot < 0 ? target.AsSpan() : target.AsSpan(0, dot);
        var operation = dot < 0 ? "" : target[(dot + 1)..];
        if (!ServiceCatalog.TryGetByTargetPrefix(prefix, out var service))
        {
            var fallback = scopeService is not null && ServiceCatalog.TryGetBySigningName(scopeService, out var scoped)
                ? scoped
                : ServiceCatalog.Get("dynamodb");
            throw ProtocolErrors.UnknownOperation(ServiceProtocol.Json10, fallback.Name, target, knownToModel: false);
        }

        service.OperationsByName.TryGetValue(operation, out var op);
        return new RouteResult(service, service.Protocol, operation, op);
    }

    private static RouteResult RouteQuery(ServiceDescriptor service, ServiceProtocol protocol, HttpRequest request, QueryParameters query, ReadOnlySpan<byte> body)
    {
        var parameters = IsForm(request, body) ? FormParameters(request, query, body) : query;
        var action = parameters.Get("Action") ?? "";

        // A query API is versioned by its Version parameter; AWS knows no operation under another version. (EC2 still
        // answers older versions, so this holds for the query protocol only.)
        if (protocol == ServiceProtocol.Query && parameters.Get("Version") is { } version && version != service.ApiVersion)
        {
            throw new AwsException("InvalidAction", $"Could not find operation {action} for version {version}", 400);
        }

        service.OperationsByName.TryGetValue(action, out var op);
        return new RouteResult(service, protocol, action, op) { Parameters = parameters };
    }

    private static RouteResult RouteRest(
        ServiceDescriptor service,
        string method,
        string rawPath,
        QueryParameters query,
        IHeaderDictionary headers,
        string? virtualHostBucket)
    {
        var path = rawPath;
        if (virtualHostBucket is not null)
        {
            path = "/" + Uri.EscapeDataString(virtualHostBucket) + (rawPath.StartsWith('/') ? rawPath : "/" + rawPath);
        }

        OperationDescriptor? best = null;
        Dictionary<string, string>? bestLabels = null;
        var bestScore = int.MinValue;
        foreach (var op in service.Operations)
        {
            if (!string.Equals(op.Method, method, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            // The score needs no path, so an operation whose query or headers rule it out (most of S3's, which share
            // paths and differ by a query flag), or that could not beat the best so far, never pays for matching its path.
            var score = Score(op, query, headers);
            if (score == int.MinValue || score <= bestScore || !op.Template.TryMatch(path, out var labels))
            {
                continue;
            }

            best = op;
            bestLabels = labels;
            bestScore = score;
        }

        if (best is null)
        {
            // S3 answers a method it has no operation for at all (PATCH, …) with 405, naming what the path points at.
            if (service.Name == "s3" && !service.Operations.Any(op => string.Equals(op.Method, method, StringComparison.OrdinalIgnoreCase)))
            {
                var depth = path.Trim('/').Length == 0 ? 0 : path.TrimStart('/').Contains('/', StringComparison.Ordinal) ? 2 : 1;
                throw ProtocolErrors.MethodNotAllowed(method, depth switch { 0 => "SERVICE", 1 => "BUCKET", _ => "OBJECT" });
            }

            return new RouteResult(service, service.Protocol, $"{method} {rawPath}", null) { Parameters = query, VirtualHostBucket = virtualHostBucket };
        }

        return new RouteResult(service, service.Protocol, best.Name, best)
        {
            Parameters = query,
            Labels = bestLabels ?? new Dictionary<string, string>(StringComparer.Ordinal),
            VirtualHostBucket = virtualHostBucket,
        };
    }

    // A route is a candidate only when all its required query parameters and headers are present; among candidates the one
    // that requires the most wins, then the one with more literal path segments, then the one not deprecated.
    private static int Score(OperationDescriptor op, QueryParameters query, IHeaderDictionary headers)
    {
        var score = 0;
        foreach (var requirement in op.RequiredQuery)
        {
            var equals = requirement.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                if (!query.Contains(requirement))
                {
                    return int.MinValue;
                }
            }
            else if (query.Get(requirement[..equals]) != requirement[(equals + 1)..])
            {
                return int.MinValue;
            }

            score += 100;
        }

        foreach (var header in op.RequiredHeaders)
        {
            if (!headers.ContainsKey(header))
            {
                return int.MinValue;
            }

            score += 100;
        }

        score += op.Template.LiteralCount * 10;
        if (!op.Deprecated)
        {
            score += 1;
        }

        return score;
    }

    private static bool IsForm(HttpRequest request, ReadOnlySpan<byte> body) =>
        HttpMethods.IsPost(request.Method) && body.Length > 0 && IsFormContentType(request.ContentType);

    private static bool IsFormContentType(string? contentType) =>
        contentType is not null && contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);

    private static QueryParameters FormParameters(HttpRequest request, QueryParameters query, ReadOnlySpan<byte> body) =>
        IsForm(request, body) ? QueryParameters.Parse(body, query) : query;
}
