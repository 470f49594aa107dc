using System.Security.Cryptography;

namespace Stratus.Core;

/// <summary>Makes request ids in the shapes AWS uses: a UUID for most services, 16 upper-case hex characters for S3.</summary>
public static class RequestId
{
    /// <summary>A new random UUID-shaped request id (IAM, STS, SQS, DynamoDB, Lambda).</summary>
    public static string NewUuid() => Guid.NewGuid().ToString();

    /// <summary>A new 16-character upper-case hex request id, the shape S3 uses.</summary>
    public static string NewS3()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToHexString(bytes);
    }

    /// <summary>A base64 extended request id, the shape of S3's <c>x-amz-id-2</c>.</summary>
    public static string NewExtended()
    {
        Span<byte> bytes = stackalloc byte[48];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToBase64String(bytes);
    }
}
