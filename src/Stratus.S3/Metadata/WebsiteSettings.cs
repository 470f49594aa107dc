namespace Stratus.S3.Metadata;

/// <summary>A bucket's website configuration, validated and kept as its XML (without namespaces), echoed as it was given.</summary>
internal sealed class WebsiteSettings
{
    public required string Xml { get; init; }
}
