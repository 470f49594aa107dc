using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Stratus.Protocol.Auth;

/// <summary>Verifies AWS Signature Version 4 (Authorization header and presigned query) against a credential store.</summary>
public sealed class SigV4Verifier
{
    internal const string SignatureMismatchMessage =
        "The request signature we calculated does not match the signature you provided. Check your key and signing method.";

    private const string InvalidTokenMessage = "The security token included in the request is invalid.";
    private const int MaxCredentialLength = 512;
    private const int MaxPresignedExpiry = 604800;

    private readonly ICredentialStore _store;
    private readonly TimeProvider _time;
    private readonly SigningKeyCache _keys = new();

    public SigV4Verifier(ICredentialStore store, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _time = time;
    }

    internal int CachedKeyCount => _keys.Count;

    /// <summary>Authenticates a request: anonymous when it carries no SigV4 material, else authenticated or failed with the reason.</summary>
    public AuthResult Verify(SignedRequest request, SigV4Rules rules)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(rules);

        var authorization = request.GetHeader("Authorization");
        if (authorization is not null)
        {
            if (request.RawQuery.Contains("X-Amz-", StringComparison.Ordinal) && PresignedParameters.Parse(request.RawQuery) is { Algorithm: not null } or { Signature: not null })
            {
                return AuthResult.Fail(AuthFailure.MultipleAuthMechanisms,
                    "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified.");
            }

            return VerifyHeader(request, rules, authorization);
        }

        if (request.RawQuery.Length > 0 && (request.RawQuery.Contains("X-Amz-", StringComparison.Ordinal) || request.RawQuery.Contains("AWSAccessKeyId", StringComparison.Ordinal)))
        {
            var query = PresignedParameters.Parse(request.RawQuery);
            if (query.Algorithm is not null || query.Credential is not null)
            {
                // Every answer about a pre-signed request says so, an early failure (a parameter missing) included: S3
                // names those AuthorizationQueryParametersError, not the header-signature code.
                var result = VerifyPresigned(request, rules, query);
                return result.IsPresigned ? result : result with { IsPresigned = true };
            }

            if (query.SigV2AccessKeyId is not null || query.SigV2Signature is not null)
            {
                if (rules.AllowSigV2)
                {
                    return SigV2Verifier.VerifyPresigned(request, _store, _time.GetUtcNow(), query);
                }

                return AuthResult.Fail(AuthFailure.UnsupportedAlgorithm,
                    "Signature Version 2 (AWSAccessKeyId/Signature query parameters) is not supported; sign the request with Signature Version 4 (AWS4-HMAC-SHA256).");
            }
        }

        return AuthResult.Anonymous;
    }

    private AuthResult VerifyHeader(SignedRequest request, SigV4Rules rules, string authorization)
    {
        var value = authorization.AsSpan().Trim();
        if (value.StartsWith("AWS ", StringComparison.Ordinal))
        {
            if (rules.AllowSigV2)
            {
                return SigV2Verifier.VerifyHeader(request, rules, _store, _time.GetUtcNow(), authorization);
            }

            return AuthResult.Fail(AuthFailure.UnsupportedAlgorithm,
                "Signature Version 2 (Authorization: AWS AccessKeyId:Signature) is not supported; sign the request with Signature Version 4 (AWS4-HMAC-SHA256).");
        }

        if (!value.StartsWith(SigV4Canonicalizer.Algorithm, StringComparison.Ordinal)
            || value.Length == SigV4Canonicalizer.Algorithm.Length
            || value[SigV4Canonicalizer.Algorithm.Length] != ' ')
        {
            var end = value.IndexOf(' ');
            var algorithm = end < 0 ? value : value[..end];
            return AuthResult.Fail(AuthFailure.UnsupportedAlgorithm,
                $"The authorization algorithm '{algorithm}' is not supported; only AWS4-HMAC-SHA256 (Signature Version 4) is.");
        }

        ReadOnlySpan<char> credential = default, signedHeaders = default, signature = default;
        bool hasCredential = false, hasSignedHeaders = false, hasSignature = false;
        var rest = value[(SigV4Canonicalizer.Algorithm.Length + 1)..];
        while (rest.Length > 0)
        {
            var comma = rest.IndexOf(',');
            var part = (comma < 0 ? rest : rest[..comma]).Trim();
            rest = comma < 0 ? default : rest[(comma + 1)..];
            if (part.Length == 0)
            {
                continue;
            }

            var eq = part.IndexOf('=');
            if (eq <= 0)
            {
                return AuthResult.Fail(AuthFailure.IncompleteSignature,
                    $"Authorization header is malformed: '{part}' is not a key=value pair.");
            }

            var key = part[..eq].Trim();
            var item = part[(eq + 1)..].Trim();
            if (key is "Credential")
            {
                credential = item;
                hasCredential = true;
            }
            else if (key is "SignedHeaders")
            {
                signedHeaders = item;
                hasSignedHeaders = true;
            }
            else if (key is "Signature")
            {
                signature = item;
                hasSignature = true;
            }
        }

        if (!hasCredential || !hasSignedHeaders || !hasSignature)
        {
            var missing = !hasCredential ? "Credential" : !hasSignedHeaders ? "SignedHeaders" : "Signature";
            return AuthResult.Fail(AuthFailure.IncompleteSignature,
                $"Authorization header requires '{missing}' parameter. Authorization={authorization}");
        }

        string timestamp;
        var amzDate = request.GetHeader("X-Amz-Date");
        DateTimeOffset requestTime;
        if (amzDate is not null)
        {
            var trimmed = amzDate.AsSpan().Trim();
            if (!TryParseAmzDate(trimmed, out requestTime))
            {
                return AuthResult.Fail(AuthFailure.MissingDate, "AWS authentication requires a valid Date or x-amz-date header.");
            }

            timestamp = trimmed.Length == amzDate.Length ? amzDate : trimmed.ToString();
        }
        else
        {
            var date = request.GetHeader("Date");
            if (date is null || !DateTimeOffset.TryParseExact(date.Trim(), "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out requestTime))
            {
                return AuthResult.Fail(AuthFailure.MissingDate, "AWS authentication requires a valid Date or x-amz-date header.");
            }

            timestamp = requestTime.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        }

        var now = _time.GetUtcNow();
        if ((now - requestTime).Duration() > rules.MaxClockSkew)
        {
            return AuthResult.Fail(AuthFailure.RequestTimeTooSkewed,
                "The difference between the request time and the current time is too large.");
        }

        // The signature as a slice of the header string: the result exposes it without copying unless asked.
        authorization.AsSpan().Overlaps(signature, out var signatureOffset);
        return VerifyCore(request, rules, presigned: false, credential, signedHeaders, authorization.AsMemory(signatureOffset, signature.Length), timestamp, now,
            request.GetHeader("X-Amz-Security-Token"), request.GetHeader("X-Amz-Content-Sha256"));
    }

    private AuthResult VerifyPresigned(SignedRequest request, SigV4Rules rules, in PresignedParameters query)
    {
        if (query.Algorithm is null || query.Credential is null || query.SignedHeaders is null || query.Signature is null || query.Date is null || query.Expires is null)
        {
            return AuthResult.Fail(AuthFailure.MissingSecurityElement,
                "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.");
        }

        if (query.Algorithm != SigV4Canonicalizer.Algorithm)
        {
            return AuthResult.Fail(AuthFailure.UnsupportedAlgorithm,
                $"X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"; '{query.Algorithm}' is not supported.");
        }

        if (!TryParseAmzDate(query.Date, out var requestTime))
        {
            return AuthResult.Fail(AuthFailure.MissingDate, "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\".");
        }

        if (!int.TryParse(query.Expires, NumberStyles.None, CultureInfo.InvariantCulture, out var expires) || expires < 1 || expires > MaxPresignedExpiry)
        {
            return AuthResult.Fail(AuthFailure.InvalidExpires,
                expires > MaxPresignedExpiry
                    ? "X-Amz-Expires must be less than a week (in seconds) that is 604800."
                    : "X-Amz-Expires must be a number of seconds between 1 and 604800.");
        }

        var now = _time.GetUtcNow();
        if (requestTime - now > rules.MaxClockSkew)
        {
            return AuthResult.Fail(AuthFailure.RequestExpired, "Request is not valid yet.");
        }

        if (now > requestTime.AddSeconds(expires))
        {
            return AuthResult.Fail(AuthFailure.RequestExpired, "Request has expired.");
        }

        return VerifyCore(request, rules, presigned: true, query.Credential, query.SignedHeaders, query.Signature.AsMemory(), query.Date, now,
            query.SecurityToken, query.ContentSha256);
    }

    private AuthResult VerifyCore(
        SignedRequest request,
        SigV4Rules rules,
        bool presigned,
        ReadOnlySpan<char> credential,
        ReadOnlySpan<char> signedHeaders,
        ReadOnlyMemory<char> signatureText,
        string timestamp,
        DateTimeOffset now,
        string? securityToken,
        string? contentSha256)
    {
        var signature = signatureText.Span;
        if (credential.Length > MaxCredentialLength)
        {
            return AuthResult.Fail(AuthFailure.IncompleteSignature, "The Credential is too long.");
        }

        // Scope and access key: from the cache when this credential string was seen before.
        SigningKeyCache.Entry? entry = null;
        string? accessKeyId;
        CredentialScope? scope;
        if (_keys.TryGet(credential, out var cached))
        {
            entry = cached;
            accessKeyId = cached.AccessKeyId;
            scope = cached.Scope;
        }
        else if (!TryParseCredential(credential, out accessKeyId, out scope, out var error))
        {
            return AuthResult.Fail(AuthFailure.IncompleteSignature, error);
        }

        if (!timestamp.AsSpan().StartsWith(scope.Date, StringComparison.Ordinal))
        {
            return Fail(AuthFailure.IncompleteSignature,
                $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scope.Date}' != '{timestamp[..Math.Min(8, timestamp.Length)]}'.", accessKeyId, scope);
        }

        if (!_store.TryGetCredential(accessKeyId, out var signingCredential))
        {
            return Fail(AuthFailure.InvalidAccessKeyId, "The AWS Access Key Id you provided does not exist in our records.", accessKeyId, scope);
        }

        var tokenFailure = CheckSessionToken(signingCredential, securityToken, now);
        if (tokenFailure is not null)
        {
            return tokenFailure with { AccessKeyId = accessKeyId, Scope = scope };
        }

        if (!ContainsHost(signedHeaders))
        {
            return Fail(AuthFailure.IncompleteSignature, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.", accessKeyId, scope);
        }

        // A signature that is not 64 hex characters cannot match; it is still compared (as zeros) so that the
        // failure carries the canonical request and string to sign like any other mismatch.
        Span<byte> provided = stackalloc byte[32];
        var signatureWellFormed = SigV4Canonicalizer.TryParseSignature(signature, provided);
        if (!signatureWellFormed)
        {
            provided.Clear();
        }

        // What the signature covers for the body.
        PayloadMode mode;
        string payloadHash;
        var bodyNeedsVerification = false;
        if (contentSha256 is not null)
        {
            var declared = contentSha256.Trim();
            if (!TryClassifyContentSha256(declared, out mode))
            {
                return Fail(AuthFailure.InvalidContentSha256,
                    "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.", accessKeyId, scope);
            }

            if (mode is PayloadMode.StreamingSigned or PayloadMode.StreamingSignedTrailer or PayloadMode.StreamingUnsignedTrailer)
            {
                if (presigned || !rules.AllowStreaming)
                {
                    return Fail(AuthFailure.InvalidContentSha256,
                        $"x-amz-content-sha256 '{declared}' (aws-chunked streaming) is not supported for this request.", accessKeyId, scope);
                }

                bodyNeedsVerification = true;
            }
            else if (mode == PayloadMode.SignedHash)
            {
                bodyNeedsVerification = request.PayloadHash is null;
            }

            payloadHash = declared;
        }
        else if (presigned && rules.RequireContentSha256)
        {
            mode = PayloadMode.Unsigned;
            payloadHash = SigV4Canonicalizer.UnsignedPayload;
        }
        else if (rules.RequireContentSha256)
        {
            return Fail(AuthFailure.MissingContentSha256, "Missing required header for this request: x-amz-content-sha256.", accessKeyId, scope);
        }
        else if (request.PayloadHash is not null)
        {
            mode = PayloadMode.SignedHash;
            payloadHash = request.PayloadHash;
        }
        else
        {
            return Fail(AuthFailure.MissingContentSha256,
                "The payload hash is unknown: the request has no x-amz-content-sha256 and its body was not hashed.", accessKeyId, scope);
        }

        entry ??= _keys.Add(credential.ToString(), accessKeyId, scope);
        var signingKey = entry.GetSigningKey(signingCredential.SecretAccessKey);

        var matched = ComputeAndCompare(request, rules, signedHeaders, payloadHash, presigned, QueryVariant.Standard, timestamp, entry.ScopeString, signingKey, provided,
            captureAlways: rules.CaptureCanonicalRequest, out var canonicalRequest, out var stringToSign) && signatureWellFormed;
        var matchedVariant = QueryVariant.Standard;
        if (!matched && signatureWellFormed)
        {
            // Readings AWS also accepts: a token appended after signing (the "sts-header-after" vectors), '+' meaning a space.
            var tokenVariant = presigned && securityToken is not null;
            var plusVariant = request.RawQuery.Contains('+', StringComparison.Ordinal);
            for (var variant = QueryVariant.ExcludeSecurityToken; variant <= (QueryVariant.ExcludeSecurityToken | QueryVariant.PlusAsSpace) && !matched; variant++)
            {
                if ((!tokenVariant && (variant & QueryVariant.ExcludeSecurityToken) != 0) || (!plusVariant && (variant & QueryVariant.PlusAsSpace) != 0))
                {
                    continue;
                }

                matched = ComputeAndCompare(request, rules, signedHeaders, payloadHash, presigned, variant, timestamp, entry.ScopeString, signingKey, provided,
                    captureAlways: rules.CaptureCanonicalRequest, out var variantCanonical, out var variantStringToSign);
                if (matched)
                {
                    (canonicalRequest, stringToSign) = (variantCanonical, variantStringToSign);
                    matchedVariant = variant;
                }
            }
        }

        if (!matched)
        {
            return new AuthResult
            {
                Outcome = AuthOutcome.Failed,
                Failure = AuthFailure.SignatureDoesNotMatch,
                Message = SignatureMismatchMessage,
                AccessKeyId = accessKeyId,
                Credential = signingCredential,
                Scope = scope,
                IsPresigned = presigned,
                CanonicalRequest = canonicalRequest,
                StringToSign = stringToSign,
                SignatureSource = signatureText,
                PayloadMode = mode,
            };
        }

        if (rules.RequireSignedAmzHeaders && FindUnsignedAmzHeaders(request.Headers, signedHeaders) is { } unsigned)
        {
            return Fail(AuthFailure.HeadersNotSigned, "There were headers present in the request which were not signed", accessKeyId, scope, credential: signingCredential) with { HeadersNotSigned = unsigned };
        }

        if (mode == PayloadMode.SignedHash && request.PayloadHash is not null
            && !string.Equals(request.PayloadHash, payloadHash, StringComparison.OrdinalIgnoreCase))
        {
            return Fail(AuthFailure.ContentSha256Mismatch, "The provided 'x-amz-content-sha256' header does not match what was computed.", accessKeyId, scope, credential: signingCredential);
        }

        return new AuthResult
        {
            Outcome = AuthOutcome.Authenticated,
            AccessKeyId = accessKeyId,
            Credential = signingCredential,
            Scope = scope,
            IsPresigned = presigned,
            CanonicalRequest = canonicalRequest,
            StringToSign = stringToSign,
            SignatureSource = signatureText,
            PayloadMode = mode,
            PayloadHash = mode == PayloadMode.SignedHash ? payloadHash : null,
            BodyNeedsVerification = bodyNeedsVerification,
            QueryPlusIsSpace = (matchedVariant & QueryVariant.PlusAsSpace) != 0,
            ChunkSigning = mode is PayloadMode.StreamingSigned or PayloadMode.StreamingSignedTrailer
                ? new ChunkSigningContext(signingKey.Key, signatureText.ToString().ToLowerInvariant(), timestamp, entry.ScopeString)
                : null,
        };
    }

    private static bool ComputeAndCompare(
        SignedRequest request,
        SigV4Rules rules,
        ReadOnlySpan<char> signedHeaders,
        string payloadHash,
        bool presigned,
        QueryVariant variant,
        string timestamp,
        string scope,
        SigningKeyCache.DerivedKey signingKey,
        ReadOnlySpan<byte> provided,
        bool captureAlways,
        out string? canonicalRequest,
        out string? stringToSign)
    {
        var canonical = new CanonicalBuffer(stackalloc byte[1024]);
        var toSign = new CanonicalBuffer(stackalloc byte[256]);
        try
        {
            SigV4Canonicalizer.WriteCanonicalRequest(ref canonical, request, rules, signedHeaders, payloadHash, presigned, variant);
            Span<byte> hash = stackalloc byte[32];
            HmacSha256Pads.HashSha256(canonical.Written, hash);
            SigV4Canonicalizer.WriteStringToSign(ref toSign, "AWS4-HMAC-SHA256"u8, timestamp, scope, hash);
            Span<byte> computed = stackalloc byte[32];
            signingKey.Hmac.Compute(toSign.Written, computed);
            var matched = CryptographicOperations.FixedTimeEquals(computed, provided);
            if (!matched || captureAlways)
            {
                canonicalRequest = canonical.ToUtf8String();
                stringToSign = toSign.ToUtf8String();
            }
            else
            {
                canonicalRequest = null;
                stringToSign = null;
            }

            return matched;
        }
        finally
        {
            canonical.Dispose();
            toSign.Dispose();
        }
    }

    /// <summary>
    /// Verifies the signature of an S3 browser-form upload: the HMAC of its policy text, by the scope's signing key
    /// (version 4) or the secret key (version 2). There is no clock check here: the policy's own expiration bounds it.
    /// </summary>
    public AuthResult VerifyPostForm(PostFormSignature form)
    {
        ArgumentNullException.ThrowIfNull(form);
        var now = _time.GetUtcNow();
        if (form.IsV2)
        {
            if (!_store.TryGetCredential(form.AccessKeyId!, out var v2Credential))
            {
                return Fail(AuthFailure.InvalidAccessKeyId, "The AWS Access Key Id you provided does not exist in our records.", form.AccessKeyId, null);
            }

            var v2Result = CheckSessionToken(v2Credential, form.SecurityToken, now);
            if (v2Result is not null)
            {
                return v2Result with { AccessKeyId = form.AccessKeyId };
            }

            return SigV2Verifier.Matches(v2Credential.SecretAccessKey, form.Policy, form.Signature)
                ? new AuthResult { Outcome = AuthOutcome.Authenticated, AccessKeyId = form.AccessKeyId, Credential = v2Credential, IsSigV2 = true }
                : PostFormMismatch(form, v2Credential, null) with { IsSigV2 = true };
        }

        if (form.Algorithm != SigV4Canonicalizer.Algorithm)
        {
            return AuthResult.Fail(AuthFailure.UnsupportedAlgorithm, $"X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"; '{form.Algorithm}' is not supported.");
        }

        if (form.Date is null || !TryParseAmzDate(form.Date, out _))
        {
            return AuthResult.Fail(AuthFailure.MissingDate, "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\".");
        }

        var credentialText = form.Credential ?? "";
        if (credentialText.Length > MaxCredentialLength)
        {
            return AuthResult.Fail(AuthFailure.IncompleteSignature, "The Credential is too long.");
        }

        if (!TryParseCredential(credentialText, out var accessKeyId, out var scope, out var error))
        {
            return AuthResult.Fail(AuthFailure.IncompleteSignature, error);
        }

        if (!form.Date.StartsWith(scope.Date, StringComparison.Ordinal) || scope.Service != "s3")
        {
            return Fail(AuthFailure.IncompleteSignature, $"Invalid credential scope '{scope}': it must name the day of x-amz-date and the service s3.", accessKeyId, scope);
        }

        if (!_store.TryGetCredential(accessKeyId, out var credential))
        {
            return Fail(AuthFailure.InvalidAccessKeyId, "The AWS Access Key Id you provided does not exist in our records.", accessKeyId, scope);
        }

        if (CheckSessionToken(credential, form.SecurityToken, now) is { } tokenFailure)
        {
            return tokenFailure with { AccessKeyId = accessKeyId, Scope = scope };
        }

        Span<byte> provided = stackalloc byte[32];
        if (!SigV4Canonicalizer.TryParseSignature(form.Signature, provided))
        {
            return PostFormMismatch(form, credential, scope);
        }

        var entry = _keys.TryGet(credentialText, out var cached) ? cached : _keys.Add(credentialText, accessKeyId, scope);
        Span<byte> computed = stackalloc byte[32];
        entry.GetSigningKey(credential.SecretAccessKey).Hmac.Compute(Encoding.UTF8.GetBytes(form.Policy), computed);
        return CryptographicOperations.FixedTimeEquals(computed, provided)
            ? new AuthResult { Outcome = AuthOutcome.Authenticated, AccessKeyId = accessKeyId, Credential = credential, Scope = scope }
            : PostFormMismatch(form, credential, scope);
    }

    // A form's string to sign is its policy, as S3 reports it.
    private static AuthResult PostFormMismatch(PostFormSignature form, SigningCredential credential, CredentialScope? scope) => new()
    {
        Outcome = AuthOutcome.Failed,
        Failure = AuthFailure.SignatureDoesNotMatch,
        Message = SignatureMismatchMessage,
        AccessKeyId = credential.AccessKeyId,
        Credential = credential,
        Scope = scope,
        StringToSign = form.Policy,
        SignatureSource = form.Signature.AsMemory(),
    };

    private static AuthResult Fail(AuthFailure failure, string message, string? accessKeyId, CredentialScope? scope, SigningCredential? credential = null) =>
        new() { Outcome = AuthOutcome.Failed, Failure = failure, Message = message, AccessKeyId = accessKeyId, Scope = scope, Credential = credential };

    internal static AuthResult? CheckSessionToken(SigningCredential credential, string? token, DateTimeOffset now)
    {
        if (credential.SessionToken is null)
        {
            if (token is not null)
            {
                return AuthResult.Fail(AuthFailure.InvalidToken, InvalidTokenMessage);
            }
        }
        else if (token is null)
        {
            return AuthResult.Fail(AuthFailure.InvalidToken,
                "The request was signed with a temporary access key but carries no X-Amz-Security-Token.");
        }
        else
        {
            var presented = token.AsSpan().Trim();
            if (presented.Length != credential.SessionToken.Length
                || !CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(presented), MemoryMarshal.AsBytes(credential.SessionToken.AsSpan())))
            {
                return AuthResult.Fail(AuthFailure.InvalidToken, InvalidTokenMessage);
            }
        }

        // Any credential the store gives an expiry to (temporary ones always have one) stops working at it.
        if (credential.Expiration is { } expiration && expiration <= now)
        {
            return AuthResult.Fail(AuthFailure.ExpiredToken, "The provided token has expired.");
        }

        return null;
    }

    private static string? FindUnsignedAmzHeaders(IReadOnlyList<KeyValuePair<string, string>> headers, ReadOnlySpan<char> signedHeaders)
    {
        List<string>? unsigned = null;
        for (var i = 0; i < headers.Count; i++)
        {
            var name = headers[i].Key;
            if (!name.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase)
                || name.Equals("x-amz-content-sha256", StringComparison.OrdinalIgnoreCase)
                || IsSigned(signedHeaders, name))
            {
                continue;
            }

            unsigned ??= [];
            var lower = name.ToLowerInvariant();
            if (!unsigned.Contains(lower))
            {
                unsigned.Add(lower);
            }
        }

        return unsigned is null ? null : string.Join(", ", unsigned);
    }

    private static bool IsSigned(ReadOnlySpan<char> signedHeaders, string name)
    {
        while (signedHeaders.Length > 0)
        {
            var semi = signedHeaders.IndexOf(';');
            var signed = semi < 0 ? signedHeaders : signedHeaders[..semi];
            if (signed.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            signedHeaders = semi < 0 ? default : signedHeaders[(semi + 1)..];
        }

        return false;
    }

    private static bool ContainsHost(ReadOnlySpan<char> signedHeaders)
    {
        while (signedHeaders.Length > 0)
        {
            var semi = signedHeaders.IndexOf(';');
            var name = semi < 0 ? signedHeaders : signedHeaders[..semi];
            if (name is "host" || name is ":authority")
            {
                return true;
            }

            signedHeaders = semi < 0 ? default : signedHeaders[(semi + 1)..];
        }

        return false;
    }

    private static bool TryClassifyContentSha256(string value, out PayloadMode mode)
    {
        switch (value)
        {
            case SigV4Canonicalizer.UnsignedPayload:
                mode = PayloadMode.Unsigned;
                return true;
            case SigV4Canonicalizer.StreamingSigned:
                mode = PayloadMode.StreamingSigned;
                return true;
            case SigV4Canonicalizer.StreamingSignedTrailer:
                mode = PayloadMode.StreamingSignedTrailer;
                return true;
            case SigV4Canonicalizer.StreamingUnsignedTrailer:
                mode = PayloadMode.StreamingUnsignedTrailer;
                return true;
        }

        mode = PayloadMode.SignedHash;
        if (value.Length != 64)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Parses <c>AKID/yyyyMMdd/region/service/aws4_request</c>.</summary>
    internal static bool TryParseCredential(ReadOnlySpan<char> credential, out string accessKeyId, out CredentialScope scope, out string error)
    {
        accessKeyId = "";
        scope = null!;
        error = "";
        Span<Range> parts = stackalloc Range[6];
        var count = credential.Split(parts, '/');
        if (count != 5)
        {
            error = $"Error parsing the Credential: '{credential}' is not of the form <access key>/<yyyyMMdd>/<region>/<service>/aws4_request.";
            return false;
        }

        var key = credential[parts[0]];
        var date = credential[parts[1]];
        var region = credential[parts[2]];
        var service = credential[parts[3]];
        var terminator = credential[parts[4]];
        if (key.Length == 0)
        {
            error = "Error parsing the Credential: the access key id is empty.";
            return false;
        }

        if (date.Length != 8 || !IsAllDigits(date))
        {
            error = $"Error parsing the Credential: invalid date '{date}'; it must be in yyyyMMdd format.";
            return false;
        }

        if (region.Length == 0 || service.Length == 0)
        {
            error = "Error parsing the Credential: the region and service must not be empty.";
            return false;
        }

        if (terminator is not "aws4_request")
        {
            error = $"Error parsing the Credential: the terminator is '{terminator}' but must be 'aws4_request'.";
            return false;
        }

        accessKeyId = key.ToString();
        scope = new CredentialScope(date.ToString(), region.ToString(), service.ToString());
        return true;
    }

    private static bool IsAllDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Parses the ISO 8601 basic form <c>yyyyMMddTHHmmssZ</c>.</summary>
    internal static bool TryParseAmzDate(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length != 16 || text[8] != 'T' || text[15] != 'Z' || !IsAllDigits(text[..8]) || !IsAllDigits(text[9..15]))
        {
            return false;
        }

        var year = int.Parse(text[..4], NumberStyles.None, CultureInfo.InvariantCulture);
        var month = int.Parse(text[4..6], NumberStyles.None, CultureInfo.InvariantCulture);
        var day = int.Parse(text[6..8], NumberStyles.None, CultureInfo.InvariantCulture);
        var hour = int.Parse(text[9..11], NumberStyles.None, CultureInfo.InvariantCulture);
        var minute = int.Parse(text[11..13], NumberStyles.None, CultureInfo.InvariantCulture);
        var second = int.Parse(text[13..15], NumberStyles.None, CultureInfo.InvariantCulture);
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        value = new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero);
        return true;
    }
}
