namespace Stratus.Protocol.Auth;

/// <summary>The verdict of SigV4 verification and what the rest of the pipeline needs from it.</summary>
public sealed record AuthResult
{
    /// <summary>The result for a request that carried no SigV4 material.</summary>
    public static AuthResult Anonymous { get; } = new() { Outcome = AuthOutcome.Anonymous, PayloadMode = PayloadMode.Unsigned };

    /// <summary>Anonymous, authenticated or failed.</summary>
    public AuthOutcome Outcome { get; init; }

    /// <summary>Why it failed; <see cref="AuthFailure.None"/> unless <see cref="Outcome"/> is <see cref="AuthOutcome.Failed"/>.</summary>
    public AuthFailure Failure { get; init; }

    /// <summary>A human message in AWS's wording; empty on success.</summary>
    public string Message { get; init; } = "";

    /// <summary>The access key id the request named, when it could be parsed.</summary>
    public string? AccessKeyId { get; init; }

    /// <summary>The credential that signed the request (set when authenticated, and on failures after the key was found).</summary>
    public SigningCredential? Credential { get; init; }

    /// <summary>The caller: the credential's identity, or <see cref="CallerIdentity.Anonymous"/>.</summary>
    public CallerIdentity Identity => Outcome == AuthOutcome.Authenticated && Credential is not null ? Credential.Identity : CallerIdentity.Anonymous;

    /// <summary>The credential scope (date, region, service) when it could be parsed.</summary>
    public CredentialScope? Scope { get; init; }

    /// <summary>True when the request was signed with S3's legacy Signature Version 2 (HMAC-SHA1).</summary>
    public bool IsSigV2 { get; init; }

    /// <summary>True when the signature came from the query string (a presigned URL).</summary>
    public bool IsPresigned { get; init; }

    /// <summary>The canonical request computed (always set on <see cref="AuthFailure.SignatureDoesNotMatch"/>).</summary>
    public string? CanonicalRequest { get; init; }

    /// <summary>The string to sign computed (always set on <see cref="AuthFailure.SignatureDoesNotMatch"/>).</summary>
    public string? StringToSign { get; init; }

    private string? _signatureProvided;

    /// <summary>The signature the request carried, as sent (materialised on first use: most callers never ask).</summary>
    public string? SignatureProvided
    {
        get => _signatureProvided ??= SignatureSource.IsEmpty ? null : SignatureSource.ToString();
        init => _signatureProvided = value;
    }

    internal ReadOnlyMemory<char> SignatureSource { get; init; }

    /// <summary>For <see cref="AuthFailure.HeadersNotSigned"/>: the unsigned x-amz-* header names, comma-separated (S3's HeadersNotSigned element).</summary>
    public string? HeadersNotSigned { get; init; }

    /// <summary>
    /// True when the signature only verified reading '+' in the query as a space (a URL re-serialised with form encoding
    /// after signing, which AWS accepts): the query must then be decoded that way too, or the request would mean
    /// something other than what was signed. False: '+' is a literal plus.
    /// </summary>
    public bool QueryPlusIsSpace { get; init; }

    /// <summary>How the body is protected.</summary>
    public PayloadMode PayloadMode { get; init; }

    /// <summary>For <see cref="PayloadMode.SignedHash"/>: the lower-hex SHA-256 the signature covers; when the body was not buffered, wrap it in a <see cref="PayloadHashVerifyingStream"/> with this value.</summary>
    public string? PayloadHash { get; init; }

    /// <summary>For the streaming modes: what <see cref="AwsChunkedStream"/> needs to verify the chunk chain.</summary>
    public ChunkSigningContext? ChunkSigning { get; init; }

    /// <summary>True when the body still has to be checked as it is read (unbuffered signed hash or a streaming mode).</summary>
    public bool BodyNeedsVerification { get; init; }

    /// <summary>
    /// The body as the handler should read it: decoded and checked as it is read for the streaming modes, hash-checked at its
    /// end for an unbuffered signed hash, else unchanged. Errors surface as <see cref="Stratus.Core.AwsException"/> from Read.
    /// </summary>
    public Stream WrapBody(Stream body, SignedRequest request, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(request);
        if (Outcome != AuthOutcome.Authenticated)
        {
            return body;
        }

        return PayloadMode switch
        {
            PayloadMode.StreamingSigned or PayloadMode.StreamingSignedTrailer or PayloadMode.StreamingUnsignedTrailer =>
                AwsChunkedStream.Create(body, this, request, leaveOpen),
            PayloadMode.SignedHash when BodyNeedsVerification && PayloadHash is not null =>
                new PayloadHashVerifyingStream(body, PayloadHash, leaveOpen),
            _ => body,
        };
    }

    internal static AuthResult Fail(AuthFailure failure, string message) =>
        new() { Outcome = AuthOutcome.Failed, Failure = failure, Message = message };
}
