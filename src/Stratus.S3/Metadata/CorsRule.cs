namespace Stratus.S3.Metadata;

/// <summary>One rule of a bucket's CORS configuration, as PutBucketCors stored it.</summary>
internal sealed class CorsRule
{
    public string? Id { get; init; }

    public required List<string> AllowedMethods { get; init; }

    public required List<string> AllowedOrigins { get; init; }

    public List<string>? AllowedHeaders { get; init; }

    public List<string>? ExposeHeaders { get; init; }

    public int? MaxAgeSeconds { get; init; }
}
