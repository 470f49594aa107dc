namespace Stratus.Protocol.Auth;

/// <summary>
/// The form fields that sign an S3 browser-form upload (POST Object): the base64 policy document and, for Signature
/// Version 4, <c>x-amz-algorithm</c>, <c>x-amz-credential</c>, <c>x-amz-date</c> and <c>x-amz-signature</c> (the
/// signature is the HMAC of the policy text with the scope's signing key); for Signature Version 2, <c>AWSAccessKeyId</c>
/// and <c>signature</c> (base64 HMAC-SHA1 of the policy text with the secret key).
/// </summary>
public sealed record PostFormSignature
{
    /// <summary>The <c>policy</c> field, as sent (base64).</summary>
    public required string Policy { get; init; }

    /// <summary>The signature, hex (version 4) or base64 (version 2).</summary>
    public required string Signature { get; init; }

    /// <summary><c>x-amz-algorithm</c> (version 4).</summary>
    public string? Algorithm { get; init; }

    /// <summary><c>x-amz-credential</c> (version 4): access key id / date / region / s3 / aws4_request.</summary>
    public string? Credential { get; init; }

    /// <summary><c>x-amz-date</c> (version 4).</summary>
    public string? Date { get; init; }

    /// <summary><c>AWSAccessKeyId</c> (version 2 only).</summary>
    public string? AccessKeyId { get; init; }

    /// <summary><c>x-amz-security-token</c>, for temporary credentials.</summary>
    public string? SecurityToken { get; init; }

    /// <summary>Whether this is a Signature Version 2 form (it names <c>AWSAccessKeyId</c>).</summary>
    public bool IsV2 => AccessKeyId is not null;
}
