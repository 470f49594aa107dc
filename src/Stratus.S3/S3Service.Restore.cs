using System.Globalization;
using Stratus.Core;
using Stratus.Protocol.Codecs;
using Stratus.Protocol.Pipeline;
using Stratus.S3.Metadata;
using Stratus.S3.Responses;

namespace Stratus.S3;

/// <summary>
/// The archive storage classes: an object stored as GLACIER or DEEP_ARCHIVE cannot be read (GET, or the source of a
/// copy) until RestoreObject makes a temporary copy readable for a number of days, as in S3. Stratus keeps every byte
/// on its own disks, so a restore completes at once (<c>ongoing-request="false"</c>) instead of after hours; the
/// readable copy lasts until the next midnight UTC after its days, on the server clock, like S3's.
/// </summary>
public sealed partial class S3Service
{
    private void RegisterRestore() =>
        Register<ObjectTaggingRequest, HeadersResponse>(
            "RestoreObject",
            static input => ObjectTaggingRequest.From(input),
            (request, _) => OnObjectVersion("s3:RestoreObject", "s3:RestoreObject", request.Bucket, request.Key, request.VersionId),
            async (request, _, cancellationToken) =>
            {
                var bucket = RequireBucket(request.Bucket);
                var days = RestoreDays(await SafeXml.LoadAsync(request.Body, cancellationToken).ConfigureAwait(false));
                var now = _time.GetUtcNow();
                var restoredBefore = false;
                var record = await UpdateVersionAsync(bucket, request.Key, request.VersionId, "POST", r =>
                {
                    if (!IsArchiveClass(r.StorageClass))
                    {
                        throw InvalidObjectState(r.StorageClass, "Restore is not allowed for the object's current storage class");
                    }

                    // Restoring a restored object again sets its expiry from now, and answers 200 instead of 202.
                    restoredBefore = r.RestoredUntil > now.ToUnixTimeMilliseconds();
                    // Days runs to 2^31 - 1, past the calendar: a copy restored for over 2,000,000 days (5,000 years) stays.
                    r.RestoredUntil = DueAt(now, Math.Min(days, 2_000_000)).ToUnixTimeMilliseconds();
                }).ConfigureAwait(false);
                return new HeadersResponse(restoredBefore ? 200 : 202, VersionHeaders(bucket, record));
            });

    /// <summary>The days of a RestoreRequest (1 or more), which S3 requires to restore an archived object.</summary>
    private static int RestoreDays(System.Xml.Linq.XDocument document)
    {
        var root = document.Root!;
        if (root.Name.LocalName != "RestoreRequest")
        {
            throw ProtocolErrors.MalformedXml($"expected RestoreRequest, found {root.Name.LocalName}.");
        }

        if (root.Elements().Any(e => e.Name.LocalName is "Type" or "SelectParameters" or "OutputLocation"))
        {
            throw new AwsException("NotImplemented", "A restore with S3 Select (Type SELECT) is not implemented.", 501, ErrorFault.Receiver);
        }

        var tier = root.Elements().FirstOrDefault(e => e.Name.LocalName == "GlacierJobParameters")?.Elements().FirstOrDefault(e => e.Name.LocalName == "Tier")?.Value
            ?? root.Elements().FirstOrDefault(e => e.Name.LocalName == "Tier")?.Value;
        if (tier is not (null or "Standard" or "Bulk" or "Expedited"))
        {
            throw ProtocolErrors.MalformedXml($"the Tier must be Standard, Bulk or Expedited, not '{tier}'.");
        }

        var daysText = OnlyChild(root, "Days");
        if (daysText is null || !int.TryParse(daysText, NumberStyles.None, CultureInfo.InvariantCulture, out var days))
        {
            throw ProtocolErrors.MalformedXml("a RestoreRequest for an archived object needs Days, a whole number of days.");
        }

        return days >= 1 ? days : throw S3Errors.InvalidArgument("Days must be at least 1.", "Days", daysText);
    }

    private static bool IsArchiveClass(string storageClass) => storageClass is "GLACIER" or "DEEP_ARCHIVE";

    /// <summary>Whether a version's bytes cannot be read now: an archive class with no restored copy that is still current.</summary>
    private bool IsArchived(ObjectRecord record) =>
        IsArchiveClass(record.StorageClass) && !(record.RestoredUntil > _time.GetUtcNow().ToUnixTimeMilliseconds());

    /// <summary>Refuses to read an archived version's bytes (GET, a copy's source): 403 InvalidObjectState.</summary>
    private void RequireReadable(ObjectRecord record)
    {
        if (IsArchived(record))
        {
            throw InvalidObjectState(record.StorageClass, "The operation is not valid for the object's storage class");
        }
    }

    /// <summary><c>x-amz-restore</c> while a restored copy is readable.</summary>
    private void AddRestoreHeader(List<KeyValuePair<string, string>> headers, ObjectRecord record)
    {
        if (record.RestoredUntil is { } until && until > _time.GetUtcNow().ToUnixTimeMilliseconds())
        {
            headers.Add(new("x-amz-restore", $"ongoing-request=\"false\", expiry-date=\"{S3Xml.HttpDate(until)}\""));
        }
    }

    private static AwsException InvalidObjectState(string storageClass, string message) =>
        new("InvalidObjectState", message, 403) { Details = [new("StorageClass", storageClass)] };
}
