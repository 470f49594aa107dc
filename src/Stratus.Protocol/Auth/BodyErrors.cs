using Stratus.Core;
using Stratus.Protocol.Checksums;

namespace Stratus.Protocol.Auth;

/// <summary>The errors S3 answers for bodies that fail verification while they are read (aws-chunked and payload hashes).</summary>
internal static class BodyErrors
{
    public static AwsException ContentSha256Mismatch() =>
        new("XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.", 400);

    public static AwsException ChunkSignatureMismatch(string detail) =>
        new("SignatureDoesNotMatch", $"{SigV4Verifier.SignatureMismatchMessage} ({detail})", 403);

    public static AwsException Truncated() =>
        new("IncompleteBody", "The request body terminated unexpectedly before the final aws-chunked chunk.", 400);

    public static AwsException DecodedLengthMismatch(long declared, long actual) =>
        new("IncompleteBody", $"You did not provide the number of bytes specified by the x-amz-decoded-content-length HTTP header ({declared} declared, {actual} sent).", 400);

    public static AwsException Malformed(string detail) =>
        new("InvalidRequest", $"The aws-chunked body is malformed: {detail}.", 400);

    public static AwsException ChunkTooSmall() =>
        new("InvalidChunkSizeError", "Only the last chunk is allowed to have a size less than 8192 bytes.", 400);

    public static AwsException ChecksumMissing(ChecksumAlgorithm algorithm) =>
        new("InvalidRequest", $"The x-amz-trailer header declares {ChecksumCalculator.HeaderName(algorithm)} but the trailer does not carry it.", 400);

    public static AwsException ChecksumInvalid(ChecksumAlgorithm algorithm) =>
        new("InvalidRequest", $"Value for {ChecksumCalculator.HeaderName(algorithm)} trailing header is invalid.", 400);

    public static AwsException ChecksumMismatch(ChecksumAlgorithm algorithm) =>
        new("BadDigest", $"The {ChecksumCalculator.Name(algorithm)} you specified did not match the calculated checksum.", 400);
}
