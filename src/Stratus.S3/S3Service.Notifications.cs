using System.Text;
using System.Xml.Linq;
using Stratus.Core;
using Stratus.Protocol.Pipeline;
using Stratus.S3.Metadata;
using Stratus.S3.Responses;

namespace Stratus.S3;

/// <summary>
/// Event notification configuration: queues, Lambda functions, topics and EventBridge, with events from S3's list, key
/// filters (one prefix and one suffix at most) and no two configurations that could both fire for one event and key.
/// Stored and echoed; delivery waits for SQS and Lambda, and destinations cannot be checked for existence yet.
/// </summary>
public sealed partial class S3Service
{
    private const int MaxNotificationIdLength = 1024;

    private static readonly string[] NotificationEvents =
    [
        "s3:ReducedRedundancyLostObject", "s3:ObjectCreated:*", "s3:ObjectCreated:Put", "s3:ObjectCreated:Post",
        "s3:ObjectCreated:Copy", "s3:ObjectCreated:CompleteMultipartUpload", "s3:ObjectRemoved:*", "s3:ObjectRemoved:Delete",
        "s3:ObjectRemoved:DeleteMarkerCreated", "s3:ObjectRestore:*", "s3:ObjectRestore:Post", "s3:ObjectRestore:Completed",
        "s3:ObjectRestore:Delete", "s3:Replication:*", "s3:Replication:OperationFailedReplication",
        "s3:Replication:OperationNotTracked", "s3:Replication:OperationMissedThreshold",
        "s3:Replication:OperationReplicatedAfterThreshold", "s3:LifecycleTransition", "s3:IntelligentTiering",
        "s3:ObjectAcl:Put", "s3:LifecycleExpiration:*", "s3:LifecycleExpiration:Delete",
        "s3:LifecycleExpiration:DeleteMarkerCreated", "s3:ObjectTagging:*", "s3:ObjectTagging:Put", "s3:ObjectTagging:Delete",
    ];

    // Element name → (ARN element, the service its ARN must name).
    private static readonly (string Kind, string ArnElement, string Service)[] NotificationKinds =
    [
        ("TopicConfiguration", "Topic", "sns"),
        ("QueueConfiguration", "Queue", "sqs"),
        ("CloudFunctionConfiguration", "CloudFunction", "lambda"),
    ];

    private void RegisterNotifications()
    {
        Register<(string Bucket, Stream Body), HeadersResponse>(
            "PutBucketNotificationConfiguration",
            static input => (Label(input, "Bucket"), input.Body),
            (request, _) => OnBucket("s3:PutBucketNotification", request.Bucket),
            async (request, _, cancellationToken) =>
            {
                RequireBucket(request.Bucket);
                var root = await ReadConfigurationAsync(request.Body, "NotificationConfiguration", cancellationToken).ConfigureAwait(false);
                var settings = ParseNotifications(root);
                if (settings.Targets.Count == 0 && !settings.EventBridge)
                {
                    await DeleteSettingAsync(BucketSettingKeys.Notifications, request.Bucket).ConfigureAwait(false);
                }
                else
                {
                    await WriteSettingAsync(BucketSettingKeys.Notifications, request.Bucket, settings, BucketSettingsJsonContext.Default.NotificationSettings).ConfigureAwait(false);
                }

                return new HeadersResponse(200);
            });
        Register<string, XmlResponse>(
            "GetBucketNotificationConfiguration",
            static input => Label(input, "Bucket"),
            (bucket, _) => OnBucket("s3:GetBucketNotification", bucket),
            (bucket, _, _) =>
            {
                RequireBucket(bucket);
                var settings = ReadSetting(BucketSettingKeys.Notifications, bucket, BucketSettingsJsonContext.Default.NotificationSettings);
                return ValueTask.FromResult(new XmlResponse("NotificationConfiguration", w =>
                {
                    foreach (var (kind, arnElement, _) in NotificationKinds)
                    {
                        foreach (var target in settings?.Targets.Where(t => t.Kind == kind) ?? [])
                        {
                            w.WriteStartElement(kind);
                            w.WriteElementString("Id", target.Id);
                            w.WriteElementString(arnElement, target.Arn);
                            WriteAll(w, "Event", target.Events);
                            if (target.Prefix is not null || target.Suffix is not null)
                            {
                                w.WriteStartElement("Filter");
                                w.WriteStartElement("S3Key");
                                WriteFilterRule(w, "Prefix", target.Prefix);
                                WriteFilterRule(w, "Suffix", target.Suffix);
                                w.WriteEndElement();
                                w.WriteEndElement();
                            }

                            w.WriteEndElement();
                        }
                    }

                    if (settings is { EventBridge: true })
                    {
                        w.WriteStartElement("EventBridgeConfiguration");
                        w.WriteEndElement();
                    }
                }));
            });
    }

    private static void WriteFilterRule(System.Xml.XmlWriter w, string name, string? value)
    {
        if (value is null)
        {
            return;
        }

        w.WriteStartElement("FilterRule");
        w.WriteElementString("Name", name);
        w.WriteElementString("Value", value);
        w.WriteEndElement();
    }

    private static NotificationSettings ParseNotifications(XElement root)
    {
        var targets = new List<NotificationTarget>();
        foreach (var (kind, arnElement, service) in NotificationKinds)
        {
            foreach (var element in Elements(root, kind))
            {
                var arn = Element(element, arnElement)?.Value ?? throw ProtocolErrors.MalformedXml($"every {kind} needs a {arnElement}.");
                if (!IsDestinationArn(arn, service))
                {
                    throw S3Errors.InvalidArgument("The ARN is not well formed", arnElement, arn);
                }

                var events = Values(element, "Event");
                if (events.Count == 0)
                {
                    throw ProtocolErrors.MalformedXml($"every {kind} needs at least one Event.");
                }

                foreach (var name in events)
                {
                    if (!NotificationEvents.Contains(name, StringComparer.Ordinal))
                    {
                        throw S3Errors.InvalidArgument("The event is not supported for notifications", "Event", name);
                    }
                }

                var (prefix, suffix) = ParseKeyFilter(element);
                var id = Element(element, "Id")?.Value;
                if (id is { Length: > MaxNotificationIdLength })
                {
                    throw S3Errors.InvalidArgument($"The Id of a notification configuration is at most {MaxNotificationIdLength} characters.", "Id", id);
                }

                id = string.IsNullOrEmpty(id) ? Convert.ToBase64String(Encoding.UTF8.GetBytes(Guid.NewGuid().ToString())) : id;
                if (targets.Any(t => t.Id == id))
                {
                    throw S3Errors.InvalidArgument("Same ID used for multiple configurations. IDs must be unique.", "Id", id);
                }

                targets.Add(new NotificationTarget { Kind = kind, Id = id, Arn = arn, Events = events.Distinct(StringComparer.Ordinal).ToList(), Prefix = prefix, Suffix = suffix });
            }
        }

        CheckNoOverlap(targets);
        return new NotificationSettings { Targets = targets, EventBridge = Element(root, "EventBridgeConfiguration") is not null };
    }

    private static (string? Prefix, string? Suffix) ParseKeyFilter(XElement configuration)
    {
        if (Element(configuration, "Filter") is not { } filter)
        {
            return (null, null);
        }

        string? prefix = null;
        string? suffix = null;
        foreach (var rule in Element(filter, "S3Key") is { } key ? Elements(key, "FilterRule") : [])
        {
            var name = Element(rule, "Name")?.Value ?? "";
            var value = Element(rule, "Value")?.Value ?? "";
            if (name.Equals("prefix", StringComparison.OrdinalIgnoreCase))
            {
                prefix = prefix is null ? value : throw S3Errors.InvalidArgument("Cannot specify more than one prefix rule in a filter.", "FilterRule", name);
            }
            else if (name.Equals("suffix", StringComparison.OrdinalIgnoreCase))
            {
                suffix = suffix is null ? value : throw S3Errors.InvalidArgument("Cannot specify more than one suffix rule in a filter.", "FilterRule", name);
            }
            else
            {
                throw S3Errors.InvalidArgument("filter rule name must be either prefix or suffix", "FilterRule", name);
            }
        }

        return (prefix, suffix);
    }

    // Two configurations that share an event (s3:ObjectCreated:* covers every s3:ObjectCreated: event) and whose prefixes
    // and suffixes could both match one key would both fire: S3 refuses such a configuration as ambiguous.
    private static void CheckNoOverlap(List<NotificationTarget> targets)
    {
        for (var i = 0; i < targets.Count; i++)
        {
            for (var j = i + 1; j < targets.Count; j++)
            {
                var (a, b) = (targets[i], targets[j]);
                var shared = a.Events.FirstOrDefault(x => b.Events.Any(y => EventsOverlap(x, y)));
                if (shared is null)
                {
                    continue;
                }

                var prefixes = (a.Prefix ?? "").StartsWith(b.Prefix ?? "", StringComparison.Ordinal) || (b.Prefix ?? "").StartsWith(a.Prefix ?? "", StringComparison.Ordinal);
                var suffixes = (a.Suffix ?? "").EndsWith(b.Suffix ?? "", StringComparison.Ordinal) || (b.Suffix ?? "").EndsWith(a.Suffix ?? "", StringComparison.Ordinal);
                if (prefixes && suffixes)
                {
                    var unfiltered = a.Prefix is null && a.Suffix is null && b.Prefix is null && b.Suffix is null;
                    throw S3Errors.InvalidArgument(
                        unfiltered
                            ? "Configurations overlap. Configurations on the same bucket cannot share a common event type."
                            : "Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type.",
                        "Event",
                        shared);
                }
            }
        }
    }

    private static bool EventsOverlap(string a, string b) =>
        a == b || (a.EndsWith(":*", StringComparison.Ordinal) && b.StartsWith(a[..^1], StringComparison.Ordinal))
        || (b.EndsWith(":*", StringComparison.Ordinal) && a.StartsWith(b[..^1], StringComparison.Ordinal));

    // arn:{partition}:{service}:{region}:{12-digit account}:{resource}, the service the configuration kind delivers to.
    private static bool IsDestinationArn(string arn, string service)
    {
        var parts = arn.Split(':', 6);
        return parts.Length == 6 && parts[0] == "arn" && parts[1] is "aws" or "aws-cn" or "aws-us-gov" && parts[2] == service
            && parts[3].Length > 0 && AccountId.IsValid(parts[4]) && parts[5].Length > 0
            && (service != "lambda" || parts[5].StartsWith("function:", StringComparison.Ordinal));
    }
}
