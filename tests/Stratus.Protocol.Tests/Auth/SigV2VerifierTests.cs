using Microsoft.Extensions.Time.Testing;
using Stratus.Protocol.Auth;

namespace Stratus.Protocol.Tests.Auth;

/// <summary>S3's legacy Signature Version 2, checked against the examples of AWS's "Signing and authenticating REST requests".</summary>
public sealed class SigV2VerifierTests
{
    private const string AccessKey = "AKIAIOSFODNN7EXAMPLE";
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    private static readonly DateTimeOffset DocumentTime = new(2007, 3, 27, 19, 36, 42, TimeSpan.Zero);

    private readonly FakeCredentialStore _store = new(FakeCredentialStore.Credential(AccessKey, Secret));

    private SigV4Verifier VerifierAt(DateTimeOffset now) => new(_store, new FakeTimeProvider(now));

    private static SignedRequest PuppyGet(string authorization) => new()
    {
        Method = "GET",
        RawPath = "/photos/puppy.jpg",
        Headers =
        [
            new("Host", "johnsmith.s3.amazonaws.com"),
            new("Date", "Tue, 27 Mar 2007 19:36:42 +0000"),
            new("Authorization", authorization),
        ],
    };

    [Fact]
    public void The_documented_object_GET_verifies_with_the_bucket_taken_from_the_virtual_host()
    {
        var result = VerifierAt(DocumentTime).Verify(PuppyGet("AWS AKIAIOSFODNN7EXAMPLE:bWq2s1WEIj+Ydj0vQ697zp+IXMU="), SigV4Rules.S3);

        Assert.Equal(AuthOutcome.Authenticated, result.Outcome);
        Assert.True(result.IsSigV2);
        Assert.Equal("GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\n/johnsmith/photos/puppy.jpg", result.StringToSign);
        Assert.Equal(PayloadMode.Unsigned, result.PayloadMode);
    }

    [Fact]
    public void A_wrong_signature_fails_with_the_string_to_sign()
    {
        var result = VerifierAt(DocumentTime).Verify(PuppyGet("AWS AKIAIOSFODNN7EXAMPLE:AAAAs1WEIj+Ydj0vQ697zp+IXMU="), SigV4Rules.S3);

        Assert.Equal(AuthFailure.SignatureDoesNotMatch, result.Failure);
        Assert.Equal("GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\n/johnsmith/photos/puppy.jpg", result.StringToSign);
        Assert.Equal("AWS AKIAIOSFODNN7EXAMPLE:AAAAs1WEIj+Ydj0vQ697zp+IXMU=".Split(':')[1], result.SignatureProvided);
    }

    [Fact]
    public void A_request_dated_more_than_15_minutes_away_is_too_skewed()
    {
        var result = VerifierAt(DocumentTime.AddMinutes(16)).Verify(PuppyGet("AWS AKIAIOSFODNN7EXAMPLE:bWq2s1WEIj+Ydj0vQ697zp+IXMU="), SigV4Rules.S3);
        Assert.Equal(AuthFailure.RequestTimeTooSkewed, result.Failure);
    }

    [Theory]
    [InlineData("AWS AKIAIOSFODNN7EXAMPLE", AuthFailure.IncompleteSignature)]
    [InlineData("AWS :sig", AuthFailure.IncompleteSignature)]
    [InlineData("AWS AKIANOSUCHKEY:bWq2s1WEIj+Ydj0vQ697zp+IXMU=", AuthFailure.InvalidAccessKeyId)]
    [InlineData("AWS AKIAIOSFODNN7EXAMPLE:not base64!", AuthFailure.SignatureDoesNotMatch)]
    public void Malformed_or_unknown_SigV2_headers_fail_clearly(string authorization, AuthFailure expected)
    {
        var result = VerifierAt(DocumentTime).Verify(PuppyGet(authorization), SigV4Rules.S3);
        Assert.Equal(expected, result.Failure);
        Assert.NotEmpty(result.Message);
    }

    [Fact]
    public void Amz_headers_and_signed_subresources_are_part_of_the_string_to_sign()
    {
        var request = new SignedRequest
        {
            Method = "PUT",
            RawPath = "/bucket/a%20key",
            RawQuery = "uploadId=abc%2F1&partNumber=2&ignored=1",
            Headers =
            [
                new("Host", "127.0.0.1:4566"),
                new("Content-Type", "text/plain"),
                new("Content-MD5", "md5=="),
                new("X-Amz-Meta-B", " two "),
                new("x-amz-meta-a", "one"),
                new("X-Amz-Meta-B", "three"),
                new("x-amz-date", "Tue, 27 Mar 2007 19:36:42 +0000"),
            ],
        };

        Assert.Equal(
            "PUT\nmd5==\ntext/plain\n\nx-amz-date:Tue, 27 Mar 2007 19:36:42 +0000\nx-amz-meta-a:one\nx-amz-meta-b:two,three\n/bucket/a%20key?partNumber=2&uploadId=abc/1",
            SigV2Verifier.StringToSign(request, ""));
    }

    [Fact]
    public void A_presigned_SigV2_URL_verifies_until_it_expires()
    {
        var stringToSign = "GET\n\n\n1175139620\n/johnsmith/photos/puppy.jpg";
        var signature = Sign(stringToSign);
        var request = new SignedRequest
        {
            Method = "GET",
            RawPath = "/johnsmith/photos/puppy.jpg",
            RawQuery = $"AWSAccessKeyId={AccessKey}&Expires=1175139620&Signature={Uri.EscapeDataString(signature)}",
            Headers = [new("Host", "127.0.0.1:4566")],
        };

        var valid = VerifierAt(DateTimeOffset.FromUnixTimeSeconds(1175139620)).Verify(request, SigV4Rules.S3);
        Assert.Equal(AuthOutcome.Authenticated, valid.Outcome);
        Assert.True(valid.IsPresigned);
        Assert.Equal(stringToSign, valid.StringToSign);

        var expired = VerifierAt(DateTimeOffset.FromUnixTimeSeconds(1175139621)).Verify(request, SigV4Rules.S3);
        Assert.Equal(AuthFailure.RequestExpired, expired.Failure);
    }

    [Fact]
    public void A_presigned_SigV2_URL_without_Expires_is_incomplete()
    {
        var request = new SignedRequest
        {
            Method = "GET",
            RawPath = "/b/k",
            RawQuery = $"AWSAccessKeyId={AccessKey}&Signature=abc",
            Headers = [new("Host", "127.0.0.1:4566")],
        };
        Assert.Equal(AuthFailure.MissingSecurityElement, VerifierAt(DocumentTime).Verify(request, SigV4Rules.S3).Failure);
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350", Justification = "SigV2 is HMAC-SHA1 by definition.")]
    private static string Sign(string stringToSign) =>
        Convert.ToBase64String(System.Security.Cryptography.HMACSHA1.HashData(
            System.Text.Encoding.UTF8.GetBytes(Secret), System.Text.Encoding.UTF8.GetBytes(stringToSign)));
}
