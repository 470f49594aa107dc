using System.Net;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using Stratus.Core;
using Stratus.Protocol.Codecs;
using Stratus.Protocol.Pipeline;
using Stratus.Protocol.Services;
using Stratus.S3.Metadata;
using Stratus.S3.Objects;
using Stratus.S3.Responses;

namespace Stratus.S3;

/// <summary>
/// The website endpoint (<c>bucket.s3-website…</c> hosts): anonymous GET and HEAD of a bucket with a website
/// configuration, as S3 serves it. A redirect of every request; else the index document for the root and for any key
/// ending in <c>/</c>, a 302 to <c>key/</c> when only <c>key/index</c> exists, routing rules (by key prefix before the
/// lookup, by error code after it), and the error document (or an HTML error page) for a missing or unreadable object.
/// An object is served only if an anonymous caller may read it (a bucket policy allowing <c>s3:GetObject</c> to
/// <c>*</c>, as S3 requires for websites).
/// </summary>
public sealed partial class S3Service : IStaticWebsite
{
    /// <inheritdoc />
    public async Task ServeAsync(RequestContext context, string bucket, string rawPath)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Http.Request;
        try
        {
            if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
            {
                throw new AwsException("MethodNotAllowed", "The specified method is not allowed against this resource.", 405) { Details = [new("Method", request.Method), new("ResourceType", "OBJECT")] };
            }

            if (FindBucket(bucket) is null)
            {
                throw new AwsException("NoSuchBucket", "The specified bucket does not exist", 404) { Details = [new("BucketName", bucket)] };
            }

            var website = ReadXmlSetting(BucketSettingKeys.Website, bucket)
                ?? throw new AwsException("NoSuchWebsiteConfiguration", "The specified bucket does not have a website configuration", 404) { Details = [new("BucketName", bucket)] };
            var path = PercentDecoding.Decode(rawPath).TrimStart('/');
            if (Element(website, "RedirectAllRequestsTo") is { } everything)
            {
                await RedirectAsync(context, 301, $"{OnlyChild(everything, "Protocol") ?? request.Scheme}://{OnlyChild(everything, "HostName")}/{path}").ConfigureAwait(false);
                return;
            }

            var suffix = OnlyChild(Element(website, "IndexDocument")!, "Suffix")!;
            var key = path.Length == 0 || path.EndsWith('/') ? path + suffix : path;
            if (MatchingRule(website, path, errorCode: null) is { } early)
            {
                await RedirectByRuleAsync(context, early, path).ConfigureAwait(false);
                return;
            }

            var (status, failure, found) = Readable(context, bucket, key);
            if (status == 404 && !key.EndsWith(suffix, StringComparison.Ordinal) && Readable(context, bucket, key + "/" + suffix).Status == 200)
            {
                // A "folder" asked for without its slash: S3 sends the browser to the slash, where the index document is.
                await RedirectAsync(context, 302, "/" + path + "/").ConfigureAwait(false);
                return;
            }

            if (status != 200 && MatchingRule(website, path, status) is { } late)
            {
                await RedirectByRuleAsync(context, late, path).ConfigureAwait(false);
                return;
            }

            if (status == 200)
            {
                await GetObject(GetObjectRequest.ForWebsite(bucket, key, HttpMethods.IsHead(request.Method), request.Headers, found!), context).WriteAsync(context.Http.Response, context).ConfigureAwait(false);
                return;
            }

            // The error document, if one is configured and readable, answers with the error's status.
            if (Element(website, "ErrorDocument") is { } errorDocument && OnlyChild(errorDocument, "Key") is { } errorKey && Readable(context, bucket, errorKey) is { Status: 200, Record: { } errorPage })
            {
                var page = GetObject(GetObjectRequest.ForWebsite(bucket, errorKey, HttpMethods.IsHead(request.Method), new HeaderDictionary(), errorPage), context);
                await (page is ObjectResponse body ? body.WithStatus(status) : page).WriteAsync(context.Http.Response, context).ConfigureAwait(false);
                return;
            }

            throw failure!;
        }
        catch (AwsException error)
        {
            await WriteHtmlErrorAsync(context, error).ConfigureAwait(false);
        }
    }

    // Whether an anonymous visitor may read the key: 200 with the current record's bytes (which the read then serves,
    // without reading them again), or the 404 / 403 the website answers instead.
    private (int Status, AwsException? Failure, byte[]? Record) Readable(RequestContext context, string bucket, string key)
    {
        if (!_kv.TryGet(S3Keys.Object(bucket, key), out var bytes) || ReadRecord(bytes) is not { DeleteMarker: false } record)
        {
            return (404, new AwsException("NoSuchKey", "The specified key does not exist.", 404) { Details = [new("Key", key)] }, null);
        }

        if (!context.Authorize(OnBucket("s3:GetObject", bucket, key)).Allowed)
        {
            return (403, new AwsException("AccessDenied", "Access Denied", 403), null);
        }

        return IsArchived(record) ? (403, InvalidObjectState(record.StorageClass, "The operation is not valid for the object's storage class"), null) : (200, null, bytes);
    }

    /// <summary>The first routing rule whose condition holds: a key prefix (and, after the lookup, the error code it produced).</summary>
    private static XElement? MatchingRule(XElement website, string path, int? errorCode)
    {
        foreach (var rule in Elements(Element(website, "RoutingRules") ?? new XElement("RoutingRules"), "RoutingRule"))
        {
            var condition = Element(rule, "Condition");
            var prefix = condition is null ? null : OnlyChild(condition, "KeyPrefixEquals");
            var code = condition is null ? null : OnlyChild(condition, "HttpErrorCodeReturnedEquals");
            var codeHolds = code is null ? errorCode is null : errorCode is { } status && code == status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (codeHolds && (prefix is null || path.StartsWith(prefix, StringComparison.Ordinal)))
            {
                return rule;
            }
        }

        return null;
    }

    private static Task RedirectByRuleAsync(RequestContext context, XElement rule, string path)
    {
        var redirect = Element(rule, "Redirect")!;
        var prefix = Element(rule, "Condition") is { } condition ? OnlyChild(condition, "KeyPrefixEquals") ?? "" : "";
        var key = OnlyChild(redirect, "ReplaceKeyWith")
            ?? (OnlyChild(redirect, "ReplaceKeyPrefixWith") is { } replacement ? replacement + path[prefix.Length..] : path);
        var request = context.Http.Request;
        var host = OnlyChild(redirect, "HostName") ?? request.Host.Value;
        var protocol = OnlyChild(redirect, "Protocol") ?? request.Scheme;
        var status = int.Parse(OnlyChild(redirect, "HttpRedirectCode") ?? "301", System.Globalization.CultureInfo.InvariantCulture);
        return RedirectAsync(context, status, $"{protocol}://{host}/{key}");
    }

    private static Task RedirectAsync(RequestContext context, int status, string location)
    {
        var response = context.Http.Response;
        response.StatusCode = status;
        response.Headers.Location = location;
        response.ContentLength = 0;
        return Task.CompletedTask;
    }

    // S3's website error page: HTML naming the code and message, not the REST API's XML.
    private static async Task WriteHtmlErrorAsync(RequestContext context, AwsException error)
    {
        var reason = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(error.StatusCode);
        var html = new StringBuilder()
            .Append("<html>\n<head><title>").Append(error.StatusCode).Append(' ').Append(reason).Append("</title></head>\n<body>\n")
            .Append("<h1>").Append(error.StatusCode).Append(' ').Append(reason).Append("</h1>\n<ul>\n")
            .Append("<li>Code: ").Append(WebUtility.HtmlEncode(error.Code)).Append("</li>\n")
            .Append("<li>Message: ").Append(WebUtility.HtmlEncode(error.Message)).Append("</li>\n");
        foreach (var (name, value) in error.Details)
        {
            html.Append("<li>").Append(WebUtility.HtmlEncode(name)).Append(": ").Append(WebUtility.HtmlEncode(value)).Append("</li>\n");
        }

        html.Append("<li>RequestId: ").Append(context.RequestId).Append("</li>\n</ul>\n<hr/>\n</body>\n</html>\n");
        var bytes = Encoding.UTF8.GetBytes(html.ToString());
        var response = context.Http.Response;
        response.StatusCode = error.StatusCode;
        response.ContentType = "text/html; charset=utf-8";
        response.ContentLength = bytes.Length;
        if (!HttpMethods.IsHead(context.Http.Request.Method))
        {
            await response.Body.WriteAsync(bytes, context.Http.RequestAborted).ConfigureAwait(false);
        }
    }
}
