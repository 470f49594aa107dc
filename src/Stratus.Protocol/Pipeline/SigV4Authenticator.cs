using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Stratus.Core;
using Stratus.Protocol.Auth;
using Stratus.Protocol.Catalog;

namespace Stratus.Protocol.Pipeline;

/// <summary>
/// The pipeline's authentication step: runs the SigV4 verifier with the service's rules and turns each failure into
/// the error its protocol answers with (S3's <c>SignatureDoesNotMatch</c> with the string to sign, STS's
/// <c>InvalidClientTokenId</c>, DynamoDB's <c>UnrecognizedClientException</c>…).
/// </summary>
public sealed class SigV4Authenticator : IRequestAuthenticator
{
    private readonly SigV4Verifier _verifier;
    private readonly TimeProvider _time;

    public SigV4Authenticator(ICredentialStore credentials, TimeProvider time)
    {
        _verifier = new SigV4Verifier(credentials, time);
        _time = time;
    }

    public Authentication Authenticate(RequestContext context, string rawPath, string rawQuery, ReadOnlyMemory<byte>? bufferedBody)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Http.Request;
        var headers = new List<KeyValuePair<string, string>>(request.Headers.Count);
        foreach (var header in request.Headers)
        {
            foreach (var value in header.Value)
            {
                headers.Add(new(header.Key, value ?? ""));
            }
        }

        var signed = new SignedRequest
        {
            Method = request.Method,
            RawPath = rawPath,
            RawQuery = rawQuery,
            Headers = headers,
            PayloadHash = bufferedBody is { } body ? HashHex(body.Span) : null,
        };
        var rules = context.Protocol == ServiceProtocol.RestXml ? SigV4Rules.S3 : SigV4Rules.Default;
        var result = _verifier.Verify(signed, rules);
        switch (result.Outcome)
        {
            case AuthOutcome.Anonymous:
                return Authentication.Anonymous;
            case AuthOutcome.Failed:
                throw ToError(context.Protocol, result);
        }

        // A JSON request names its service in X-Amz-Target; the signature must have been made for that same service.
        if (result.Scope is { } scope && scope.Service != context.Service.SigningName)
        {
            throw ToError(context.Protocol, AuthResult.Fail(
                AuthFailure.IncompleteSignature,
                $"Credential should be scoped to correct service: '{context.Service.SigningName}'."));
        }

        // S3 bodies stream: the payload hash, or every chunk signature and trailer, is checked as the operation reads.
        var wrapped = result.BodyNeedsVerification && bufferedBody is null ? result.WrapBody(request.Body, signed, leaveOpen: true) : null;

        return new Authentication(result.Identity, result.Credential, result.Scope?.Region, wrapped);
    }

    public Authentication AuthenticatePostForm(RequestContext context, PostFormSignature form)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = _verifier.VerifyPostForm(form);
        if (result.Outcome != AuthOutcome.Authenticated)
        {
            throw result.Failure switch
            {
                // A malformed credential, algorithm or date in a form is a bad argument, not a malformed header.
                AuthFailure.IncompleteSignature or AuthFailure.UnsupportedAlgorithm or AuthFailure.MissingDate => new AwsException("InvalidArgument", result.Message, 400)
                {
                    Details = [new("ArgumentName", result.Failure switch { AuthFailure.MissingDate => "x-amz-date", AuthFailure.UnsupportedAlgorithm => "x-amz-algorithm", _ => "x-amz-credential" })],
                },

                // The string a form signs is its policy; there is no canonical request.
                AuthFailure.SignatureDoesNotMatch => new AwsException("SignatureDoesNotMatch", result.Message, 403)
                {
                    Details = [new("AWSAccessKeyId", result.AccessKeyId ?? ""), new("StringToSign", form.Policy), new("SignatureProvided", form.Signature)],
                },
                _ => S3Error(result),
            };
        }

        return new Authentication(result.Identity, result.Credential, result.Scope?.Region, null);
    }

    /// <summary>S3's StringToSignBytes: the UTF-8 bytes of the string to sign as space-separated hex pairs.</summary>
    private static string HexBytes(string text) =>
        string.Join(' ', System.Text.Encoding.UTF8.GetBytes(text).Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));

    private static string HashHex(ReadOnlySpan<byte> body)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(body, hash);
        return Convert.ToHexStringLower(hash);
    }

    private AwsException ToError(ServiceProtocol protocol, AuthResult result) => protocol switch
    {
        ServiceProtocol.RestXml => S3Error(result),
        ServiceProtocol.Json10 or ServiceProtocol.Json11 => JsonError(result, status: 400),
        ServiceProtocol.RestJson => JsonError(result, status: 403),
        _ => QueryError(result, ec2: protocol == ServiceProtocol.Ec2Query),
    };

    private AwsException S3Error(AuthResult result)
    {
        var key = result.AccessKeyId ?? "";
        var now = _time.GetUtcNow();
        return result.Failure switch
        {
            AuthFailure.InvalidAccessKeyId => new AwsException("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.", 403)
            {
                Details = [new("AWSAccessKeyId", key)],
            },
            AuthFailure.SignatureDoesNotMatch => new AwsException("SignatureDoesNotMatch", result.Message, 403)
            {
                Details =
                [
                    new("AWSAccessKeyId", key),
                    new("StringToSign", result.StringToSign ?? ""),
                    new("SignatureProvided", result.SignatureProvided ?? ""),
                    result.IsSigV2
                        ? new("StringToSignBytes", HexBytes(result.StringToSign ?? ""))
                        : new("CanonicalRequest", result.CanonicalRequest ?? ""),
                ],
            },
            AuthFailure.RequestTimeTooSkewed => new AwsException("RequestTimeTooSkewed", result.Message, 403)
            {
                Details =
                [
                    new("ServerTime", now.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)),
                    new("MaxAllowedSkewMilliseconds", "900000"),
                ],
            },
            AuthFailure.RequestExpired => new AwsException("AccessDenied", "Request has expired", 403)
            {
                Details = [new("ServerTime", now.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture))],
            },
            AuthFailure.MissingDate => new AwsException("AccessDenied", result.Message, 403),
            AuthFailure.InvalidExpires => new AwsException("AuthorizationQueryParametersError", result.Message, 400),
            AuthFailure.MissingSecurityElement or AuthFailure.IncompleteSignature => result.IsPresigned
                ? new AwsException("AuthorizationQueryParametersError", result.Message, 400)
                : new AwsException("AuthorizationHeaderMalformed", result.Message, 400),
            AuthFailure.UnsupportedAlgorithm => new AwsException("InvalidRequest", result.Message, 400),
            AuthFailure.MultipleAuthMechanisms => new AwsException("InvalidArgument", result.Message, 400),
            AuthFailure.InvalidToken => new AwsException("InvalidToken", "The provided token is malformed or otherwise invalid.", 400),
            AuthFailure.ExpiredToken => new AwsException("ExpiredToken", "The provided token has expired.", 400),
            AuthFailure.ContentSha256Mismatch => new AwsException("XAmzContentSHA256Mismatch", result.Message, 400),
            AuthFailure.InvalidContentSha256 => new AwsException("InvalidArgument", result.Message, 400),
            AuthFailure.MissingContentSha256 => new AwsException("InvalidRequest", result.Message, 400),
            _ => new AwsException("AccessDenied", result.Message, 403),
        };
    }

    private AwsException QueryError(AuthResult result, bool ec2) => result.Failure switch
    {
        AuthFailure.InvalidAccessKeyId or AuthFailure.InvalidToken => ec2
            ? new AwsException("AuthFailure", "AWS was not able to validate the provided access credentials", 401)
            : new AwsException("InvalidClientTokenId", "The security token included in the request is invalid.", 403),
        AuthFailure.ExpiredToken => new AwsException("ExpiredToken", "The security token included in the request is expired", ec2 ? 400 : 403),
        AuthFailure.RequestTimeTooSkewed => new AwsException("SignatureDoesNotMatch", SkewMessage(), 403),
        AuthFailure.RequestExpired => new AwsException("RequestExpired", "Request has expired.", 400),
        AuthFailure.SignatureDoesNotMatch or AuthFailure.ContentSha256Mismatch or AuthFailure.InvalidContentSha256 or AuthFailure.MissingContentSha256 =>
            new AwsException("SignatureDoesNotMatch", result.Message, 403),
        _ => new AwsException("IncompleteSignature", result.Message, 400),
    };

    private AwsException JsonError(AuthResult result, int status) => result.Failure switch
    {
        AuthFailure.InvalidAccessKeyId or AuthFailure.InvalidToken => new AwsException("UnrecognizedClientException", "The security token included in the request is invalid.", status),
        AuthFailure.ExpiredToken => new AwsException("ExpiredTokenException", "The security token included in the request is expired", status),
        AuthFailure.RequestTimeTooSkewed => new AwsException("InvalidSignatureException", SkewMessage(), status),
        AuthFailure.RequestExpired => new AwsException("InvalidSignatureException", "Signature expired: the presigned request is past its expiry.", status),
        AuthFailure.SignatureDoesNotMatch or AuthFailure.ContentSha256Mismatch or AuthFailure.InvalidContentSha256 or AuthFailure.MissingContentSha256 =>
            new AwsException("InvalidSignatureException", result.Message, status),
        AuthFailure.MissingSecurityElement => new AwsException("MissingAuthenticationTokenException", result.Message, status),
        _ => new AwsException("IncompleteSignatureException", result.Message, status),
    };

    private string SkewMessage()
    {
        var now = _time.GetUtcNow();
        return string.Create(
            CultureInfo.InvariantCulture,
            $"Signature expired: the request time is more than 15 minutes away from the server time {now:yyyyMMdd'T'HHmmss'Z'} ({now.AddMinutes(-15):yyyyMMdd'T'HHmmss'Z'} - {now.AddMinutes(15):yyyyMMdd'T'HHmmss'Z'}).");
    }
}
