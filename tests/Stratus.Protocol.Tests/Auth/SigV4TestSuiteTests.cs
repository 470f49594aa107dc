using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Stratus.Protocol.Auth;

namespace Stratus.Protocol.Tests.Auth;

public sealed class SigV4TestSuiteTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in TestSuiteCase.Names())
        {
            data.Add(name, "header");
            data.Add(name, "query");
        }

        return data;
    }

    private static SigV4Verifier VerifierFor(TestSuiteCase c, DateTimeOffset? now = null) =>
        new(new FakeCredentialStore(c.Credential), new FakeTimeProvider(now ?? c.Timestamp));

    [Fact]
    public void The_suite_is_present_with_all_its_cases()
    {
        Assert.Equal(38, TestSuiteCase.Names().Count());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Signed_request_of_the_suite_verifies_with_the_expected_canonical_request_string_to_sign_and_signature(string name, string mode)
    {
        var c = TestSuiteCase.Load(name);
        var verifier = VerifierFor(c);
        var (request, _) = TestSuiteCase.ParseRequest(c.Read($"{mode}-signed-request.txt"));

        var result = verifier.Verify(request, c.Rules);

        Assert.True(result.Outcome == AuthOutcome.Authenticated, $"{result.Failure}: {result.Message}\n{result.CanonicalRequest}");
        Assert.Equal(c.Read($"{mode}-canonical-request.txt"), result.CanonicalRequest);
        Assert.Equal(c.Read($"{mode}-string-to-sign.txt"), result.StringToSign);
        Assert.Equal(c.Read($"{mode}-signature.txt").Trim(), result.SignatureProvided);
        Assert.Equal(c.AccessKeyId, result.Credential!.AccessKeyId);
        Assert.Equal(new CredentialScope("20150830", c.Region, c.Service), result.Scope);
        Assert.Equal(mode == "query", result.IsPresigned);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Signed_request_of_the_suite_is_rejected_after_any_single_mutation(string name, string mode)
    {
        var c = TestSuiteCase.Load(name);
        var (original, body) = TestSuiteCase.ParseRequest(c.Read($"{mode}-signed-request.txt"));
        var checkedMutations = 0;

        void AssertRejected(string what, SignedRequest mutated, DateTimeOffset? now = null)
        {
            var verifier = VerifierFor(c, now);
            var result = verifier.Verify(mutated, c.Rules);
            Assert.True(result.Outcome == AuthOutcome.Failed, $"{name}/{mode}: mutation of {what} was accepted");
            checkedMutations++;
        }

        // The signature itself.
        var signature = c.Read($"{mode}-signature.txt").Trim();
        var flipped = signature[..^1] + (signature[^1] == '0' ? '1' : '0');
        if (mode == "header")
        {
            AssertRejected("the signature", WithHeaders(original, h => h.Key == "Authorization" ? new(h.Key, h.Value.Replace(signature, flipped, StringComparison.Ordinal)) : h));
        }
        else
        {
            AssertRejected("the signature", With(original, rawQuery: original.RawQuery.Replace(signature, flipped, StringComparison.Ordinal)));
        }

        // Each signed header's value.
        var signedHeaders = SignedHeadersOf(original, mode);
        foreach (var signedHeader in signedHeaders)
        {
            var seen = false;
            var mutated = WithHeaders(original, h =>
            {
                if (seen || !string.Equals(h.Key, signedHeader, StringComparison.OrdinalIgnoreCase))
                {
                    return h;
                }

                seen = true;
                return new(h.Key, h.Value + "x");
            });
            Assert.True(seen, $"signed header {signedHeader} is in the request");
            AssertRejected($"header {signedHeader}", mutated);
        }

        // The path and the query.
        AssertRejected("the path", With(original, rawPath: original.RawPath + "x"));
        AssertRejected("the query", With(original, rawQuery: original.RawQuery.Length == 0 ? "mutated=1" : original.RawQuery + "&mutated=1"));
        var firstEquals = original.RawQuery.IndexOf('=', StringComparison.Ordinal);
        if (firstEquals > 0)
        {
            AssertRejected("a query value", With(original, rawQuery: original.RawQuery.Insert(firstEquals + 1, "x")));
        }

        // The body, where signed.
        if (c.SignBody)
        {
            var changed = body.ToArray();
            changed[0] ^= 1;
            AssertRejected("the body", new SignedRequest
            {
                Method = original.Method,
                RawPath = original.RawPath,
                RawQuery = original.RawQuery,
                Headers = original.Headers,
                PayloadHash = Convert.ToHexStringLower(SHA256.HashData(changed)),
            });
        }

        // The date outside the allowed window.
        if (mode == "header")
        {
            AssertRejected("the clock (16 minutes later)", original, c.Timestamp + TimeSpan.FromMinutes(16));
            AssertRejected("the clock (16 minutes earlier)", original, c.Timestamp - TimeSpan.FromMinutes(16));
        }
        else
        {
            AssertRejected("the clock (past expiry)", original, c.Timestamp + TimeSpan.FromSeconds(c.ExpirationSeconds + 1));
            AssertRejected("the clock (16 minutes before signing)", original, c.Timestamp - TimeSpan.FromMinutes(16));
        }

        Assert.True(checkedMutations >= 6);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Signer_reproduces_the_suite_signature(string name, string mode)
    {
        var c = TestSuiteCase.Load(name);
        var (unsigned, _) = TestSuiteCase.ParseRequest(c.Read("request.txt"));
        var signer = new SigV4Signer(new FakeTimeProvider(c.Timestamp));
        var options = new SigV4SigningOptions
        {
            AccessKeyId = c.AccessKeyId,
            SecretAccessKey = c.SecretAccessKey,
            SessionToken = c.SessionToken,
            Region = c.Region,
            Service = c.Service,
            Rules = c.Rules,
            SignSessionToken = !c.Read("context.json").Contains("\"omit_session_token\": true", StringComparison.Ordinal),
            AddContentSha256Header = c.SignBody,
        };

        var signed = mode == "header"
            ? signer.Sign(unsigned, options)
            : signer.Presign(unsigned, options, TimeSpan.FromSeconds(c.ExpirationSeconds));

        Assert.Equal(c.Read($"{mode}-signature.txt").Trim(), signed.Signature);
        var verifier = VerifierFor(c);
        Assert.Equal(AuthOutcome.Authenticated, verifier.Verify(signed.Request, c.Rules).Outcome);
    }

    private static List<string> SignedHeadersOf(SignedRequest request, string mode)
    {
        string list;
        if (mode == "header")
        {
            var authorization = request.GetHeader("Authorization")!;
            var start = authorization.IndexOf("SignedHeaders=", StringComparison.Ordinal) + "SignedHeaders=".Length;
            var end = authorization.IndexOf(',', start);
            list = authorization[start..end];
        }
        else
        {
            var start = request.RawQuery.IndexOf("X-Amz-SignedHeaders=", StringComparison.Ordinal) + "X-Amz-SignedHeaders=".Length;
            var end = request.RawQuery.IndexOf('&', start);
            list = Uri.UnescapeDataString(end < 0 ? request.RawQuery[start..] : request.RawQuery[start..end]);
        }

        return [.. list.Split(';')];
    }

    private static SignedRequest With(SignedRequest request, string? rawPath = null, string? rawQuery = null) => new()
    {
        Method = request.Method,
        RawPath = rawPath ?? request.RawPath,
        RawQuery = rawQuery ?? request.RawQuery,
        Headers = request.Headers,
        PayloadHash = request.PayloadHash,
    };

    private static SignedRequest WithHeaders(SignedRequest request, Func<KeyValuePair<string, string>, KeyValuePair<string, string>> change) => new()
    {
        Method = request.Method,
        RawPath = request.RawPath,
        RawQuery = request.RawQuery,
        Headers = [.. request.Headers.Select(change)],
        PayloadHash = request.PayloadHash,
    };
}
