namespace Stratus.Protocol.Pipeline;

/// <summary>Limits and defaults of the request pipeline.</summary>
public sealed class PipelineOptions
{
    /// <summary>The region of requests that carry none (unsigned ones).</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>The account that owns what anonymous requests touch.</summary>
    public string DefaultAccount { get; init; } = Core.AccountId.Default;

    /// <summary>S3's limit on the request header section, as AWS enforces it.</summary>
    public int S3MaxHeaderBytes { get; init; } = 8 * 1024;

    /// <summary>The limit on the header section of every other service.</summary>
    public int MaxHeaderBytes { get; init; } = 16 * 1024;

    /// <summary>S3's single-request limit (5 GiB), beyond which PUTs get <c>EntityTooLarge</c>.</summary>
    public long S3MaxBodyBytes { get; init; } = 5L * 1024 * 1024 * 1024;

    /// <summary>The buffered-body limit of the query services and any service without its own.</summary>
    public long DefaultMaxBufferedBodyBytes { get; init; } = 2 * 1024 * 1024;

    /// <summary>The buffered-body limit of a service (DynamoDB 16 MiB, Lambda 70 MiB for inline code, query services 2 MiB).</summary>
    public long MaxBufferedBodyBytes(string service) => service switch
    {
        "dynamodb" or "dynamodbstreams" => 16 * 1024 * 1024,
        "lambda" => 70 * 1024 * 1024,
        "sqs" => 4 * 1024 * 1024,
        _ => DefaultMaxBufferedBodyBytes,
    };
}
