using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using Stratus.Core;
using Stratus.Protocol.Pipeline;
using Stratus.S3.Metadata;
using Stratus.S3.Responses;

namespace Stratus.S3;

/// <summary>
/// Default bucket encryption (Put/Get/DeleteBucketEncryption) and the <c>x-amz-server-side-encryption*</c> headers of
/// objects: a PUT's own headers win over the bucket default, which is SSE-S3 (AES256) unless configured, as in AWS since
/// 2023; GET and HEAD echo what the object was stored with.
/// </summary>
public sealed partial class S3Service
{
    private const string SseHeader = "x-amz-server-side-encryption";
    private const string SseKmsKeyHeader = "x-amz-server-side-encryption-aws-kms-key-id";
    private const string SseBucketKeyHeader = "x-amz-server-side-encryption-bucket-key-enabled";

    private static readonly string[] SseAlgorithms = ["AES256", "aws:kms", "aws:kms:dsse"];
    private static readonly ServerSideEncryption DefaultEncryption = new() { Algorithm = "AES256" };

    private void RegisterEncryption()
    {
        Register<(string Bucket, Stream Body), HeadersResponse>(
            "PutBucketEncryption",
            static input => (Label(input, "Bucket"), input.Body),
            (request, _) => OnBucket("s3:PutEncryptionConfiguration", request.Bucket),
            async (request, _, cancellationToken) =>
            {
                RequireBucket(request.Bucket);
                var root = await ReadConfigurationAsync(request.Body, "ServerSideEncryptionConfiguration", cancellationToken).ConfigureAwait(false);
                var encryption = ParseEncryption(root);
                await WriteSettingAsync(BucketSettingKeys.Encryption, request.Bucket, encryption, BucketSettingsJsonContext.Default.ServerSideEncryption).ConfigureAwait(false);
                return new HeadersResponse(200);
            });
        Register<string, XmlResponse>(
            "GetBucketEncryption",
            static input => Label(input, "Bucket"),
            (bucket, _) => OnBucket("s3:GetEncryptionConfiguration", bucket),
            (bucket, _, _) =>
            {
                RequireBucket(bucket);
                var encryption = BucketEncryption(bucket);
                return ValueTask.FromResult(new XmlResponse("ServerSideEncryptionConfiguration", w =>
                {
                    w.WriteStartElement("Rule");
                    w.WriteStartElement("ApplyServerSideEncryptionByDefault");
                    w.WriteElementString("SSEAlgorithm", encryption.Algorithm);
                    if (encryption.KmsKeyId is not null)
                    {
                        w.WriteElementString("KMSMasterKeyID", encryption.KmsKeyId);
                    }

                    w.WriteEndElement();
                    w.WriteElementString("BucketKeyEnabled", Bool(encryption.BucketKeyEnabled));
                    w.WriteEndElement();
                }));
            });
        Register<string, HeadersResponse>(
            "DeleteBucketEncryption",
            static input => Label(input, "Bucket"),
            (bucket, _) => OnBucket("s3:PutEncryptionConfiguration", bucket),
            async (bucket, _, _) =>
            {
                RequireBucket(bucket);
                await DeleteSettingAsync(BucketSettingKeys.Encryption, bucket).ConfigureAwait(false);
                return new HeadersResponse(204);
            });
    }

    private ServerSideEncryption BucketEncryption(string bucket) =>
        ReadSetting(BucketSettingKeys.Encryption, bucket, BucketSettingsJsonContext.Default.ServerSideEncryption) ?? DefaultEncryption;

    /// <summary>
    /// The encryption a PutObject, CopyObject or CreateMultipartUpload stores the object with: its own headers, else the
    /// bucket default; null for plain SSE-S3 (the default, which the record need not spell out).
    /// </summary>
    private ServerSideEncryption? ObjectEncryptionForWrite(string bucket, IHeaderDictionary headers, RequestContext context)
    {
        var algorithm = headers[SseHeader].ToString();
        var keyId = headers[SseKmsKeyHeader].ToString();
        var bucketKey = headers[SseBucketKeyHeader].ToString();
        ServerSideEncryption encryption;
        if (algorithm.Length == 0)
        {
            if (keyId.Length > 0)
            {
                throw S3Errors.InvalidArgument("Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms", SseHeader, "null");
            }

            encryption = BucketEncryption(bucket);
        }
        else
        {
            if (!SseAlgorithms.Contains(algorithm, StringComparer.Ordinal))
            {
                throw S3Errors.InvalidArgument("The encryption method specified is not supported", SseHeader, algorithm);
            }

            if (algorithm == "AES256" && keyId.Length > 0)
            {
                throw S3Errors.InvalidArgument("Server Side Encryption with AES256 does not take a KMS key id.", SseKmsKeyHeader, keyId);
            }

            var kms = algorithm != "AES256";
            var bucketDefault = BucketEncryption(bucket);
            encryption = new ServerSideEncryption
            {
                Algorithm = algorithm,
                KmsKeyId = kms ? KmsKeyArn(keyId.Length > 0 ? keyId : bucketDefault.KmsKeyId, context) : null,
                BucketKeyEnabled = kms && (bucketKey.Length > 0 ? bucketKey.Equals("true", StringComparison.OrdinalIgnoreCase) : bucketDefault.BucketKeyEnabled),
            };
        }

        // The object records the key as the ARN AWS echoes, whatever form the bucket default named it in.
        return encryption.Algorithm == "AES256"
            ? null
            : new ServerSideEncryption { Algorithm = encryption.Algorithm, KmsKeyId = KmsKeyArn(encryption.KmsKeyId, context), BucketKeyEnabled = encryption.BucketKeyEnabled };
    }

    /// <summary>The headers that say how an object is encrypted (AES256 when its record says nothing).</summary>
    private static List<KeyValuePair<string, string>> EncryptionHeaders(ServerSideEncryption? encryption)
    {
        var headers = new List<KeyValuePair<string, string>> { new(SseHeader, encryption?.Algorithm ?? "AES256") };
        if (encryption?.KmsKeyId is { } key)
        {
            headers.Add(new(SseKmsKeyHeader, key));
        }

        if (encryption is { BucketKeyEnabled: true })
        {
            headers.Add(new(SseBucketKeyHeader, "true"));
        }

        return headers;
    }

    /// <summary>A PUT's answer with the encryption headers added.</summary>
    private static HeadersResponse WithEncryption(HeadersResponse response, ServerSideEncryption? encryption) =>
        new(response.Status, [.. response.Headers, .. EncryptionHeaders(encryption)]);

    // A KMS key as AWS echoes it: an ARN; the account's aws/s3 key when none is named.
    private static string KmsKeyArn(string? keyId, RequestContext context)
    {
        if (string.IsNullOrEmpty(keyId))
        {
            return $"arn:aws:kms:{context.Region}:{context.Account}:alias/aws/s3";
        }

        return keyId.StartsWith("arn:", StringComparison.Ordinal) ? keyId
            : keyId.StartsWith("alias/", StringComparison.Ordinal) ? $"arn:aws:kms:{context.Region}:{context.Account}:{keyId}"
            : $"arn:aws:kms:{context.Region}:{context.Account}:key/{keyId}";
    }

    private static ServerSideEncryption ParseEncryption(XElement root)
    {
        var rules = Elements(root, "Rule").ToList();
        if (rules.Count != 1)
        {
            throw ProtocolErrors.MalformedXml("ServerSideEncryptionConfiguration needs exactly one Rule.");
        }

        var rule = rules[0];
        var defaults = Element(rule, "ApplyServerSideEncryptionByDefault")
            ?? throw ProtocolErrors.MalformedXml("the Rule needs ApplyServerSideEncryptionByDefault.");
        var algorithm = Element(defaults, "SSEAlgorithm")?.Value;
        if (algorithm is null || !SseAlgorithms.Contains(algorithm, StringComparer.Ordinal))
        {
            throw ProtocolErrors.MalformedXml("SSEAlgorithm must be AES256, aws:kms or aws:kms:dsse.");
        }

        var keyId = Element(defaults, "KMSMasterKeyID")?.Value;
        if (keyId is { Length: > 0 } && algorithm == "AES256")
        {
            throw S3Errors.InvalidArgument("a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse", "ApplyServerSideEncryptionByDefault", "KMSMasterKeyID");
        }

        var bucketKey = Element(rule, "BucketKeyEnabled")?.Value.Trim();
        if (bucketKey is not (null or "true" or "false"))
        {
            throw ProtocolErrors.MalformedXml("BucketKeyEnabled must be true or false.");
        }

        return new ServerSideEncryption
        {
            Algorithm = algorithm,
            KmsKeyId = keyId is { Length: > 0 } ? keyId : null,
            BucketKeyEnabled = bucketKey == "true",
        };
    }
}
