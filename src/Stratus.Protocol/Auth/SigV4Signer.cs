using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Stratus.Protocol.Auth;

/// <summary>Signs requests with SigV4 (Authorization header or presigned query), for tests, benchmarks and in-process clients.</summary>
public sealed class SigV4Signer
{
    private readonly TimeProvider _time;

    public SigV4Signer(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
    }

    /// <summary>Adds X-Amz-Date (and the token and content hash headers as configured) and the Authorization header; signs every header present.</summary>
    public SigV4Signature Sign(SignedRequest request, SigV4SigningOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        var now = _time.GetUtcNow().UtcDateTime;
        var timestamp = now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var payload = PayloadFor(request, options, presigned: false);

        var headers = new List<KeyValuePair<string, string>>(request.Headers.Count + 4);
        foreach (var header in request.Headers)
        {
            if (!string.Equals(header.Key, "Authorization", StringComparison.OrdinalIgnoreCase)
                && !string.Equals(header.Key, options.UseDateHeader ? "Date" : "X-Amz-Date", StringComparison.OrdinalIgnoreCase))
            {
                headers.Add(header);
            }
        }

        headers.Add(options.UseDateHeader
            ? new("Date", now.ToString("r", CultureInfo.InvariantCulture))
            : new("X-Amz-Date", timestamp));
        if (options.SessionToken is not null && options.SignSessionToken)
        {
            headers.Add(new("X-Amz-Security-Token", options.SessionToken));
        }

        if (options.AddContentSha256Header || options.Rules.RequireContentSha256 || options.ContentSha256 is not null)
        {
            headers.Add(new("x-amz-content-sha256", payload));
        }

        var signedHeaders = SignedHeaderList(headers);
        var draft = new SignedRequest { Method = request.Method, RawPath = request.RawPath, RawQuery = request.RawQuery, Headers = headers, PayloadHash = request.PayloadHash };
        var scope = Scope(now, options);
        var key = SigV4Canonicalizer.DeriveSigningKey(options.SecretAccessKey, scope.AsSpan(0, 8), options.Region, options.Service);
        var signature = ComputeSignature(draft, options.Rules, signedHeaders, payload, presigned: false, timestamp, scope, key);

        if (options.SessionToken is not null && !options.SignSessionToken)
        {
            headers.Add(new("X-Amz-Security-Token", options.SessionToken));
        }

        headers.Add(new("Authorization", $"{SigV4Canonicalizer.Algorithm} Credential={options.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}"));
        return new SigV4Signature(draft, signature, new ChunkSigningContext(key, signature, timestamp, scope));
    }

    /// <summary>Adds the X-Amz-* query parameters of a presigned URL valid for <paramref name="expires"/>.</summary>
    public SigV4Signature Presign(SignedRequest request, SigV4SigningOptions options, TimeSpan expires)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        var now = _time.GetUtcNow().UtcDateTime;
        var timestamp = now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var scope = Scope(now, options);
        var signedHeaders = SignedHeaderList(request.Headers);
        var payload = PayloadFor(request, options, presigned: true);

        var query = new StringBuilder(request.RawQuery);
        void Add(string name, string value)
        {
            if (query.Length > 0)
            {
                query.Append('&');
            }

            query.Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }

        Add("X-Amz-Algorithm", SigV4Canonicalizer.Algorithm);
        Add("X-Amz-Credential", $"{options.AccessKeyId}/{scope}");
        Add("X-Amz-Date", timestamp);
        Add("X-Amz-SignedHeaders", signedHeaders);
        Add("X-Amz-Expires", ((long)expires.TotalSeconds).ToString(CultureInfo.InvariantCulture));
        if (options.ContentSha256 is not null)
        {
            Add("X-Amz-Content-Sha256", options.ContentSha256);
        }

        if (options.SessionToken is not null && options.SignSessionToken)
        {
            Add("X-Amz-Security-Token", options.SessionToken);
        }

        var draft = new SignedRequest { Method = request.Method, RawPath = request.RawPath, RawQuery = query.ToString(), Headers = request.Headers, PayloadHash = request.PayloadHash };
        var key = SigV4Canonicalizer.DeriveSigningKey(options.SecretAccessKey, scope.AsSpan(0, 8), options.Region, options.Service);
        var signature = ComputeSignature(draft, options.Rules, signedHeaders, payload, presigned: true, timestamp, scope, key);

        if (options.SessionToken is not null && !options.SignSessionToken)
        {
            Add("X-Amz-Security-Token", options.SessionToken);
        }

        Add("X-Amz-Signature", signature);
        var signed = new SignedRequest { Method = request.Method, RawPath = request.RawPath, RawQuery = query.ToString(), Headers = request.Headers, PayloadHash = request.PayloadHash };
        return new SigV4Signature(signed, signature, new ChunkSigningContext(key, signature, timestamp, scope));
    }

    private static string PayloadFor(SignedRequest request, SigV4SigningOptions options, bool presigned)
    {
        if (options.ContentSha256 is not null)
        {
            return options.ContentSha256;
        }

        if (presigned && options.Rules.RequireContentSha256)
        {
            return SigV4Canonicalizer.UnsignedPayload;
        }

        return request.PayloadHash ?? SigV4Canonicalizer.EmptyPayloadHash;
    }

    private static string Scope(DateTime now, SigV4SigningOptions options) =>
        $"{now.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}/{options.Region}/{options.Service}/aws4_request";

    private static string SignedHeaderList(IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var header in headers)
        {
            if (!string.Equals(header.Key, "Authorization", StringComparison.OrdinalIgnoreCase))
            {
                names.Add(header.Key.ToLowerInvariant());
            }
        }

        return string.Join(';', names);
    }

    private static string ComputeSignature(SignedRequest request, SigV4Rules rules, string signedHeaders, string payload, bool presigned, string timestamp, string scope, byte[] key)
    {
        var canonical = new CanonicalBuffer(stackalloc byte[1024]);
        var toSign = new CanonicalBuffer(stackalloc byte[256]);
        try
        {
            SigV4Canonicalizer.WriteCanonicalRequest(ref canonical, request, rules, signedHeaders, payload, presigned, QueryVariant.Standard);
            Span<byte> hash = stackalloc byte[32];
            SHA256.HashData(canonical.Written, hash);
            SigV4Canonicalizer.WriteStringToSign(ref toSign, "AWS4-HMAC-SHA256"u8, timestamp, scope, hash);
            Span<byte> signature = stackalloc byte[32];
            HMACSHA256.HashData(key, toSign.Written, signature);
            return Convert.ToHexStringLower(signature);
        }
        finally
        {
            canonical.Dispose();
            toSign.Dispose();
        }
    }
}
