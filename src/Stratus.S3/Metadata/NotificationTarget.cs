namespace Stratus.S3.Metadata;

/// <summary>One destination of a bucket's event notifications: a queue, a Lambda function or a topic, its events and key filter.</summary>
internal sealed class NotificationTarget
{
    /// <summary>Queue, CloudFunction or Topic: the element name it came in (and goes back out) as.</summary>
    public required string Kind { get; init; }

    public required string Id { get; init; }

    public required string Arn { get; init; }

    public required List<string> Events { get; init; }

    public string? Prefix { get; init; }

    public string? Suffix { get; init; }
}
