using System.Text;
using System.Text.Json;
using Stratus.Core;
using Stratus.S3.Metadata;
using Stratus.Storage.Lsm;

namespace Stratus.S3;

/// <summary>
/// Applying the lifecycle rules on the server clock (the <see cref="LifecycleWorker"/> calls this): current-version
/// Expiration (days or date), NoncurrentVersionExpiration, ExpiredObjectDeleteMarker and AbortIncompleteMultipartUpload,
/// for enabled rules whose prefix and size filters match.
/// Due times follow S3: creation (or initiation) time plus the days, rounded up to the next midnight UTC.
/// </summary>
public sealed partial class S3Service
{
    private static readonly byte[] LifecyclePrefix = Encoding.UTF8.GetBytes("s3/cfg/" + BucketSettingKeys.Lifecycle + "/");

    /// <summary>One pass over every bucket with a lifecycle configuration; returns what it expired and aborted.</summary>
    public async Task<LifecyclePass> ApplyLifecycleAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var buckets = new List<string>();
        using (var iterator = _kv.NewIterator(ReadOptions.ForPrefix(LifecyclePrefix)))
        {
            for (iterator.SeekToFirst(); iterator.Valid; iterator.Next())
            {
                buckets.Add(Encoding.UTF8.GetString(iterator.Key[LifecyclePrefix.Length..]));
            }
        }

        int expired = 0, aborted = 0;
        foreach (var bucket in buckets)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // Deletions are made as the bucket's owner (in a versioned bucket, expiring the current version leaves a
            // delete marker, as in S3); a bucket deleted since the scan has nothing left to expire.
            if (FindBucket(bucket)?.Owner is not { } owner)
            {
                continue;
            }

            foreach (var rule in FindLifecycle(bucket) ?? [])
            {
                if (rule.Status != "Enabled")
                {
                    continue;
                }

                if (rule.ExpirationDays is not null || rule.ExpirationDate is not null)
                {
                    foreach (var key in ExpiredKeys(bucket, rule, now))
                    {
                        await DeleteObjectAsync(bucket, key, versionId: null, owner).ConfigureAwait(false);
                        expired++;
                    }
                }

                if (rule.NoncurrentDays is not null || rule.ExpiredObjectDeleteMarker == true)
                {
                    foreach (var (key, versionId) in ExpiredVersions(bucket, rule, now))
                    {
                        try
                        {
                            await DeleteObjectAsync(bucket, key, versionId, owner).ConfigureAwait(false);
                            expired++;
                        }
                        catch (AwsException error) when (error.Code == "AccessDenied")
                        {
                            // Object Lock protects the version (a retention or a legal hold): S3's lifecycle leaves it too.
                        }
                    }
                }

                if (rule.AbortIncompleteMultipartUploadDays is { } days)
                {
                    foreach (var upload in StaleUploads(bucket, rule.KeyPrefix, days, now))
                    {
                        // What AbortMultipartUpload does (unless it was completed or aborted since the scan).
                        if (await RemoveUploadAsync(upload.Bucket, upload.Key, upload.UploadId).ConfigureAwait(false))
                        {
                            aborted++;
                        }
                    }
                }
            }
        }

        return new LifecyclePass(now, expired, aborted);
    }

    /// <summary>
    /// Whether a rule's filter takes a version: its size within the rule's bounds and, for a rule with tags, every one of
    /// them (key and value) among the version's own tags. (The key prefix is applied by the scan.)
    /// </summary>
    private static bool Filters(LifecycleRule rule, ObjectRecord record)
    {
        if ((rule.ObjectSizeGreaterThan is { } greater && record.Size <= greater) || (rule.ObjectSizeLessThan is { } less && record.Size >= less))
        {
            return false;
        }

        foreach (var tag in rule.Tags ?? [])
        {
            if (record.Tags is null || !record.Tags.TryGetValue(tag.Key, out var value) || value != tag.Value)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>When something created at <paramref name="created"/> is due under a rule of <paramref name="days"/> days: rounded up to midnight UTC.</summary>
    public static DateTimeOffset DueAt(DateTimeOffset created, int days)
    {
        var due = created.ToUniversalTime().AddDays(days);
        return due.TimeOfDay == TimeSpan.Zero ? due : new DateTimeOffset(due.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
    }

    private List<string> ExpiredKeys(string bucket, LifecycleRule rule, DateTimeOffset now)
    {
        var keys = new List<string>();
        if (rule.ExpirationDate is { } date && DateTimeOffset.FromUnixTimeMilliseconds(date) > now)
        {
            return keys;
        }

        var prefixLength = S3Keys.ObjectPrefix(bucket).Length;
        using var iterator = _kv.NewIterator(ReadOptions.ForPrefix(S3Keys.Object(bucket, rule.KeyPrefix)));
        for (iterator.SeekToFirst(); iterator.Valid; iterator.Next())
        {
            var record = JsonSerializer.Deserialize(iterator.Value, S3JsonContext.Default.ObjectRecord)!;
            if (!Filters(rule, record))
            {
                continue;
            }

            if (rule.ExpirationDays is { } days && DueAt(DateTimeOffset.FromUnixTimeMilliseconds(record.LastModified), days) > now)
            {
                continue;
            }

            keys.Add(S3Keys.KeyOf(iterator.Key, prefixLength));
        }

        return keys;
    }

    /// <summary>
    /// Versions a rule removes for good: noncurrent versions <c>NoncurrentDays</c> after they became noncurrent (when the
    /// version above them was written), keeping the <c>NewerNoncurrentVersions</c> newest; and, with
    /// <c>ExpiredObjectDeleteMarker</c>, a delete marker that is the only version left of its key.
    /// </summary>
    private List<(string Key, string VersionId)> ExpiredVersions(string bucket, LifecycleRule rule, DateTimeOffset now)
    {
        var expired = new List<(string, string)>();
        var prefixLength = S3Keys.VersionPrefix(bucket).Length;
        string? currentKey = null;
        ObjectRecord? latest = null;
        var versions = 0;
        var noncurrentIndex = 0;
        long successorWritten = 0;

        void FinishKey()
        {
            if (rule.ExpiredObjectDeleteMarker == true && versions == 1 && latest is { DeleteMarker: true })
            {
                expired.Add((currentKey!, latest.VersionIdText));
            }
        }

        using var iterator = _kv.NewIterator(ReadOptions.ForPrefix(S3Keys.EscapedKeyPrefix(bucket, rule.KeyPrefix)));
        for (iterator.SeekToFirst(); iterator.Valid; iterator.Next())
        {
            var key = S3Keys.KeyOfVersion(iterator.Key, prefixLength);
            var record = JsonSerializer.Deserialize(iterator.Value, S3JsonContext.Default.ObjectRecord)!;
            if (key != currentKey)
            {
                if (currentKey is not null)
                {
                    FinishKey();
                }

                // Newest first within a key: the first entry is the current version (or a delete marker).
                (currentKey, latest, versions, noncurrentIndex, successorWritten) = (key, record, 1, 0, record.LastModified);
                continue;
            }

            versions++;
            noncurrentIndex++;
            var becameNoncurrent = successorWritten;
            successorWritten = record.LastModified;
            if (rule.NoncurrentDays is not { } days
                || (rule.NewerNoncurrentVersions is { } keep && noncurrentIndex <= keep)
                || (record.DeleteMarker ? rule.Tags is not null : !Filters(rule, record)))
            {
                continue;
            }

            if (DueAt(DateTimeOffset.FromUnixTimeMilliseconds(becameNoncurrent), days) <= now)
            {
                expired.Add((key, record.VersionIdText));
            }
        }

        if (currentKey is not null)
        {
            FinishKey();
        }

        return expired;
    }

    private List<UploadRecord> StaleUploads(string bucket, string prefix, int days, DateTimeOffset now)
    {
        return UploadsOf(bucket, prefix).Where(upload => DueAt(DateTimeOffset.FromUnixTimeMilliseconds(upload.Initiated), days) <= now).ToList();
    }
}
