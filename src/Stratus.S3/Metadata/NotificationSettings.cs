namespace Stratus.S3.Metadata;

/// <summary>A bucket's event notification configuration, as PutBucketNotificationConfiguration stored it.</summary>
internal sealed class NotificationSettings
{
    public required List<NotificationTarget> Targets { get; init; }

    public bool EventBridge { get; init; }
}
