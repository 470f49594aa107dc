using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Stratus.Protocol.Auth;
using Stratus.Protocol.Codecs;
using Stratus.Protocol.Pipeline;
using Stratus.Protocol.Services;
using Stratus.S3.Metadata;

namespace Stratus.S3;

/// <summary>
/// S3's condition keys, added to every operation's authorization request in one place: the signature keys
/// (<c>s3:authType</c>, <c>s3:signatureversion</c>, <c>s3:signatureAge</c>, <c>s3:x-amz-content-sha256</c>,
/// <c>s3:TlsVersion</c>), <c>s3:ResourceAccount</c>, the listing keys (<c>s3:prefix</c>, <c>s3:delimiter</c>,
/// <c>s3:max-keys</c>), the request headers AWS turns into keys for the actions that take them, <c>s3:VersionId</c>,
/// and, read only when a policy asks, the bucket's tags as <c>aws:ResourceTag/…</c> and the object's as
/// <c>s3:ExistingObjectTag/…</c>. AWS's "Actions, resources, and condition keys for Amazon S3" is the table followed.
/// </summary>
public sealed partial class S3Service
{
    private static readonly IReadOnlyList<string> RestHeader = ["REST-HEADER"];
    private static readonly IReadOnlyList<string> RestQueryString = ["REST-QUERY-STRING"];
    private static readonly IReadOnlyList<string> SigV4 = ["AWS4-HMAC-SHA256"];
    private static readonly string[] AclHeaders = ["x-amz-acl", "x-amz-grant-read", "x-amz-grant-write", "x-amz-grant-read-acp", "x-amz-grant-write-acp", "x-amz-grant-full-control"];

    private static readonly string[] PutObjectHeaders =
    [
        "x-amz-server-side-encryption", "x-amz-server-side-encryption-aws-kms-key-id", "x-amz-server-side-encryption-customer-algorithm",
        "x-amz-copy-source", "x-amz-metadata-directive", "x-amz-storage-class", "x-amz-website-redirect-location",
        "x-amz-object-lock-mode", "x-amz-object-lock-retain-until-date", "x-amz-object-lock-legal-hold", "x-amz-checksum-algorithm",
    ];

    // Every S3 operation is registered through here, so none can miss the keys (operations added later included).
    private new void Register<TRequest, TResponse>(
        string name,
        Func<OperationInput, TRequest> decode,
        Func<TRequest, RequestContext, AuthorizationRequest> authorization,
        Func<TRequest, RequestContext, CancellationToken, ValueTask<TResponse>> execute)
        where TRequest : notnull
        where TResponse : notnull =>
        base.Register(
            name,
            name is "PutObject" or "UploadPart" or "PostObject" ? decode : input => decode(WithContentMd5Checked(input)),
            (request, context) => WithConditionKeys(authorization(request, context), context),
            execute);

    // Content-MD5 on any body but an object's or a part's (which StoreBodyAsync checks as it stores them): the XML of
    // DeleteObjects, tagging, ACLs and configurations is checked as the handler reads it, which it does to the end
    // before acting (SafeXml), so a body that does not match its Content-MD5 changes nothing.
    private static OperationInput WithContentMd5Checked(OperationInput input) =>
        ContentMd5(input.Headers) is { } expected
            ? new OperationInput(input.Context, input.Parameters, input.Json, new DigestVerifyingStream(input.Body, HashAlgorithmName.MD5, expected, () => S3Errors.BadDigest("Content-MD5"), leaveOpen: true))
            : input;

    /// <summary>Tags of an object, for <c>s3:ExistingObjectTag/…</c>; empty until object tagging stores them.</summary>
    private static IReadOnlyList<KeyValuePair<string, string>> ObjectTags(string bucket, string key)
    {
        _ = (bucket, key);
        return [];
    }

    private AuthorizationRequest WithConditionKeys(AuthorizationRequest request, RequestContext context)
    {
        if (request.NoPermissionRequired)
        {
            return request;
        }

        var http = context.Http.Request;
        var headers = http.Headers;
        var query = http.Query;
        var keys = new Dictionary<string, IReadOnlyList<string>>(request.ConditionKeys, StringComparer.OrdinalIgnoreCase);
        AddSignatureKeys(keys, context, headers, query);
        if (request.ResourceAccount is { } owner)
        {
            keys["s3:ResourceAccount"] = [owner];
        }

        var action = request.Action;
        if (action is "s3:ListBucket" or "s3:ListBucketVersions")
        {
            AddQuery(keys, query, "prefix", "s3:prefix");
            AddQuery(keys, query, "delimiter", "s3:delimiter");
            AddQuery(keys, query, "max-keys", "s3:max-keys");
        }

        if (action is "s3:PutObject" or "s3:PutObjectAcl" or "s3:CreateBucket" or "s3:PutBucketAcl")
        {
            foreach (var header in AclHeaders)
            {
                AddHeader(keys, headers, header);
            }
        }

        if (action == "s3:PutObject")
        {
            foreach (var header in PutObjectHeaders)
            {
                AddHeader(keys, headers, header);
            }

            if (headers.TryGetValue("x-amz-tagging", out var tagging) && tagging.ToString() is { Length: > 0 } text)
            {
                var tags = QueryParameters.Parse(text.AsSpan());
                var names = new List<string>();
                foreach (var tagKey in tags.Names)
                {
                    keys["s3:RequestObjectTag/" + tagKey] = [tags.Get(tagKey)!];
                    names.Add(tagKey);
                }

                keys["s3:RequestObjectTagKeys"] = names;
            }
        }

        if (query.TryGetValue("versionId", out var versionId))
        {
            keys["s3:VersionId"] = [versionId.ToString()];
        }

        var lazy = new List<LazyTagKeys>(request.LazyTags);
        if (request.Resources.Count == 1 && action != "s3:CreateBucket" && TrySplitArn(request.Resources[0], out var bucket, out var key))
        {
            if (key is null)
            {
                lazy.Add(new LazyTagKeys("aws:ResourceTag/", () => BucketTags(bucket)));
            }
            else if (key != "*")
            {
                lazy.Add(new LazyTagKeys("s3:ExistingObjectTag/", () => ObjectTags(bucket, key)));
            }
        }

        return request with { ConditionKeys = keys, LazyTags = lazy };
    }

    private static void AddSignatureKeys(Dictionary<string, IReadOnlyList<string>> keys, RequestContext context, IHeaderDictionary headers, IQueryCollection query)
    {
        if (context.Caller.IsAnonymous)
        {
            return;
        }

        if (headers.Authorization.ToString().StartsWith("AWS4-HMAC-SHA256", StringComparison.Ordinal))
        {
            keys["s3:authType"] = RestHeader;
            keys["s3:signatureversion"] = SigV4;
            if (headers.TryGetValue("x-amz-content-sha256", out var payload))
            {
                keys["s3:x-amz-content-sha256"] = [payload.ToString()];
            }
        }
        else if (query.TryGetValue("X-Amz-Algorithm", out _))
        {
            keys["s3:authType"] = RestQueryString;
            keys["s3:signatureversion"] = SigV4;

            // How old the presigned signature is, in milliseconds, by the server clock.
            if (DateTimeOffset.TryParseExact(query["X-Amz-Date"].ToString(), "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var signedAt))
            {
                var age = Math.Max(0, (long)(context.ReceivedAt - signedAt).TotalMilliseconds);
                keys["s3:signatureAge"] = [age.ToString(CultureInfo.InvariantCulture)];
            }
        }

        // Present only over TLS, as AWS: "1.2" or "1.3".
        if (context.IsSecureTransport && context.Http.Features.Get<ITlsHandshakeFeature>() is { } tls)
        {
            var version = tls.Protocol switch
            {
                System.Security.Authentication.SslProtocols.Tls13 => "1.3",
                System.Security.Authentication.SslProtocols.Tls12 => "1.2",
                _ => null,
            };
            if (version is not null)
            {
                keys["s3:TlsVersion"] = [version];
            }
        }
    }

    private static void AddQuery(Dictionary<string, IReadOnlyList<string>> keys, IQueryCollection query, string parameter, string key)
    {
        if (query.TryGetValue(parameter, out var value))
        {
            keys[key] = [value.ToString()];
        }
    }

    private static void AddHeader(Dictionary<string, IReadOnlyList<string>> keys, IHeaderDictionary headers, string header)
    {
        if (headers.TryGetValue(header, out var value) && value.Count > 0)
        {
            keys["s3:" + header] = [value.ToString()];
        }
    }

    private List<KeyValuePair<string, string>> BucketTags(string bucket)
    {
        if (!_kv.TryGet(S3Keys.Tags(bucket), out var bytes))
        {
            return [];
        }

        var tags = QueryParameters.Parse(Encoding.UTF8.GetString(bytes).AsSpan());
        var list = new List<KeyValuePair<string, string>>(tags.Count);
        foreach (var key in tags.Names)
        {
            list.Add(new(key, tags.Get(key)!));
        }

        return list;
    }

    // arn:aws:s3:::bucket or arn:aws:s3:::bucket/key.
    private static bool TrySplitArn(string arn, out string bucket, out string? key)
    {
        const string prefix = "arn:aws:s3:::";
        bucket = "";
        key = null;
        if (!arn.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var slash = arn.IndexOf('/', prefix.Length);
        bucket = slash < 0 ? arn[prefix.Length..] : arn[prefix.Length..slash];
        key = slash < 0 ? null : arn[(slash + 1)..];
        return bucket.Length > 0;
    }
}
