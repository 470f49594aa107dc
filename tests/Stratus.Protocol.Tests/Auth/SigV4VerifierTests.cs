using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Stratus.Protocol.Auth;

namespace Stratus.Protocol.Tests.Auth;

public sealed class SigV4VerifierTests
{
    private const string AccessKey = "AKIDSTRATUSTEST";
    private const string Secret = "secret/key+with/characters";
    private const string TempKey = "ASIASTRATUSTEMP";
    private const string TempSecret = "temporary-secret";
    private const string Token = "session-token/with+base64==";
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(Now);
    private readonly FakeCredentialStore _store = new(
        FakeCredentialStore.Credential(AccessKey, Secret),
        FakeCredentialStore.Credential(TempKey, TempSecret, Token, Now.AddHours(1)));

    private SigV4Verifier Verifier => new(_store, _clock);

    private static SigV4SigningOptions Options(SigV4Rules? rules = null, string accessKey = AccessKey, string secret = Secret, string? token = null, string service = "dynamodb", string? contentSha256 = null) => new()
    {
        AccessKeyId = accessKey,
        SecretAccessKey = secret,
        SessionToken = token,
        Region = "us-east-1",
        Service = service,
        Rules = rules ?? SigV4Rules.Default,
        ContentSha256 = contentSha256,
    };

    private static SignedRequest JsonRequest(string body = "{\"TableName\":\"t\"}") => new()
    {
        Method = "POST",
        RawPath = "/",
        Headers =
        [
            new("Host", "localhost:4566"),
            new("Content-Type", "application/x-amz-json-1.0"),
            new("X-Amz-Target", "DynamoDB_20120810.GetItem"),
        ],
        PayloadHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body))),
    };

    private static SignedRequest S3Request(string path = "/bucket/key", string? payloadHash = null) => new()
    {
        Method = "PUT",
        RawPath = path,
        Headers = [new("Host", "localhost:4566")],
        PayloadHash = payloadHash,
    };

    private static SignedRequest SignedAt(DateTimeOffset at, SignedRequest request, SigV4SigningOptions options) =>
        new SigV4Signer(new FakeTimeProvider(at)).Sign(request, options).Request;

    private static SignedRequest ReplaceHeader(SignedRequest request, string name, string? value)
    {
        var headers = request.Headers.Where(h => !string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (value is not null)
        {
            headers.Add(new(name, value));
        }

        return new SignedRequest { Method = request.Method, RawPath = request.RawPath, RawQuery = request.RawQuery, Headers = headers, PayloadHash = request.PayloadHash };
    }

    [Fact]
    public void A_request_without_any_signature_is_anonymous()
    {
        var result = Verifier.Verify(JsonRequest(), SigV4Rules.Default);
        Assert.Equal(AuthOutcome.Anonymous, result.Outcome);
        Assert.True(result.Identity.IsAnonymous);
    }

    [Fact]
    public void A_query_without_authentication_parameters_is_anonymous()
    {
        var request = new SignedRequest { Method = "GET", RawPath = "/bucket", RawQuery = "list-type=2&prefix=X-Amz-", Headers = [new("Host", "h")] };
        Assert.Equal(AuthOutcome.Anonymous, Verifier.Verify(request, SigV4Rules.S3).Outcome);
    }

    [Fact]
    public void A_header_signed_json_request_authenticates_as_its_owner()
    {
        var result = Verifier.Verify(SignedAt(Now, JsonRequest(), Options()), SigV4Rules.Default);
        Assert.Equal(AuthOutcome.Authenticated, result.Outcome);
        Assert.Equal(AuthFailure.None, result.Failure);
        Assert.Equal(AccessKey, result.Identity.UserId);
        Assert.Equal(new CredentialScope("20260301", "us-east-1", "dynamodb"), result.Scope);
        Assert.Equal(PayloadMode.SignedHash, result.PayloadMode);
        Assert.False(result.BodyNeedsVerification);
        Assert.Null(result.CanonicalRequest);
    }

    [Fact]
    public void Authorization_without_spaces_after_commas_is_accepted()
    {
        var signed = SignedAt(Now, JsonRequest(), Options());
        var compact = signed.GetHeader("Authorization")!.Replace(", ", ",", StringComparison.Ordinal);
        Assert.Equal(AuthOutcome.Authenticated, Verifier.Verify(ReplaceHeader(signed, "Authorization", compact), SigV4Rules.Default).Outcome);
    }

    [Theory]
    [InlineData(14, AuthOutcome.Authenticated)]
    [InlineData(-14, AuthOutcome.Authenticated)]
    [InlineData(16, AuthOutcome.Failed)]
    [InlineData(-16, AuthOutcome.Failed)]
    public void Header_auth_allows_fifteen_minutes_of_skew(int minutes, AuthOutcome expected)
    {
        var result = Verifier.Verify(SignedAt(Now.AddMinutes(minutes), JsonRequest(), Options()), SigV4Rules.Default);
        Assert.Equal(expected, result.Outcome);
        if (expected == AuthOutcome.Failed)
        {
            Assert.Equal(AuthFailure.RequestTimeTooSkewed, result.Failure);
            Assert.Equal("The difference between the request time and the current time is too large.", result.Message);
        }
    }

    [Fact]
    public void A_signature_mismatch_reports_the_canonical_request_and_string_to_sign()
    {
        var signed = SignedAt(Now, JsonRequest(), Options(secret: "wrong secret"));
        var result = Verifier.Verify(signed, SigV4Rules.Default);
        Assert.Equal(AuthFailure.SignatureDoesNotMatch, result.Failure);
        Assert.Equal("The request signature we calculated does not match the signature you provided. Check your key and signing method.", result.Message);
        Assert.StartsWith("POST\n/\n\ncontent-type:application/x-amz-json-1.0\nhost:localhost:4566\n", result.CanonicalRequest, StringComparison.Ordinal);
        Assert.StartsWith("AWS4-HMAC-SHA256\n", result.StringToSign, StringComparison.Ordinal);
        Assert.Equal(64, result.SignatureProvided!.Length);
    }

    [Fact]
    public void The_date_header_is_used_when_x_amz_date_is_absent()
    {
        var options = new SigV4SigningOptions
        {
            AccessKeyId = AccessKey,
            SecretAccessKey = Secret,
            Region = "us-east-1",
            Service = "dynamodb",
            UseDateHeader = true,
        };
        var signed = SignedAt(Now, JsonRequest(), options);
        Assert.Null(signed.GetHeader("X-Amz-Date"));
        Assert.Equal("Sun, 01 Mar 2026 12:00:00 GMT", signed.GetHeader("Date"));
        Assert.Equal(AuthOutcome.Authenticated, Verifier.Verify(signed, SigV4Rules.Default).Outcome);

        var late = new SigV4Verifier(_store, new FakeTimeProvider(Now.AddMinutes(16)));
        Assert.Equal(AuthFailure.RequestTimeTooSkewed, late.Verify(signed, SigV4Rules.Default).Failure);
    }

    [Fact]
    public void An_authorization_header_together_with_presigned_parameters_is_refused()
    {
        var presigned = new SigV4Signer(new FakeTimeProvider(Now)).Presign(S3Request(), Options(SigV4Rules.S3, service: "s3"), TimeSpan.FromSeconds(60)).Request;
        var both = SignedAt(Now, presigned, Options(SigV4Rules.S3, service: "s3", contentSha256: "UNSIGNED-PAYLOAD"));
        Assert.Equal(AuthFailure.MultipleAuthMechanisms, Verifier.Verify(both, SigV4Rules.S3).Failure);
    }

    [Fact]
    public void A_plus_in_the_query_verifies_as_a_literal_plus_or_as_a_space()
    {
        var request = new SignedRequest
        {
            Method = "GET",
            RawPath = "/bucket/key",
            RawQuery = "response-content-disposition=attachment%3B%20filename%3D%22a%20b.txt%22&tag=c%2B%2B",
            Headers = [new("Host", "h")],
        };
        var presigned = new SigV4Signer(new FakeTimeProvider(Now)).Presign(request, Options(SigV4Rules.S3, service: "s3"), TimeSpan.FromSeconds(60)).Request;

        // A client that re-serialised the URL with form encoding: spaces became '+', literal pluses stayed %2B.
        var formEncoded = new SignedRequest
        {
            Method = presigned.Method,
            RawPath = presigned.RawPath,
            RawQuery = presigned.RawQuery.Replace("%20", "+", StringComparison.Ordinal),
            Headers = presigned.Headers,
        };
        Assert.Contains('+', formEncoded.RawQuery);
        var formResult = Verifier.Verify(formEncoded, SigV4Rules.S3);
        Assert.Equal(AuthOutcome.Authenticated, formResult.Outcome);
        Assert.True(formResult.QueryPlusIsSpace);

        // A client that sent a literal '+' and signed it as %2B.
        var literal = new SignedRequest { Method = "GET", RawPath = "/bucket/key", RawQuery = "tag=c++", Headers = [new("Host", "h")] };
        var rules = SigV4Rules.S3 with { CaptureCanonicalRequest = true };
        var signedLiteral = new SigV4Signer(new FakeTimeProvider(Now)).Presign(literal, Options(rules, service: "s3"), TimeSpan.FromSeconds(60)).Request;
        var result = Verifier.Verify(signedLiteral, rules);
        Assert.Equal(AuthOutcome.Authenticated, result.Outcome);
        Assert.False(result.QueryPlusIsSpace);
        Assert.Contains("&tag=c%2B%2B", result.CanonicalRequest, StringComparison.Ordinal);
    }

    [Fact]
    public void S3_refuses_x_amz_headers_that_the_signature_does_not_cover()
    {
        var signed = SignedAt(Now, S3Request(), Options(SigV4Rules.S3, service: "s3", contentSha256: "UNSIGNED-PAYLOAD"));
        var withAcl = ReplaceHeader(ReplaceHeader(signed, "x-amz-acl", "public-read"), "X-Amz-Meta-Owner", "mallory");
        var result = Verifier.Verify(withAcl, SigV4Rules.S3);
        Assert.Equal(AuthFailure.HeadersNotSigned, result.Failure);
        Assert.Equal("x-amz-acl, x-amz-meta-owner", result.HeadersNotSigned);
        Assert.Equal("There were headers present in the request which were not signed", result.Message);

        // Other services (and the SigV4 suite's "sts-header-after" case) tolerate them.
        var json = ReplaceHeader(SignedAt(Now, JsonRequest(), Options()), "x-amz-acl", "public-read");
        Assert.Equal(AuthOutcome.Authenticated, Verifier.Verify(json, SigV4Rules.Default).Outcome);
    }

    [Fact]
    public void S3_tolerates_an_unsigned_x_amz_content_sha256_on_a_presigned_url()
    {
        var presigned = new SigV4Signer(new FakeTimeProvider(Now)).Presign(S3Request(), Options(SigV4Rules.S3, service: "s3"), TimeSpan.FromSeconds(60)).Request;
        var withHeader = ReplaceHeader(presigned, "x-amz-content-sha256", "UNSIGNED-PAYLOAD");
        Assert.Equal(AuthOutcome.Authenticated, Verifier.Verify(withHeader, SigV4Rules.S3).Outcome);
        Assert.Equal(AuthFailure.HeadersNotSigned, Verifier.Verify(ReplaceHeader(presigned, "x-amz-acl", "private"), SigV4Rules.S3).Failure);
    }

    [Fact]
    public void A_query_with_many_parameters_is_signed_whole()
    {
        var query = string.Join('&', Enumerable.Range(0, 300).Select(i => $"p{299 - i}=v{i}"));
        var request = new SignedRequest { Method = "GET", RawPath = "/", RawQuery = query, Headers = [new("Host", "h")], PayloadHash = Convert.ToHexStringLower(SHA256.HashData([])) };
        var signed = SignedAt(Now, request, Options());
        Assert.Equal(AuthOutcome.Authenticated, Verifier.Verify(signed, SigV4Rules.Default).Outcome);
        var extended = new SignedRequest { Method = "GET", RawPath = "/", RawQuery = query + "&p999=x", Headers = signed.Headers, PayloadHash = request.PayloadHash };
        Assert.Equal(AuthFailure.SignatureDoesNotMatch, Verifier.Verify(extended, SigV4Rules.Default).Failure);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Requests_larger_than_the_stack_buffers_still_verify(bool s3)
    {
        var rules = (s3 ? SigV4Rules.S3 : SigV4Rules.Default) with { CaptureCanonicalRequest = true };
        var path = "/" + string.Join('/', Enumerable.Range(0, 200).Select(i => $"seg{i}ሴ%20x/../y"));
        var request = new SignedRequest
        {
            Method = "PUT",
            RawPath = path,
            RawQuery = string.Join('&', Enumerable.Range(0, 100).Select(i => $"k{i}={new string('v', 40)}%2F")),
            Headers = [new("Host", "h"), new("X-Big", new string('b', 5000)), new("X-Amz-Meta-Big", new string('m', 3000))],
            PayloadHash = Convert.ToHexStringLower(SHA256.HashData([])),
        };
        var signed = SignedAt(Now, request, Options(rules, service: s3 ? "s3" : "sqs", contentSha256: s3 ? "UNSIGNED-PAYLOAD" : null));
        var result = Verifier.Verify(signed, rules);
        Assert.Equal(AuthOutcome.Authenticated, result.Outcome);
        Assert.True(result.CanonicalRequest!.Length > 10_000);
    }

    [Fact]
    public void A_path_without_a_leading_slash_is_normalised_with_one()
    {
        var rules = SigV4Rules.Default with { CaptureCanonicalRequest = true };
        var request = new SignedRequest { Method = "GET", RawPath = "a", Headers = [new("Host", "h")], PayloadHash = Convert.ToHexStringLower(SHA256.HashData([])) };
        var result = Verifier.Verify(SignedAt(Now, request, Options(rules)), rules);
        Assert.Equal(AuthOutcome.Authenticated, result.Outcome);
        Assert.Equal("/a", result.CanonicalRequest!.Split('\n')[1]);
    }

    [Fact]
    public void S3_keeps_existing_path_escapes_exactly_as_sent()
    {
        var rules = SigV4Rules.S3 with { CaptureCanonicalRequest = true };
        var request = S3Request("/bucket/dir%2fname(1)%7E", Convert.ToHexStringLower(SHA256.HashData([])));
        var result = Verifier.Verify(SignedAt(Now, request, Options(rules, service: "s3")), rules);
        Assert.Equal(AuthOutcome.Authenticated, result.Outcome);
        Assert.Equal("/bucket/dir%2fname%281%29%7E", result.CanonicalRequest!.Split('\n')[1]);
    }

    [Fact]
    public void A_request_with_no_date_at_all_fails_with_missing_date()
    {
        var signed = ReplaceHeader(SignedAt(Now, JsonRequest(), Options()), "X-Amz-Date", null);
        Assert.Equal(AuthFailure.MissingDate, Verifier.Verify(signed, SigV4Rules.Default).Failure);
    }

    [Fact]
    public void An_unknown_access_key_fails_as_invalid_access_key_id()
    {
        var result = Verifier.Verify(SignedAt(Now, JsonRequest(), Options(accessKey: "AKIDUNKNOWN")), SigV4Rules.Default);
        Assert.Equal(AuthFailure.InvalidAccessKeyId, result.Failure);
        Assert.Equal("AKIDUNKNOWN", result.AccessKeyId);
    }

    [Theory]
    [InlineData("AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date, Signature=abc", AuthFailure.IncompleteSignature)]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIDSTRATUSTEST/20260301/us-east-1/dynamodb/aws4_request, Signature=abc", AuthFailure.IncompleteSignature)]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIDSTRATUSTEST/20260301/us-east-1/dynamodb/aws4_request, SignedHeaders=host", AuthFailure.IncompleteSignature)]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIDSTRATUSTEST/20260301/us-east-1/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc", AuthFailure.IncompleteSignature)]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIDSTRATUSTEST/2026031/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc", AuthFailure.IncompleteSignature)]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIDSTRATUSTEST/20260301/us-east-1/dynamodb/aws5_request, SignedHeaders=host;x-amz-date, Signature=abc", AuthFailure.IncompleteSignature)]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIDSTRATUSTEST/20260302/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc", AuthFailure.IncompleteSignature)]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIDSTRATUSTEST/20260301/us-east-1/dynamodb/aws4_request, SignedHeaders=x-amz-date, Signature=abc", AuthFailure.IncompleteSignature)]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIDSTRATUSTEST/20260301/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=not-hex", AuthFailure.SignatureDoesNotMatch)]
    [InlineData("AWS4-HMAC-SHA256 garbage", AuthFailure.IncompleteSignature)]
    [InlineData("AWS4-ECDSA-P256-SHA256 Credential=AKIDSTRATUSTEST/20260301/dynamodb/aws4_request, SignedHeaders=host, Signature=00", AuthFailure.UnsupportedAlgorithm)]
    [InlineData("Bearer abc", AuthFailure.UnsupportedAlgorithm)]
    public void A_malformed_authorization_header_fails_clearly(string authorization, AuthFailure expected)
    {
        var request = ReplaceHeader(ReplaceHeader(JsonRequest(), "X-Amz-Date", "20260301T120000Z"), "Authorization", authorization);
        var result = Verifier.Verify(request, SigV4Rules.Default);
        Assert.Equal(AuthOutcome.Failed, result.Outcome);
        Assert.Equal(expected, result.Failure);
        Assert.NotEmpty(result.Message);
    }

    [Fact]
    public void Signature_version_2_is_refused_outside_S3_with_a_pointer_to_SigV4()
    {
        var request = ReplaceHeader(JsonRequest(), "Authorization", "AWS AKIDSTRATUSTEST:frJIUN8DYpKDtOLCwo//yllqDzg=");
        var result = Verifier.Verify(request, SigV4Rules.Default);
        Assert.Equal(AuthFailure.UnsupportedAlgorithm, result.Failure);
        Assert.Contains("Signature Version 4", result.Message, StringComparison.Ordinal);

        var presigned = new SignedRequest
        {
            Method = "GET",
            RawPath = "/",
            RawQuery = "AWSAccessKeyId=AKIDSTRATUSTEST&Expires=1141889120&Signature=vjbyPxybdZaNmGa%2ByT272YEAiv4%3D",
            Headers = [new("Host", "h")],
        };
        Assert.Equal(AuthFailure.UnsupportedAlgorithm, Verifier.Verify(presigned, SigV4Rules.Default).Failure);
    }

    [Fact]
    public void A_temporary_credential_with_its_session_token_authenticates()
    {
        var signed = SignedAt(Now, JsonRequest(), Options(accessKey: TempKey, secret: TempSecret, token: Token));
        Assert.Equal(AuthOutcome.Authenticated, Verifier.Verify(signed, SigV4Rules.Default).Outcome);
    }

    [Fact]
    public void A_temporary_credential_without_its_session_token_fails_as_invalid_token()
    {
        var signed = SignedAt(Now, JsonRequest(), Options(accessKey: TempKey, secret: TempSecret));
        Assert.Equal(AuthFailure.InvalidToken, Verifier.Verify(signed, SigV4Rules.Default).Failure);
    }

    [Fact]
    public void A_temporary_credential_with_another_session_token_fails_as_invalid_token()
    {
        var signed = SignedAt(Now, JsonRequest(), Options(accessKey: TempKey, secret: TempSecret, token: Token + "x"));
        Assert.Equal(AuthFailure.InvalidToken, Verifier.Verify(signed, SigV4Rules.Default).Failure);
    }

    [Fact]
    public void A_session_token_with_a_long_term_key_fails_as_invalid_token()
    {
        var signed = SignedAt(Now, JsonRequest(), Options(token: Token));
        var result = Verifier.Verify(signed, SigV4Rules.Default);
        Assert.Equal(AuthFailure.InvalidToken, result.Failure);
        Assert.Equal("The security token included in the request is invalid.", result.Message);
    }

    [Fact]
    public void An_expired_temporary_credential_fails_as_expired_token()
    {
        _clock.Advance(TimeSpan.FromHours(1));
        var signed = SignedAt(_clock.GetUtcNow(), JsonRequest(), Options(accessKey: TempKey, secret: TempSecret, token: Token));
        var result = Verifier.Verify(signed, SigV4Rules.Default);
        Assert.Equal(AuthFailure.ExpiredToken, result.Failure);
        Assert.Equal("The provided token has expired.", result.Message);
    }

    [Fact]
    public void A_credential_past_its_expiration_fails_even_without_a_session_token()
    {
        _store.Add(FakeCredentialStore.Credential("AKIDEXPIRING", "s", expiration: Now.AddMinutes(-1)));
        var signed = SignedAt(Now, JsonRequest(), Options(accessKey: "AKIDEXPIRING", secret: "s"));
        Assert.Equal(AuthFailure.ExpiredToken, Verifier.Verify(signed, SigV4Rules.Default).Failure);
    }

    [Fact]
    public void S3_header_auth_requires_x_amz_content_sha256()
    {
        var signed = SignedAt(Now, S3Request(), Options(SigV4Rules.Default, service: "s3"));
        var result = Verifier.Verify(signed, SigV4Rules.S3);
        Assert.Equal(AuthFailure.MissingContentSha256, result.Failure);
    }

    [Fact]
    public void Without_x_amz_content_sha256_or_a_buffered_body_the_request_fails_clearly()
    {
        var signed = SignedAt(Now, S3Request(payloadHash: null), Options());
        var result = Verifier.Verify(signed, SigV4Rules.Default);
        Assert.Equal(AuthFailure.MissingContentSha256, result.Failure);
    }

    [Fact]
    public void An_invalid_x_amz_content_sha256_fails_as_invalid_content_sha256()
    {
        var signed = SignedAt(Now, S3Request(), Options(SigV4Rules.S3, service: "s3", contentSha256: "not-a-hash"));
        Assert.Equal(AuthFailure.InvalidContentSha256, Verifier.Verify(signed, SigV4Rules.S3).Failure);
    }

    [Fact]
    public void A_declared_body_hash_that_differs_from_the_buffered_body_fails_as_content_sha256_mismatch()
    {
        var declared = Convert.ToHexStringLower(SHA256.HashData("declared"u8));
        var actual = Convert.ToHexStringLower(SHA256.HashData("actual"u8));
        var signed = SignedAt(Now, S3Request(payloadHash: actual), Options(SigV4Rules.S3, service: "s3", contentSha256: declared));
        Assert.Equal(AuthFailure.ContentSha256Mismatch, Verifier.Verify(signed, SigV4Rules.S3).Failure);
    }

    [Fact]
    public void An_unbuffered_S3_body_is_authenticated_with_the_declared_hash_left_to_verify()
    {
        var declared = Convert.ToHexStringLower(SHA256.HashData("body"u8));
        var signed = SignedAt(Now, S3Request(), Options(SigV4Rules.S3, service: "s3", contentSha256: declared));
        var result = Verifier.Verify(signed, SigV4Rules.S3);
        Assert.Equal(AuthOutcome.Authenticated, result.Outcome);
        Assert.Equal(PayloadMode.SignedHash, result.PayloadMode);
        Assert.True(result.BodyNeedsVerification);
        Assert.Equal(declared, result.PayloadHash);
    }

    [Theory]
    [InlineData("UNSIGNED-PAYLOAD", PayloadMode.Unsigned)]
    [InlineData("STREAMING-AWS4-HMAC-SHA256-PAYLOAD", PayloadMode.StreamingSigned)]
    [InlineData("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", PayloadMode.StreamingSignedTrailer)]
    [InlineData("STREAMING-UNSIGNED-PAYLOAD-TRAILER", PayloadMode.StreamingUnsignedTrailer)]
    public void S3_payload_modes_are_recognised(string contentSha256, PayloadMode mode)
    {
        var signing = new SigV4Signer(new FakeTimeProvider(Now)).Sign(S3Request(), Options(SigV4Rules.S3, service: "s3", contentSha256: contentSha256));
        var result = Verifier.Verify(signing.Request, SigV4Rules.S3);
        Assert.Equal(AuthOutcome.Authenticated, result.Outcome);
        Assert.Equal(mode, result.PayloadMode);
        if (mode is PayloadMode.StreamingSigned or PayloadMode.StreamingSignedTrailer)
        {
            Assert.NotNull(result.ChunkSigning);
            Assert.Equal(signing.Signature, result.ChunkSigning.SeedSignature);
            Assert.Equal("20260301T120000Z", result.ChunkSigning.Timestamp);
            Assert.Equal("20260301/us-east-1/s3/aws4_request", result.ChunkSigning.Scope);
            Assert.Equal(signing.ChunkSigning.SigningKey.ToArray(), result.ChunkSigning.SigningKey.ToArray());
        }
    }

    [Fact]
    public void Streaming_payloads_are_refused_where_the_rules_do_not_allow_them()
    {
        var signed = SignedAt(Now, JsonRequest(), Options(contentSha256: "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"));
        Assert.Equal(AuthFailure.InvalidContentSha256, Verifier.Verify(signed, SigV4Rules.Default).Failure);
    }

    [Fact]
    public void A_signed_chunked_upload_verifies_end_to_end()
    {
        var data = RandomNumberGenerator.GetBytes(70_000);
        var request = new SignedRequest
        {
            Method = "PUT",
            RawPath = "/bucket/big",
            Headers = [new("Host", "localhost:4566"), new("x-amz-decoded-content-length", "70000"), new("x-amz-trailer", "x-amz-checksum-crc32c")],
        };
        var signing = new SigV4Signer(new FakeTimeProvider(Now)).Sign(request, Options(SigV4Rules.S3, service: "s3", contentSha256: "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"));
        var auth = Verifier.Verify(signing.Request, SigV4Rules.S3);
        Assert.Equal(AuthOutcome.Authenticated, auth.Outcome);
        var body = AwsChunkedEncoder.Encode(data, 65536, PayloadMode.StreamingSignedTrailer, signing.ChunkSigning, [Stratus.Protocol.Checksums.ChecksumAlgorithm.Crc32C]);

        using var decoder = auth.WrapBody(new TrickleStream(body, 1000), signing.Request);
        using var output = new MemoryStream();
        decoder.CopyTo(output);
        Assert.Equal(data, output.ToArray());
        Assert.True(Assert.IsType<AwsChunkedStream>(decoder).Completed);
    }

    [Fact]
    public void WrapBody_checks_an_unbuffered_body_against_the_signed_hash()
    {
        var declared = Convert.ToHexStringLower(SHA256.HashData("the body"u8));
        var signed = SignedAt(Now, S3Request(), Options(SigV4Rules.S3, service: "s3", contentSha256: declared));
        var auth = Verifier.Verify(signed, SigV4Rules.S3);

        using var good = auth.WrapBody(new MemoryStream("the body"u8.ToArray()), signed);
        Assert.IsType<PayloadHashVerifyingStream>(good);
        good.CopyTo(Stream.Null);

        using var bad = auth.WrapBody(new MemoryStream("another body"u8.ToArray()), signed);
        Assert.Equal("XAmzContentSHA256Mismatch", Assert.Throws<Stratus.Core.AwsException>(() => bad.CopyTo(Stream.Null)).Code);
    }

    [Fact]
    public void WrapBody_leaves_buffered_and_unsigned_bodies_alone()
    {
        var body = new MemoryStream();
        var buffered = Verifier.Verify(SignedAt(Now, JsonRequest(), Options()), SigV4Rules.Default);
        Assert.Same(body, buffered.WrapBody(body, JsonRequest()));
        var unsigned = Verifier.Verify(SignedAt(Now, S3Request(), Options(SigV4Rules.S3, service: "s3", contentSha256: "UNSIGNED-PAYLOAD")), SigV4Rules.S3);
        Assert.Same(body, unsigned.WrapBody(body, S3Request()));
        Assert.Same(body, AuthResult.Anonymous.WrapBody(body, S3Request()));
    }

    [Fact]
    public void S3_signs_the_path_as_sent_while_other_services_normalise_and_double_encode_it()
    {
        var request = S3Request("/bucket/a/../my%20key//x", Convert.ToHexStringLower(SHA256.HashData([])));
        var s3 = Verifier.Verify(SignedAt(Now, request, Options(SigV4Rules.S3 with { CaptureCanonicalRequest = true }, service: "s3")), SigV4Rules.S3 with { CaptureCanonicalRequest = true });
        Assert.Equal(AuthOutcome.Authenticated, s3.Outcome);
        Assert.Equal("/bucket/a/../my%20key//x", s3.CanonicalRequest!.Split('\n')[1]);

        var rules = SigV4Rules.Default with { CaptureCanonicalRequest = true };
        var other = Verifier.Verify(SignedAt(Now, request, Options(rules)), rules);
        Assert.Equal(AuthOutcome.Authenticated, other.Outcome);
        Assert.Equal("/bucket/my%2520key/x", other.CanonicalRequest!.Split('\n')[1]);

        // A signature made under S3's rules does not verify under the others' (and vice versa).
        Assert.Equal(AuthFailure.SignatureDoesNotMatch, Verifier.Verify(SignedAt(Now, request, Options(SigV4Rules.S3, service: "s3")), SigV4Rules.Default).Failure);
    }

    [Fact]
    public void Query_values_are_decoded_and_encoded_again_before_sorting()
    {
        var rules = SigV4Rules.Default with { CaptureCanonicalRequest = true };
        var request = new SignedRequest
        {
            Method = "GET",
            RawPath = "/",
            RawQuery = "b=x%2fy&a=%7e%41+1&b=a b&c",
            Headers = [new("Host", "h")],
            PayloadHash = Convert.ToHexStringLower(SHA256.HashData([])),
        };
        var result = Verifier.Verify(SignedAt(Now, request, Options(rules)), rules);
        Assert.Equal(AuthOutcome.Authenticated, result.Outcome);
        Assert.Equal("a=~A%2B1&b=a%20b&b=x%2Fy&c=", result.CanonicalRequest!.Split('\n')[2]);
    }

    [Fact]
    public void Presigned_S3_urls_sign_an_unsigned_payload()
    {
        var rules = SigV4Rules.S3 with { CaptureCanonicalRequest = true };
        var presigned = new SigV4Signer(new FakeTimeProvider(Now)).Presign(S3Request(), Options(rules, service: "s3"), TimeSpan.FromMinutes(5)).Request;
        var result = Verifier.Verify(presigned, rules);
        Assert.Equal(AuthOutcome.Authenticated, result.Outcome);
        Assert.True(result.IsPresigned);
        Assert.Equal(PayloadMode.Unsigned, result.PayloadMode);
        Assert.EndsWith("\nUNSIGNED-PAYLOAD", result.CanonicalRequest, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, AuthOutcome.Authenticated, AuthFailure.None)]
    [InlineData(299, AuthOutcome.Authenticated, AuthFailure.None)]
    [InlineData(301, AuthOutcome.Failed, AuthFailure.RequestExpired)]
    [InlineData(-899, AuthOutcome.Authenticated, AuthFailure.None)]
    [InlineData(-901, AuthOutcome.Failed, AuthFailure.RequestExpired)]
    public void Presigned_urls_are_valid_from_signing_until_expiry(int secondsAfterSigning, AuthOutcome outcome, AuthFailure failure)
    {
        var presigned = new SigV4Signer(new FakeTimeProvider(Now)).Presign(S3Request(), Options(SigV4Rules.S3, service: "s3"), TimeSpan.FromSeconds(300)).Request;
        var verifier = new SigV4Verifier(_store, new FakeTimeProvider(Now.AddSeconds(secondsAfterSigning)));
        var result = verifier.Verify(presigned, SigV4Rules.S3);
        Assert.Equal(outcome, result.Outcome);
        Assert.Equal(failure, result.Failure);
    }

    [Theory]
    [InlineData("0", AuthFailure.InvalidExpires)]
    [InlineData("604801", AuthFailure.InvalidExpires)]
    [InlineData("-5", AuthFailure.InvalidExpires)]
    [InlineData("ten", AuthFailure.InvalidExpires)]
    [InlineData("604800", AuthFailure.None)]
    [InlineData("1", AuthFailure.None)]
    public void X_amz_expires_must_be_between_one_second_and_a_week(string expires, AuthFailure failure)
    {
        var presigned = new SigV4Signer(new FakeTimeProvider(Now)).Presign(S3Request(), Options(SigV4Rules.S3, service: "s3"), TimeSpan.FromSeconds(3600)).Request;
        var tampered = new SignedRequest
        {
            Method = presigned.Method,
            RawPath = presigned.RawPath,
            RawQuery = presigned.RawQuery.Replace("X-Amz-Expires=3600", "X-Amz-Expires=" + expires, StringComparison.Ordinal),
            Headers = presigned.Headers,
        };
        var result = Verifier.Verify(tampered, SigV4Rules.S3);
        if (failure == AuthFailure.None)
        {
            // In range, but the signature covered 3600.
            Assert.Equal(AuthFailure.SignatureDoesNotMatch, result.Failure);
        }
        else
        {
            Assert.Equal(failure, result.Failure);
        }
    }

    [Fact]
    public void Presigned_requests_missing_a_parameter_fail_as_missing_security_element()
    {
        var presigned = new SigV4Signer(new FakeTimeProvider(Now)).Presign(S3Request(), Options(SigV4Rules.S3, service: "s3"), TimeSpan.FromSeconds(60)).Request;
        var withoutSignature = string.Join('&', presigned.RawQuery.Split('&').Where(p => !p.StartsWith("X-Amz-Signature=", StringComparison.Ordinal)));
        var result = Verifier.Verify(new SignedRequest { Method = "PUT", RawPath = presigned.RawPath, RawQuery = withoutSignature, Headers = presigned.Headers }, SigV4Rules.S3);
        Assert.Equal(AuthFailure.MissingSecurityElement, result.Failure);
    }

    [Fact]
    public void Presigned_temporary_credentials_need_their_token()
    {
        var signer = new SigV4Signer(new FakeTimeProvider(Now));
        var good = signer.Presign(S3Request(), Options(SigV4Rules.S3, TempKey, TempSecret, Token, "s3"), TimeSpan.FromSeconds(60)).Request;
        Assert.Equal(AuthOutcome.Authenticated, Verifier.Verify(good, SigV4Rules.S3).Outcome);

        var missing = signer.Presign(S3Request(), Options(SigV4Rules.S3, TempKey, TempSecret, null, "s3"), TimeSpan.FromSeconds(60)).Request;
        Assert.Equal(AuthFailure.InvalidToken, Verifier.Verify(missing, SigV4Rules.S3).Failure);
    }

    [Fact]
    public void Derived_keys_are_cached_per_scope_and_follow_a_rotated_secret()
    {
        var verifier = Verifier;
        var signed = SignedAt(Now, JsonRequest(), Options());
        Assert.Equal(AuthOutcome.Authenticated, verifier.Verify(signed, SigV4Rules.Default).Outcome);
        Assert.Equal(AuthOutcome.Authenticated, verifier.Verify(signed, SigV4Rules.Default).Outcome);
        Assert.Equal(1, verifier.CachedKeyCount);

        _store.Add(FakeCredentialStore.Credential(AccessKey, "rotated"));
        Assert.Equal(AuthFailure.SignatureDoesNotMatch, verifier.Verify(signed, SigV4Rules.Default).Failure);
        Assert.Equal(AuthOutcome.Authenticated, verifier.Verify(SignedAt(Now, JsonRequest(), Options(secret: "rotated")), SigV4Rules.Default).Outcome);
    }

    [Fact]
    public void Multiline_and_repeated_headers_canonicalise_as_AWS_does()
    {
        var rules = SigV4Rules.Default with { CaptureCanonicalRequest = true };
        var request = new SignedRequest
        {
            Method = "GET",
            RawPath = "/",
            Headers = [new("Host", "h"), new("X-Multi", "  a\r\n   b\t\tc  "), new("X-Rep", "2"), new("x-rep", " 1 ")],
            PayloadHash = Convert.ToHexStringLower(SHA256.HashData([])),
        };
        var result = Verifier.Verify(SignedAt(Now, request, Options(rules)), rules);
        Assert.Equal(AuthOutcome.Authenticated, result.Outcome);
        Assert.Contains("\nx-multi:a b c\nx-rep:2,1\n", result.CanonicalRequest, StringComparison.Ordinal);
    }
}
