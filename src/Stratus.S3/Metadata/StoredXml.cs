namespace Stratus.S3.Metadata;

/// <summary>
/// A bucket setting kept as its validated XML without namespaces (website, logging, accelerate, request payment):
/// nothing in Stratus acts on it, so it is stored whole and echoed as it was given.
/// </summary>
internal sealed class StoredXml
{
    public required string Xml { get; init; }
}
