using System.Globalization;
using System.Xml.Linq;
using Stratus.Core;
using Stratus.Protocol.Pipeline;
using Stratus.Protocol.Services;
using Stratus.S3.Metadata;
using Stratus.S3.Responses;

namespace Stratus.S3;

/// <summary>
/// Bucket CORS: Put/Get/DeleteBucketCors (at most 100 rules; methods GET, PUT, POST, DELETE, HEAD; one <c>*</c> per
/// origin or header), and the browser side: preflights and the <c>Access-Control-*</c> headers of ordinary responses,
/// answered from the first rule that matches (the pipeline calls in through <see cref="ICrossOriginPolicy"/>).
/// </summary>
public sealed partial class S3Service : ICrossOriginPolicy
{
    private const int MaxCorsRules = 100;
    private const string CorsVary = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";

    private static readonly string[] CorsMethods = ["GET", "PUT", "POST", "DELETE", "HEAD"];

    private void RegisterCors()
    {
        Register<(string Bucket, Stream Body), HeadersResponse>(
            "PutBucketCors",
            static input => (Label(input, "Bucket"), input.Body),
            (request, _) => OnBucket("s3:PutBucketCORS", request.Bucket),
            async (request, _, cancellationToken) =>
            {
                RequireBucket(request.Bucket);
                var rules = ParseCors(await ReadConfigurationAsync(request.Body, "CORSConfiguration", cancellationToken).ConfigureAwait(false));
                await WriteSettingAsync(BucketSettingKeys.Cors, request.Bucket, rules, BucketSettingsJsonContext.Default.ListCorsRule).ConfigureAwait(false);
                return new HeadersResponse(200);
            });
        Register<string, XmlResponse>(
            "GetBucketCors",
            static input => Label(input, "Bucket"),
            (bucket, _) => OnBucket("s3:GetBucketCORS", bucket),
            (bucket, _, _) =>
            {
                RequireBucket(bucket);
                var rules = ReadSetting(BucketSettingKeys.Cors, bucket, BucketSettingsJsonContext.Default.ListCorsRule)
                    ?? throw new AwsException("NoSuchCORSConfiguration", "The CORS configuration does not exist", 404) { Details = [new("BucketName", bucket)] };
                return ValueTask.FromResult(new XmlResponse("CORSConfiguration", w =>
                {
                    foreach (var rule in rules)
                    {
                        w.WriteStartElement("CORSRule");
                        if (rule.Id is not null)
                        {
                            w.WriteElementString("ID", rule.Id);
                        }

                        WriteAll(w, "AllowedHeader", rule.AllowedHeaders);
                        WriteAll(w, "AllowedMethod", rule.AllowedMethods);
                        WriteAll(w, "AllowedOrigin", rule.AllowedOrigins);
                        WriteAll(w, "ExposeHeader", rule.ExposeHeaders);
                        if (rule.MaxAgeSeconds is { } maxAge)
                        {
                            w.WriteElementString("MaxAgeSeconds", maxAge.ToString(CultureInfo.InvariantCulture));
                        }

                        w.WriteEndElement();
                    }
                }));
            });
        Register<string, HeadersResponse>(
            "DeleteBucketCors",
            static input => Label(input, "Bucket"),
            (bucket, _) => OnBucket("s3:PutBucketCORS", bucket),
            async (bucket, _, _) =>
            {
                RequireBucket(bucket);
                await DeleteSettingAsync(BucketSettingKeys.Cors, bucket).ConfigureAwait(false);
                return new HeadersResponse(204);
            });
    }

    /// <inheritdoc />
    public IReadOnlyList<KeyValuePair<string, string>> Preflight(string bucket, string? key, string origin, string method, IReadOnlyList<string> requestHeaders)
    {
        if (FindBucket(bucket) is null)
        {
            throw Forbidden("CORSResponse: Bucket not found", method, key);
        }

        var rules = ReadSetting(BucketSettingKeys.Cors, bucket, BucketSettingsJsonContext.Default.ListCorsRule)
            ?? throw Forbidden("CORSResponse: CORS is not enabled for this bucket.", method, key);
        foreach (var rule in rules)
        {
            if (!rule.AllowedMethods.Contains(method, StringComparer.Ordinal)
                || !rule.AllowedOrigins.Any(o => CorsMatch(o, origin, ignoreCase: false))
                || !requestHeaders.All(h => (rule.AllowedHeaders ?? []).Any(a => CorsMatch(a, h, ignoreCase: true))))
            {
                continue;
            }

            var headers = AllowHeaders(rule, origin);
            if (requestHeaders.Count > 0)
            {
                headers.Add(new("Access-Control-Allow-Headers", string.Join(", ", requestHeaders.Select(h => h.ToLowerInvariant()))));
            }

            if (rule.MaxAgeSeconds is { } maxAge)
            {
                headers.Add(new("Access-Control-Max-Age", maxAge.ToString(CultureInfo.InvariantCulture)));
            }

            return headers;
        }

        throw Forbidden(
            "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
            method,
            key);
    }

    /// <inheritdoc />
    public IReadOnlyList<KeyValuePair<string, string>> ResponseHeaders(string bucket, string origin, string method)
    {
        var rules = ReadSetting(BucketSettingKeys.Cors, bucket, BucketSettingsJsonContext.Default.ListCorsRule);
        foreach (var rule in rules ?? [])
        {
            if (rule.AllowedMethods.Contains(method, StringComparer.Ordinal) && rule.AllowedOrigins.Any(o => CorsMatch(o, origin, ignoreCase: false)))
            {
                var headers = AllowHeaders(rule, origin);
                if (rule.MaxAgeSeconds is { } maxAge)
                {
                    headers.Add(new("Access-Control-Max-Age", maxAge.ToString(CultureInfo.InvariantCulture)));
                }

                return headers;
            }
        }

        return [];
    }

    // The headers every answer from a matching rule carries: origin (echoed unless the rule allows any), methods, exposed headers.
    private static List<KeyValuePair<string, string>> AllowHeaders(CorsRule rule, string origin)
    {
        var any = rule.AllowedOrigins.Contains("*", StringComparer.Ordinal);
        var headers = new List<KeyValuePair<string, string>>
        {
            new("Access-Control-Allow-Origin", any ? "*" : origin),
            new("Access-Control-Allow-Methods", string.Join(", ", rule.AllowedMethods)),
            new("Vary", CorsVary),
        };
        if (!any)
        {
            headers.Add(new("Access-Control-Allow-Credentials", "true"));
        }

        if (rule.ExposeHeaders is { Count: > 0 } expose)
        {
            headers.Add(new("Access-Control-Expose-Headers", string.Join(", ", expose)));
        }

        return headers;
    }

    private static AwsException Forbidden(string message, string method, string? key) =>
        new("AccessForbidden", message, 403) { Details = [new("Method", method), new("ResourceType", key is null ? "BUCKET" : "OBJECT")] };

    // A pattern with at most one '*', which stands for any run of characters.
    internal static bool CorsMatch(string pattern, string value, bool ignoreCase)
    {
        var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var star = pattern.IndexOf('*', StringComparison.Ordinal);
        if (star < 0)
        {
            return string.Equals(pattern, value, comparison);
        }

        var head = pattern.AsSpan(0, star);
        var tail = pattern.AsSpan(star + 1);
        return value.Length >= head.Length + tail.Length
            && value.AsSpan().StartsWith(head, comparison)
            && value.AsSpan().EndsWith(tail, comparison);
    }

    private static List<CorsRule> ParseCors(XElement root)
    {
        var elements = Elements(root, "CORSRule").ToList();
        if (elements.Count == 0)
        {
            throw ProtocolErrors.MalformedXml("a CORSConfiguration needs at least one CORSRule.");
        }

        if (elements.Count > MaxCorsRules)
        {
            throw ProtocolErrors.MalformedXml($"a CORSConfiguration holds at most {MaxCorsRules} rules.");
        }

        var rules = new List<CorsRule>();
        foreach (var element in elements)
        {
            var methods = Values(element, "AllowedMethod");
            var origins = Values(element, "AllowedOrigin");
            if (methods.Count == 0 || origins.Count == 0)
            {
                throw ProtocolErrors.MalformedXml("every CORSRule needs an AllowedMethod and an AllowedOrigin.");
            }

            foreach (var method in methods)
            {
                if (!CorsMethods.Contains(method, StringComparer.Ordinal))
                {
                    throw new AwsException("InvalidRequest", $"Found unsupported HTTP method in CORS config. Unsupported method is {method}", 400);
                }
            }

            foreach (var origin in origins)
            {
                if (origin.Count(c => c == '*') > 1)
                {
                    throw new AwsException("InvalidRequest", $"AllowedOrigin \"{origin}\" can not have more than one wildcard.", 400);
                }
            }

            var allowedHeaders = Values(element, "AllowedHeader");
            foreach (var header in allowedHeaders)
            {
                if (header.Count(c => c == '*') > 1)
                {
                    throw new AwsException("InvalidRequest", $"AllowedHeader \"{header}\" can not have more than one wildcard.", 400);
                }
            }

            var id = Element(element, "ID")?.Value;
            if (id is { Length: > 255 })
            {
                throw S3Errors.InvalidArgument("The ID of a CORSRule is at most 255 characters.", "ID", id);
            }

            int? maxAge = null;
            if (Element(element, "MaxAgeSeconds")?.Value is { } maxAgeText)
            {
                maxAge = int.TryParse(maxAgeText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds)
                    ? seconds
                    : throw ProtocolErrors.MalformedXml("MaxAgeSeconds must be an integer.");
            }

            var expose = Values(element, "ExposeHeader");
            rules.Add(new CorsRule
            {
                Id = id,
                AllowedMethods = methods,
                AllowedOrigins = origins,
                AllowedHeaders = allowedHeaders.Count > 0 ? allowedHeaders : null,
                ExposeHeaders = expose.Count > 0 ? expose : null,
                MaxAgeSeconds = maxAge,
            });
        }

        return rules;
    }
}
