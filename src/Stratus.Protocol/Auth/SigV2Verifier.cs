using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Stratus.Protocol.Routing;

namespace Stratus.Protocol.Auth;

/// <summary>
/// S3's legacy Signature Version 2 (HMAC-SHA1): the <c>Authorization: AWS key:signature</c> header and the
/// <c>AWSAccessKeyId/Expires/Signature</c> query of presigned URLs. Only S3 accepts it, as in AWS; the AWS CLI and
/// boto3 still presign with it in us-east-1 unless told to use <c>s3v4</c>.
/// </summary>
internal static class SigV2Verifier
{
    private const string MismatchMessage =
        "The request signature we calculated does not match the signature you provided. Check your key and signing method.";

    /// <summary>The query parameters that are part of the resource signed (S3's sub-resources and response overrides).</summary>
    private static readonly HashSet<string> SignedSubresources = new(StringComparer.Ordinal)
    {
        "accelerate", "acl", "analytics", "cors", "delete", "encryption", "intelligent-tiering", "inventory", "legal-hold",
        "lifecycle", "location", "logging", "metrics", "notification", "object-lock", "ownershipControls", "partNumber",
        "policy", "policyStatus", "publicAccessBlock", "replication", "requestPayment", "response-cache-control",
        "response-content-disposition", "response-content-encoding", "response-content-language", "response-content-type",
        "response-expires", "restore", "retention", "select", "select-type", "tagging", "torrent", "uploadId", "uploads",
        "versionId", "versioning", "versions", "website", "attributes",
    };

    /// <summary>Verifies a header-signed SigV2 request; <paramref name="authorization"/> starts with "AWS ".</summary>
    public static AuthResult VerifyHeader(SignedRequest request, SigV4Rules rules, ICredentialStore store, DateTimeOffset now, string authorization)
    {
        var value = authorization.AsSpan().Trim()[4..].Trim();
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || colon == value.Length - 1)
        {
            return AuthResult.Fail(AuthFailure.IncompleteSignature,
                "Authorization header is malformed: Signature Version 2 expects 'AWS AccessKeyId:Signature'.");
        }

        var accessKeyId = value[..colon].ToString();
        var signature = value[(colon + 1)..].ToString();

        // With x-amz-date the Date line of the string to sign is empty; else the Date header is signed.
        DateTimeOffset requestTime;
        string dateLine;
        if (request.GetHeader("X-Amz-Date") is { } amzDate)
        {
            if (!TryParseHttpDate(amzDate, out requestTime) && !SigV4Verifier.TryParseAmzDate(amzDate.AsSpan().Trim(), out requestTime))
            {
                return AuthResult.Fail(AuthFailure.MissingDate, "AWS authentication requires a valid Date or x-amz-date header.") with { AccessKeyId = accessKeyId };
            }

            dateLine = "";
        }
        else if (request.GetHeader("Date") is { } date && TryParseHttpDate(date, out requestTime))
        {
            dateLine = date;
        }
        else
        {
            return AuthResult.Fail(AuthFailure.MissingDate, "AWS authentication requires a valid Date or x-amz-date header.") with { AccessKeyId = accessKeyId };
        }

        if ((now - requestTime).Duration() > rules.MaxClockSkew)
        {
            return AuthResult.Fail(AuthFailure.RequestTimeTooSkewed,
                "The difference between the request time and the current time is too large.") with
            { AccessKeyId = accessKeyId };
        }

        return VerifyCore(request, store, now, accessKeyId, signature, dateLine, request.GetHeader("X-Amz-Security-Token"), presigned: false);
    }

    /// <summary>Verifies a SigV2 presigned URL (<c>AWSAccessKeyId</c>, <c>Expires</c>, <c>Signature</c> in the query).</summary>
    public static AuthResult VerifyPresigned(SignedRequest request, ICredentialStore store, DateTimeOffset now, in PresignedParameters query)
    {
        var (accessKeyId, signature, expires) = (query.SigV2AccessKeyId, query.SigV2Signature, query.SigV2Expires);
        if (accessKeyId is null || signature is null || expires is null)
        {
            return AuthResult.Fail(AuthFailure.MissingSecurityElement,
                "Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters.") with
            { IsPresigned = true, AccessKeyId = accessKeyId };
        }

        if (!long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var expiresAt))
        {
            return AuthResult.Fail(AuthFailure.InvalidExpires, $"Invalid date (should be seconds since epoch): {expires}") with { IsPresigned = true, AccessKeyId = accessKeyId };
        }

        if (now.ToUnixTimeSeconds() > expiresAt)
        {
            return AuthResult.Fail(AuthFailure.RequestExpired, "Request has expired") with { IsPresigned = true, AccessKeyId = accessKeyId };
        }

        var token = query.SigV2SecurityToken ?? request.GetHeader("X-Amz-Security-Token");
        return VerifyCore(request, store, now, accessKeyId, signature, expires, token, presigned: true);
    }

    private static AuthResult VerifyCore(
        SignedRequest request, ICredentialStore store, DateTimeOffset now, string accessKeyId, string signature, string dateLine, string? token, bool presigned)
    {
        if (!store.TryGetCredential(accessKeyId, out var credential))
        {
            return AuthResult.Fail(AuthFailure.InvalidAccessKeyId, "The AWS Access Key Id you provided does not exist in our records.")
                with
            { AccessKeyId = accessKeyId, IsPresigned = presigned };
        }

        if (SigV4Verifier.CheckSessionToken(credential, token, now) is { } tokenFailure)
        {
            return tokenFailure with { AccessKeyId = accessKeyId, Credential = credential, IsPresigned = presigned };
        }

        // A path-style bucket URL ("/bucket") is signed as "/bucket/" by botocore and as sent by others: both are the bucket.
        var stringToSign = StringToSign(request, dateLine, bucketSlash: false);
        var matched = Matches(credential.SecretAccessKey, stringToSign, signature);
        if (!matched && IsBareBucketPath(request.RawPath))
        {
            var withSlash = StringToSign(request, dateLine, bucketSlash: true);
            if (Matches(credential.SecretAccessKey, withSlash, signature))
            {
                (matched, stringToSign) = (true, withSlash);
            }
        }

        var result = new AuthResult
        {
            Outcome = AuthOutcome.Authenticated,
            AccessKeyId = accessKeyId,
            Credential = credential,
            IsPresigned = presigned,
            StringToSign = stringToSign,
            SignatureProvided = signature,
            PayloadMode = PayloadMode.Unsigned,
            IsSigV2 = true,
        };
        return matched ? result : result with { Outcome = AuthOutcome.Failed, Failure = AuthFailure.SignatureDoesNotMatch, Message = MismatchMessage };
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms",
        Justification = "Signature Version 2 is defined as HMAC-SHA1; clients that still sign with it must be verified with it.")]
    internal static bool Matches(string secret, string stringToSign, string signature)
    {
        var computed = HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(stringToSign));
        Span<byte> provided = stackalloc byte[32];
        return Convert.TryFromBase64String(signature.Trim(), provided, out var written)
            && written == computed.Length
            && CryptographicOperations.FixedTimeEquals(computed, provided[..written]);
    }

    private static bool IsBareBucketPath(string rawPath) => rawPath.Length > 1 && rawPath.IndexOf('/', 1) < 0;

    /// <summary>
    /// VERB \n Content-MD5 \n Content-Type \n Date-or-Expires \n CanonicalizedAmzHeaders CanonicalizedResource, as S3 documents it.
    /// </summary>
    internal static string StringToSign(SignedRequest request, string dateLine, bool bucketSlash = false)
    {
        var builder = new StringBuilder(256);
        builder.Append(request.Method).Append('\n');
        builder.Append(request.GetHeader("Content-MD5")?.Trim() ?? "").Append('\n');
        builder.Append(request.GetHeader("Content-Type")?.Trim() ?? "").Append('\n');
        builder.Append(dateLine.Trim()).Append('\n');

        var amz = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (name, value) in request.Headers)
        {
            if (name.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase))
            {
                var lower = name.ToLowerInvariant();
                if (!amz.TryGetValue(lower, out var values))
                {
                    amz[lower] = values = [];
                }

                values.Add(value.Trim());
            }
        }

        foreach (var (name, values) in amz)
        {
            builder.Append(name).Append(':').AppendJoin(',', values).Append('\n');
        }

        // The resource: the bucket of a virtual-hosted request, then the path as sent, then the signed sub-resources.
        if (S3HostStyle.BucketOf(request.GetHeader("Host") ?? "") is { } bucket)
        {
            builder.Append('/').Append(bucket);
        }

        builder.Append(request.RawPath.Length == 0 ? "/" : request.RawPath);
        if (bucketSlash)
        {
            builder.Append('/');
        }

        var subresources = new List<(string Name, string? Value)>();
        foreach (var part in request.RawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? part : part[..eq];
            if (SignedSubresources.Contains(name))
            {
                subresources.Add((name, eq < 0 ? null : Uri.UnescapeDataString(part[(eq + 1)..])));
            }
        }

        if (subresources.Count > 0)
        {
            subresources.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            builder.Append('?');
            for (var i = 0; i < subresources.Count; i++)
            {
                if (i > 0)
                {
                    builder.Append('&');
                }

                builder.Append(subresources[i].Name);
                if (subresources[i].Value is { } v)
                {
                    builder.Append('=').Append(v);
                }
            }
        }

        return builder.ToString();
    }

    /// <summary>An RFC 1123 date, with "GMT" or a numeric zone such as "+0000" (both appear in AWS's own examples).</summary>
    private static bool TryParseHttpDate(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParseExact(text.Trim(), "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value)
        || DateTimeOffset.TryParseExact(text.Trim(), "ddd, dd MMM yyyy HH:mm:ss zzz", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
}
