using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using Stratus.Core;
using Stratus.Protocol.Codecs;
using Stratus.Protocol.Pipeline;
using Stratus.S3.Metadata;
using Stratus.S3.Responses;

namespace Stratus.S3;

/// <summary>
/// Object Lock (write once, read many): a bucket made with <c>x-amz-bucket-object-lock-enabled</c>, or given an Object
/// Lock configuration once versioned, protects object versions by a retention (GOVERNANCE: only a caller allowed
/// <c>s3:BypassGovernanceRetention</c> who sends <c>x-amz-bypass-governance-retention: true</c> may shorten it or delete
/// the version; COMPLIANCE: nobody, until the date) and by a legal hold (until it is turned off). A new version takes the
/// lock of its request's headers, else the bucket's default retention. Deleting a key without a version id still adds
/// a delete marker, as in S3: only versions are protected.
/// </summary>
public sealed partial class S3Service
{
    private const string ProtectedMessage = "Access Denied because object protected by object lock.";

    private static readonly string[] LockModes = ["GOVERNANCE", "COMPLIANCE"];

    private void RegisterObjectLock()
    {
        Register<(string Bucket, Stream Body), HeadersResponse>(
            "PutObjectLockConfiguration",
            static input => (Label(input, "Bucket"), input.Body),
            (request, _) => OnBucket("s3:PutBucketObjectLockConfiguration", request.Bucket),
            async (request, _, cancellationToken) =>
            {
                var bucket = RequireBucket(request.Bucket);
                var settings = ParseLockConfiguration(await ReadConfigurationAsync(request.Body, "ObjectLockConfiguration", cancellationToken).ConfigureAwait(false));
                if (bucket.Versioning != VersioningEnabled)
                {
                    throw new AwsException("InvalidBucketState", "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration", 409);
                }

                await WriteSettingAsync(BucketSettingKeys.ObjectLock, request.Bucket, settings, BucketSettingsJsonContext.Default.ObjectLockSettings).ConfigureAwait(false);
                return new HeadersResponse(200);
            });
        Register<string, XmlResponse>(
            "GetObjectLockConfiguration",
            static input => Label(input, "Bucket"),
            (bucket, _) => OnBucket("s3:GetBucketObjectLockConfiguration", bucket),
            (bucket, _, _) =>
            {
                RequireBucket(bucket);
                var settings = FindObjectLock(bucket)
                    ?? throw new AwsException("ObjectLockConfigurationNotFoundError", "Object Lock configuration does not exist for this bucket", 404) { Details = [new("BucketName", bucket)] };
                return ValueTask.FromResult(new XmlResponse("ObjectLockConfiguration", w =>
                {
                    w.WriteElementString("ObjectLockEnabled", "Enabled");
                    if (settings.Mode is not null)
                    {
                        w.WriteStartElement("Rule");
                        w.WriteStartElement("DefaultRetention");
                        w.WriteElementString("Mode", settings.Mode);
                        w.WriteElementString(settings.Days is not null ? "Days" : "Years", (settings.Days ?? settings.Years ?? 0).ToString(CultureInfo.InvariantCulture));
                        w.WriteEndElement();
                        w.WriteEndElement();
                    }
                }));
            });
        Register<ObjectTaggingRequest, HeadersResponse>(
            "PutObjectRetention",
            static input => ObjectTaggingRequest.From(input),
            (request, _) => OnObjectVersion("s3:PutObjectRetention", "s3:PutObjectRetention", request.Bucket, request.Key, request.VersionId),
            async (request, context, cancellationToken) =>
            {
                var bucket = RequireLockedBucket(request.Bucket);
                var root = await ReadConfigurationAsync(request.Body, "Retention", cancellationToken).ConfigureAwait(false);
                var (mode, until) = ParseRetention(OnlyChild(root, "Mode"), OnlyChild(root, "RetainUntilDate"), fromBody: true);
                var bypass = MayBypassGovernance(context, request.Bucket, request.Key);
                var record = await UpdateVersionAsync(bucket, request.Key, request.VersionId, "PUT", r =>
                {
                    CheckRetentionChange(r.Lock, mode, until, bypass);
                    r.Lock = WithRetention(r.Lock, mode, until);
                }).ConfigureAwait(false);
                return new HeadersResponse(200, VersionHeaders(bucket, record));
            });
        Register<ObjectTaggingRequest, XmlResponse>(
            "GetObjectRetention",
            static input => ObjectTaggingRequest.From(input),
            (request, _) => OnObjectVersion("s3:GetObjectRetention", "s3:GetObjectRetention", request.Bucket, request.Key, request.VersionId),
            (request, _, _) =>
            {
                var bucket = RequireLockedBucket(request.Bucket);
                var record = ReadableVersion(bucket, request.Key, request.VersionId, "GET");
                if (record.Lock is not { Mode: { } mode, RetainUntil: { } until })
                {
                    throw NoObjectLock();
                }

                return ValueTask.FromResult(new XmlResponse("Retention", w =>
                {
                    w.WriteElementString("Mode", mode);
                    w.WriteElementString("RetainUntilDate", S3Xml.Timestamp(until));
                }));
            });
        Register<ObjectTaggingRequest, HeadersResponse>(
            "PutObjectLegalHold",
            static input => ObjectTaggingRequest.From(input),
            (request, _) => OnObjectVersion("s3:PutObjectLegalHold", "s3:PutObjectLegalHold", request.Bucket, request.Key, request.VersionId),
            async (request, _, cancellationToken) =>
            {
                var bucket = RequireLockedBucket(request.Bucket);
                var root = await ReadConfigurationAsync(request.Body, "LegalHold", cancellationToken).ConfigureAwait(false);
                var hold = OnlyChild(root, "Status") switch
                {
                    "ON" => true,
                    "OFF" => false,
                    _ => throw ProtocolErrors.MalformedXml("a LegalHold's Status is ON or OFF."),
                };
                var record = await UpdateVersionAsync(bucket, request.Key, request.VersionId, "PUT", r =>
                    r.Lock = new ObjectLock { Mode = r.Lock?.Mode, RetainUntil = r.Lock?.RetainUntil, LegalHold = hold }).ConfigureAwait(false);
                return new HeadersResponse(200, VersionHeaders(bucket, record));
            });
        Register<ObjectTaggingRequest, XmlResponse>(
            "GetObjectLegalHold",
            static input => ObjectTaggingRequest.From(input),
            (request, _) => OnObjectVersion("s3:GetObjectLegalHold", "s3:GetObjectLegalHold", request.Bucket, request.Key, request.VersionId),
            (request, _, _) =>
            {
                var bucket = RequireLockedBucket(request.Bucket);
                var record = ReadableVersion(bucket, request.Key, request.VersionId, "GET");
                var hold = record.Lock?.LegalHold ?? throw NoObjectLock();
                return ValueTask.FromResult(new XmlResponse("LegalHold", w => w.WriteElementString("Status", hold ? "ON" : "OFF")));
            });
    }

    private ObjectLockSettings? FindObjectLock(string bucket) =>
        ReadSetting(BucketSettingKeys.ObjectLock, bucket, BucketSettingsJsonContext.Default.ObjectLockSettings);

    private BucketRecord RequireLockedBucket(string name)
    {
        var bucket = RequireBucket(name);
        return FindObjectLock(name) is not null ? bucket : throw MissingLockConfiguration();
    }

    private static ObjectLockSettings ParseLockConfiguration(XElement root)
    {
        if (OnlyChild(root, "ObjectLockEnabled") != "Enabled")
        {
            throw ProtocolErrors.MalformedXml("ObjectLockEnabled must be Enabled.");
        }

        if (Element(root, "Rule") is not { } rule)
        {
            return new ObjectLockSettings();
        }

        var retention = Element(rule, "DefaultRetention") ?? throw ProtocolErrors.MalformedXml("a Rule holds a DefaultRetention.");
        var mode = OnlyChild(retention, "Mode");
        var days = OnlyChild(retention, "Days");
        var years = OnlyChild(retention, "Years");
        if (mode is null || !LockModes.Contains(mode, StringComparer.Ordinal) || (days is null) == (years is null))
        {
            throw ProtocolErrors.MalformedXml("a DefaultRetention has a Mode (GOVERNANCE or COMPLIANCE) and either Days or Years.");
        }

        var period = days ?? years!;
        if (!int.TryParse(period, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1 || value > (days is null ? 100 : 36500))
        {
            throw new AwsException("InvalidArgument", "Default retention period must be a positive integer value.", 400) { Details = [new("ArgumentName", days is null ? "Years" : "Days"), new("ArgumentValue", period)] };
        }

        return days is not null ? new ObjectLockSettings { Mode = mode, Days = value } : new ObjectLockSettings { Mode = mode, Years = value };
    }

    /// <summary>
    /// The lock a write's <c>x-amz-object-lock-*</c> headers ask for (PutObject, CopyObject, CreateMultipartUpload,
    /// a form upload's fields), checked as S3 checks them; null when they ask for none.
    /// </summary>
    private ObjectLock? RequestedLock(string bucket, IHeaderDictionary headers)
    {
        var mode = Header(headers, "x-amz-object-lock-mode");
        var until = Header(headers, "x-amz-object-lock-retain-until-date");
        var hold = Header(headers, "x-amz-object-lock-legal-hold");
        if (mode is null && until is null && hold is null)
        {
            return null;
        }

        if (FindObjectLock(bucket) is null)
        {
            throw MissingLockConfiguration();
        }

        if (hold is not (null or "ON" or "OFF"))
        {
            throw S3Errors.InvalidArgument("Legal Hold must be either of 'ON' or 'OFF'", "x-amz-object-lock-legal-hold", hold);
        }

        if ((mode is null) != (until is null))
        {
            throw S3Errors.InvalidArgument("x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied", mode is null ? "x-amz-object-lock-mode" : "x-amz-object-lock-retain-until-date", "");
        }

        var (parsedMode, parsedUntil) = ParseRetention(mode, until, fromBody: false);
        return new ObjectLock { Mode = parsedMode, RetainUntil = parsedUntil, LegalHold = hold is null ? null : hold == "ON" };
    }

    // A mode and a retain-until date, both or neither; the date an ISO 8601 date-time in the future. In a Retention
    // body a bad mode or date fails the schema (MalformedXML); in x-amz-object-lock-* headers it is InvalidArgument.
    private (string? Mode, long? Until) ParseRetention(string? mode, string? until, bool fromBody)
    {
        if (mode is null && until is null)
        {
            return (null, null);
        }

        if (mode is null || until is null)
        {
            throw ProtocolErrors.MalformedXml("a Retention needs both a Mode and a RetainUntilDate.");
        }

        if (!LockModes.Contains(mode, StringComparer.Ordinal))
        {
            throw fromBody ? ProtocolErrors.MalformedXml("a Retention's Mode is GOVERNANCE or COMPLIANCE.") : S3Errors.InvalidArgument("Unknown wormMode directive.", "x-amz-object-lock-mode", mode);
        }

        DateTimeOffset date;
        try
        {
            date = XmlConvert.ToDateTimeOffset(until.Trim());
        }
        catch (FormatException)
        {
            throw fromBody
                ? ProtocolErrors.MalformedXml("a Retention's RetainUntilDate is an ISO 8601 date-time.")
                : S3Errors.InvalidArgument("The retain until date must be provided in ISO 8601 format", "x-amz-object-lock-retain-until-date", until);
        }

        if (date <= _time.GetUtcNow())
        {
            throw S3Errors.InvalidArgument("The retain until date must be in the future!", fromBody ? "RetainUntilDate" : "x-amz-object-lock-retain-until-date", until);
        }

        return (mode, date.ToUnixTimeMilliseconds());
    }

    /// <summary>A new version with no retention of its own takes the bucket's default retention, counted from now.</summary>
    private void ApplyDefaultRetention(string bucket, ObjectRecord record)
    {
        if (record.Lock?.Mode is not null || FindObjectLock(bucket) is not { Mode: { } mode } settings)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var until = settings.Days is { } days ? now.AddDays(days) : now.AddYears(settings.Years ?? 0);
        record.Lock = new ObjectLock { Mode = mode, RetainUntil = until.ToUnixTimeMilliseconds(), LegalHold = record.Lock?.LegalHold };
    }

    /// <summary>
    /// A retention may be lengthened by anyone allowed to set it; shortened, removed or weakened (COMPLIANCE to
    /// GOVERNANCE) only while it is GOVERNANCE and with the bypass, never while it is an unexpired COMPLIANCE one.
    /// </summary>
    private void CheckRetentionChange(ObjectLock? current, string? mode, long? until, bool bypass)
    {
        if (current is not { Mode: { } currentMode, RetainUntil: { } currentUntil } || currentUntil <= _time.GetUtcNow().ToUnixTimeMilliseconds())
        {
            return;
        }

        var weaker = mode is null || until < currentUntil || (currentMode == "COMPLIANCE" && mode != "COMPLIANCE");
        if (weaker && (currentMode == "COMPLIANCE" || !bypass))
        {
            throw new AwsException("AccessDenied", ProtectedMessage, 403);
        }
    }

    private static ObjectLock? WithRetention(ObjectLock? current, string? mode, long? until) =>
        mode is null && current?.LegalHold is null ? null : new ObjectLock { Mode = mode, RetainUntil = until, LegalHold = current?.LegalHold };

    /// <summary>Refuses to delete a version a legal hold or an unexpired retention protects (GOVERNANCE may be bypassed).</summary>
    private void RequireUnprotected(ObjectRecord record, bool bypassGovernance)
    {
        if (record.Lock is not { } lockState)
        {
            return;
        }

        var retained = lockState.RetainUntil > _time.GetUtcNow().ToUnixTimeMilliseconds()
            && (lockState.Mode == "COMPLIANCE" || !bypassGovernance);
        if (lockState.LegalHold == true || retained)
        {
            throw new AwsException("AccessDenied", ProtectedMessage, 403);
        }
    }

    /// <summary>Whether the request asks to bypass GOVERNANCE retention and its caller may (<c>s3:BypassGovernanceRetention</c>).</summary>
    private bool MayBypassGovernance(RequestContext context, string bucket, string key) =>
        string.Equals(context.Http.Request.Headers["x-amz-bypass-governance-retention"].ToString(), "true", StringComparison.OrdinalIgnoreCase)
        && context.Authorize(OnBucket("s3:BypassGovernanceRetention", bucket, key)).Allowed;

    /// <summary>The <c>x-amz-object-lock-*</c> headers of GET and HEAD.</summary>
    private static void AddLockHeaders(List<KeyValuePair<string, string>> headers, ObjectRecord record)
    {
        if (record.Lock is { Mode: { } mode, RetainUntil: { } until })
        {
            headers.Add(new("x-amz-object-lock-mode", mode));
            headers.Add(new("x-amz-object-lock-retain-until-date", S3Xml.Timestamp(until)));
        }

        if (record.Lock?.LegalHold is { } hold)
        {
            headers.Add(new("x-amz-object-lock-legal-hold", hold ? "ON" : "OFF"));
        }
    }

    private static AwsException MissingLockConfiguration() =>
        new("InvalidRequest", "Bucket is missing Object Lock Configuration", 400);

    private static AwsException NoObjectLock() =>
        new("NoSuchObjectLockConfiguration", "The specified object does not have a ObjectLock configuration", 404);
}
