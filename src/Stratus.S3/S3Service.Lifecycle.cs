using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Stratus.Core;
using Stratus.Protocol.Pipeline;
using Stratus.S3.Metadata;
using Stratus.S3.Responses;

namespace Stratus.S3;

/// <summary>
/// Lifecycle configuration: up to 1,000 rules with unique IDs, a filter (prefix, tag, object size, or an And of them),
/// and actions (Expiration by days, date or expired delete markers, NoncurrentVersionExpiration,
/// AbortIncompleteMultipartUpload; transitions accepted and stored), validated as S3 does.
/// </summary>
public sealed partial class S3Service
{
    private const int MaxLifecycleRules = 1000;
    private const string TransitionMinimumSizeHeader = "x-amz-transition-default-minimum-object-size";

    private static readonly string[] TransitionStorageClasses = ["GLACIER", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "DEEP_ARCHIVE", "GLACIER_IR"];

    private void RegisterLifecycle()
    {
        Register<(string Bucket, Stream Body, string? MinimumSize), HeadersResponse>(
            "PutBucketLifecycleConfiguration",
            static input => (Label(input, "Bucket"), input.Body, input.Headers[TransitionMinimumSizeHeader].ToString() is { Length: > 0 } size ? size : null),
            (request, _) => OnBucket("s3:PutLifecycleConfiguration", request.Bucket),
            async (request, _, cancellationToken) =>
            {
                RequireBucket(request.Bucket);
                if (request.MinimumSize is not (null or "all_storage_classes_128K" or "varies_by_storage_class"))
                {
                    throw S3Errors.InvalidArgument("Invalid value for x-amz-transition-default-minimum-object-size.", TransitionMinimumSizeHeader, request.MinimumSize);
                }

                var root = await ReadConfigurationAsync(request.Body, "LifecycleConfiguration", cancellationToken).ConfigureAwait(false);
                var rules = ParseLifecycle(root);
                await WriteSettingAsync(BucketSettingKeys.Lifecycle, request.Bucket, rules, BucketSettingsJsonContext.Default.ListLifecycleRule).ConfigureAwait(false);
                return new HeadersResponse(200, new KeyValuePair<string, string>(TransitionMinimumSizeHeader, request.MinimumSize ?? "all_storage_classes_128K"));
            });
        Register<string, XmlResponse>(
            "GetBucketLifecycleConfiguration",
            static input => Label(input, "Bucket"),
            (bucket, _) => OnBucket("s3:GetLifecycleConfiguration", bucket),
            (bucket, _, _) =>
            {
                RequireBucket(bucket);
                var rules = FindLifecycle(bucket)
                    ?? throw new AwsException("NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist", 404) { Details = [new("BucketName", bucket)] };
                return ValueTask.FromResult(new XmlResponse("LifecycleConfiguration", w =>
                {
                    foreach (var rule in rules)
                    {
                        WriteLifecycleRule(w, rule);
                    }
                })
                { Headers = [new(TransitionMinimumSizeHeader, "all_storage_classes_128K")] });
            });
        Register<string, HeadersResponse>(
            "DeleteBucketLifecycle",
            static input => Label(input, "Bucket"),
            (bucket, _) => OnBucket("s3:PutLifecycleConfiguration", bucket),
            async (bucket, _, _) =>
            {
                RequireBucket(bucket);
                await DeleteSettingAsync(BucketSettingKeys.Lifecycle, bucket).ConfigureAwait(false);
                return new HeadersResponse(204);
            });
    }

    private List<LifecycleRule>? FindLifecycle(string bucket) =>
        ReadSetting(BucketSettingKeys.Lifecycle, bucket, BucketSettingsJsonContext.Default.ListLifecycleRule);

    private static List<LifecycleRule> ParseLifecycle(XElement root)
    {
        var elements = Elements(root, "Rule").ToList();
        if (elements.Count == 0)
        {
            throw ProtocolErrors.MalformedXml("a LifecycleConfiguration needs at least one Rule.");
        }

        if (elements.Count > MaxLifecycleRules)
        {
            throw ProtocolErrors.MalformedXml($"a LifecycleConfiguration holds at most {MaxLifecycleRules} rules.");
        }

        var rules = new List<LifecycleRule>();
        foreach (var element in elements)
        {
            var rule = ParseLifecycleRule(element);
            if (rules.Any(r => r.Id == rule.Id))
            {
                throw S3Errors.InvalidArgument("Rule ID must be unique. Found same ID for more than one rule", "ID", rule.Id);
            }

            rules.Add(rule);
        }

        return rules;
    }

    private static LifecycleRule ParseLifecycleRule(XElement element)
    {
        var id = Element(element, "ID")?.Value;
        if (id is { Length: > 255 })
        {
            throw S3Errors.InvalidArgument("ID length should not exceed allowed limit of 255", "ID", id);
        }

        id = string.IsNullOrEmpty(id) ? Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=') : id;
        var status = Element(element, "Status")?.Value;
        if (status is not ("Enabled" or "Disabled"))
        {
            throw ProtocolErrors.MalformedXml("every Rule needs a Status of Enabled or Disabled.");
        }

        var legacyPrefix = Element(element, "Prefix")?.Value;
        var filter = Element(element, "Filter");
        if ((legacyPrefix is null) == (filter is null))
        {
            throw ProtocolErrors.MalformedXml("every Rule needs exactly one of Filter and Prefix.");
        }

        string? kind = null;
        string? prefix = null;
        List<LifecycleTag>? tags = null;
        long? greater = null;
        long? less = null;
        if (filter is not null)
        {
            var predicates = filter.Elements().ToList();
            if (predicates.Count > 1)
            {
                throw ProtocolErrors.MalformedXml("a Filter holds one of Prefix, Tag, ObjectSizeGreaterThan, ObjectSizeLessThan or And.");
            }

            var predicate = predicates.Count == 0 ? null : predicates[0];
            kind = predicate?.Name.LocalName ?? "";
            var scope = kind == "And" ? predicate! : filter;
            if (kind is not ("" or "Prefix" or "Tag" or "ObjectSizeGreaterThan" or "ObjectSizeLessThan" or "And"))
            {
                throw ProtocolErrors.MalformedXml($"unexpected {kind} in a Filter.");
            }

            prefix = Element(scope, "Prefix")?.Value;
            var tagElements = Elements(scope, "Tag").ToList();
            tags = tagElements.Count == 0 ? null : tagElements.Select(ParseLifecycleTag).ToList();
            if (tags is not null && tags.Select(t => t.Key).Distinct(StringComparer.Ordinal).Count() != tags.Count)
            {
                throw S3Errors.InvalidArgument("Duplicate Tag Keys are not allowed.", "Tag", tags[0].Key);
            }

            greater = SizeOf(scope, "ObjectSizeGreaterThan");
            less = SizeOf(scope, "ObjectSizeLessThan");
            if (greater is { } g && less is { } l && g >= l)
            {
                throw S3Errors.InvalidArgument("ObjectSizeLessThan must be greater than ObjectSizeGreaterThan", "ObjectSizeLessThan", l.ToString(CultureInfo.InvariantCulture));
            }
        }

        int? expirationDays = null;
        long? expirationDate = null;
        bool? expiredMarker = null;
        if (Element(element, "Expiration") is { } expiration)
        {
            expirationDays = PositiveDays(expiration, "Days", "'Days' for Expiration action must be a positive integer");
            expirationDate = MidnightDate(expiration, "Date");
            var marker = Element(expiration, "ExpiredObjectDeleteMarker")?.Value.Trim();
            expiredMarker = marker switch
            {
                null => null,
                "true" => true,
                "false" => false,
                _ => throw ProtocolErrors.MalformedXml("ExpiredObjectDeleteMarker must be true or false."),
            };
            if ((expirationDays is null ? 0 : 1) + (expirationDate is null ? 0 : 1) + (expiredMarker is null ? 0 : 1) != 1)
            {
                throw ProtocolErrors.MalformedXml("an Expiration holds exactly one of Days, Date and ExpiredObjectDeleteMarker.");
            }

            if (expiredMarker is not null && tags is not null)
            {
                throw new AwsException("InvalidRequest", "ExpiredObjectDeleteMarker cannot be specified with tags.", 400);
            }
        }

        int? noncurrentDays = null;
        int? newerVersions = null;
        if (Element(element, "NoncurrentVersionExpiration") is { } noncurrent)
        {
            noncurrentDays = PositiveDays(noncurrent, "NoncurrentDays", "'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer")
                ?? throw ProtocolErrors.MalformedXml("NoncurrentVersionExpiration needs NoncurrentDays.");
            newerVersions = NewerVersions(noncurrent);
        }

        int? abortDays = null;
        if (Element(element, "AbortIncompleteMultipartUpload") is { } abort)
        {
            abortDays = PositiveDays(abort, "DaysAfterInitiation", "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer")
                ?? throw ProtocolErrors.MalformedXml("AbortIncompleteMultipartUpload needs DaysAfterInitiation.");
            if (tags is not null || greater is not null || less is not null)
            {
                throw new AwsException("InvalidRequest", "AbortIncompleteMultipartUpload cannot be specified with Tags or object size filters.", 400);
            }
        }

        var transitions = Elements(element, "Transition").Select(t => ParseTransition(t, noncurrent: false)).ToList();
        var noncurrentTransitions = Elements(element, "NoncurrentVersionTransition").Select(t => ParseTransition(t, noncurrent: true)).ToList();
        if (expirationDays is { } days && transitions.Any(t => t.Days >= days))
        {
            throw S3Errors.InvalidArgument("'Days' in the Expiration action for filter must be greater than 'Days' in the Transition action", "Expiration", days.ToString(CultureInfo.InvariantCulture));
        }

        if (expirationDays is null && expirationDate is null && expiredMarker is null && noncurrentDays is null && abortDays is null
            && transitions.Count == 0 && noncurrentTransitions.Count == 0)
        {
            throw new AwsException("InvalidRequest", "At least one action needs to be specified in a rule", 400);
        }

        return new LifecycleRule
        {
            Id = id,
            Status = status,
            LegacyPrefix = legacyPrefix,
            FilterKind = kind,
            Prefix = prefix,
            Tags = tags,
            ObjectSizeGreaterThan = greater,
            ObjectSizeLessThan = less,
            ExpirationDays = expirationDays,
            ExpirationDate = expirationDate,
            ExpiredObjectDeleteMarker = expiredMarker,
            Transitions = transitions.Count > 0 ? transitions : null,
            NoncurrentVersionTransitions = noncurrentTransitions.Count > 0 ? noncurrentTransitions : null,
            NoncurrentDays = noncurrentDays,
            NewerNoncurrentVersions = newerVersions,
            AbortIncompleteMultipartUploadDays = abortDays,
        };
    }

    private static LifecycleTag ParseLifecycleTag(XElement tag)
    {
        var key = Element(tag, "Key")?.Value ?? throw ProtocolErrors.MalformedXml("every Tag needs a Key.");
        var value = Element(tag, "Value")?.Value ?? throw ProtocolErrors.MalformedXml("every Tag needs a Value.");
        if (key.Length is 0 or > 128 || value.Length > 256)
        {
            throw new AwsException("InvalidTag", key.Length > 128 ? "The TagKey you have provided is too long, max 128" : value.Length > 256 ? "The TagValue you have provided is too long, max 256" : "The TagKey you have provided is invalid", 400);
        }

        return new LifecycleTag { Key = key, Value = value };
    }

    private static LifecycleTransition ParseTransition(XElement element, bool noncurrent)
    {
        var storageClass = Element(element, "StorageClass")?.Value;
        if (storageClass is null || !TransitionStorageClasses.Contains(storageClass, StringComparer.Ordinal))
        {
            throw ProtocolErrors.MalformedXml("a transition needs a StorageClass of " + string.Join(", ", TransitionStorageClasses) + ".");
        }

        var daysName = noncurrent ? "NoncurrentDays" : "Days";
        var days = Element(element, daysName) is { } daysElement ? Integer(daysElement.Value, daysName) : (int?)null;
        if (days < 0)
        {
            throw S3Errors.InvalidArgument($"'{daysName}' in Transition action must be nonnegative", daysName, days.Value.ToString(CultureInfo.InvariantCulture));
        }

        var date = noncurrent ? null : MidnightDate(element, "Date");
        if ((days is null) == (date is null))
        {
            throw ProtocolErrors.MalformedXml($"a transition holds exactly one of {daysName} and Date.");
        }

        if (days < 30 && storageClass is "STANDARD_IA" or "ONEZONE_IA")
        {
            throw S3Errors.InvalidArgument($"'{daysName}' in Transition action must be greater than or equal to 30 for storageClass '{storageClass}'", daysName, days.Value.ToString(CultureInfo.InvariantCulture));
        }

        return new LifecycleTransition { Days = days, Date = date, StorageClass = storageClass, NewerNoncurrentVersions = noncurrent ? NewerVersions(element) : null };
    }

    private static int? NewerVersions(XElement element)
    {
        if (Element(element, "NewerNoncurrentVersions") is not { } newer)
        {
            return null;
        }

        var count = Integer(newer.Value, "NewerNoncurrentVersions");
        return count is >= 1 and <= 100
            ? count
            : throw S3Errors.InvalidArgument("'NewerNoncurrentVersions' must be between 1 and 100", "NewerNoncurrentVersions", newer.Value);
    }

    private static int? PositiveDays(XElement parent, string name, string message)
    {
        if (Element(parent, name) is not { } element)
        {
            return null;
        }

        var days = Integer(element.Value, name);
        return days > 0 ? days : throw S3Errors.InvalidArgument(message, name, element.Value);
    }

    private static int Integer(string text, string name) =>
        int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw ProtocolErrors.MalformedXml($"{name} must be an integer.");

    private static long? SizeOf(XElement scope, string name)
    {
        if (Element(scope, name) is not { } element)
        {
            return null;
        }

        return long.TryParse(element.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            ? size
            : throw S3Errors.InvalidArgument($"{name} must be a nonnegative integer", name, element.Value);
    }

    // S3 takes lifecycle dates only at midnight UTC.
    private static long? MidnightDate(XElement parent, string name)
    {
        if (Element(parent, name) is not { } element)
        {
            return null;
        }

        if (!DateTimeOffset.TryParse(element.Value.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date))
        {
            throw ProtocolErrors.MalformedXml($"{name} must be an ISO 8601 date.");
        }

        return date.TimeOfDay == TimeSpan.Zero
            ? date.ToUnixTimeMilliseconds()
            : throw S3Errors.InvalidArgument("'Date' must be at midnight GMT", name, element.Value);
    }

    private static void WriteLifecycleRule(XmlWriter w, LifecycleRule rule)
    {
        w.WriteStartElement("Rule");
        w.WriteElementString("ID", rule.Id);
        if (rule.LegacyPrefix is not null)
        {
            w.WriteElementString("Prefix", rule.LegacyPrefix);
        }
        else
        {
            w.WriteStartElement("Filter");
            if (rule.FilterKind == "And")
            {
                w.WriteStartElement("And");
            }

            if (rule.Prefix is not null)
            {
                w.WriteElementString("Prefix", rule.Prefix);
            }

            foreach (var tag in rule.Tags ?? [])
            {
                w.WriteStartElement("Tag");
                w.WriteElementString("Key", tag.Key);
                w.WriteElementString("Value", tag.Value);
                w.WriteEndElement();
            }

            if (rule.ObjectSizeGreaterThan is { } greater)
            {
                w.WriteElementString("ObjectSizeGreaterThan", greater.ToString(CultureInfo.InvariantCulture));
            }

            if (rule.ObjectSizeLessThan is { } less)
            {
                w.WriteElementString("ObjectSizeLessThan", less.ToString(CultureInfo.InvariantCulture));
            }

            if (rule.FilterKind == "And")
            {
                w.WriteEndElement();
            }

            w.WriteEndElement();
        }

        w.WriteElementString("Status", rule.Status);
        if (rule.ExpirationDays is not null || rule.ExpirationDate is not null || rule.ExpiredObjectDeleteMarker is not null)
        {
            w.WriteStartElement("Expiration");
            WriteOptional(w, "Days", rule.ExpirationDays);
            if (rule.ExpirationDate is { } date)
            {
                w.WriteElementString("Date", S3Xml.Timestamp(date));
            }

            if (rule.ExpiredObjectDeleteMarker is { } marker)
            {
                w.WriteElementString("ExpiredObjectDeleteMarker", Bool(marker));
            }

            w.WriteEndElement();
        }

        foreach (var transition in rule.Transitions ?? [])
        {
            w.WriteStartElement("Transition");
            WriteOptional(w, "Days", transition.Days);
            if (transition.Date is { } date)
            {
                w.WriteElementString("Date", S3Xml.Timestamp(date));
            }

            w.WriteElementString("StorageClass", transition.StorageClass);
            w.WriteEndElement();
        }

        foreach (var transition in rule.NoncurrentVersionTransitions ?? [])
        {
            w.WriteStartElement("NoncurrentVersionTransition");
            WriteOptional(w, "NoncurrentDays", transition.Days);
            w.WriteElementString("StorageClass", transition.StorageClass);
            WriteOptional(w, "NewerNoncurrentVersions", transition.NewerNoncurrentVersions);
            w.WriteEndElement();
        }

        if (rule.NoncurrentDays is not null)
        {
            w.WriteStartElement("NoncurrentVersionExpiration");
            WriteOptional(w, "NoncurrentDays", rule.NoncurrentDays);
            WriteOptional(w, "NewerNoncurrentVersions", rule.NewerNoncurrentVersions);
            w.WriteEndElement();
        }

        if (rule.AbortIncompleteMultipartUploadDays is not null)
        {
            w.WriteStartElement("AbortIncompleteMultipartUpload");
            WriteOptional(w, "DaysAfterInitiation", rule.AbortIncompleteMultipartUploadDays);
            w.WriteEndElement();
        }

        w.WriteEndElement();
    }

    private static void WriteOptional(XmlWriter w, string name, int? value)
    {
        if (value is { } number)
        {
            w.WriteElementString(name, number.ToString(CultureInfo.InvariantCulture));
        }
    }
}
