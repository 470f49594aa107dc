using Stratus.S3.Metadata;
using Stratus.Storage.Lsm;

namespace Stratus.S3;

/// <summary>Brings metadata written by an older Stratus up to the current layout, once, at start-up.</summary>
public sealed partial class S3Service
{
    private const int UpgradeBatch = 512;

    /// <summary>
    /// Gives every object record written before versioning existed its version stamp and its entry in the versions range
    /// (as the null version it is), so listings of versions and versioned writes see it. Runs once per data directory;
    /// returns how many records it upgraded.
    /// </summary>
    public async Task<int> UpgradeRecordsAsync()
    {
        if (_kv.ContainsKey(S3Keys.VersionsUpgraded))
        {
            return 0;
        }

        var upgraded = 0;
        byte[]? resumeAfter = null;
        while (true)
        {
            var legacy = new List<(byte[] Key, byte[] Value, ObjectRecord Record)>();
            byte[]? last = null;
            using (var iterator = _kv.NewIterator(ReadOptions.ForPrefix(S3Keys.AllObjectsPrefix)))
            {
                if (resumeAfter is null)
                {
                    iterator.SeekToFirst();
                }
                else
                {
                    iterator.Seek(resumeAfter);
                    if (iterator.Valid && iterator.Key.SequenceEqual(resumeAfter))
                    {
                        iterator.Next();
                    }
                }

                for (var seen = 0; iterator.Valid && seen < UpgradeBatch; iterator.Next(), seen++)
                {
                    last = iterator.Key.ToArray();
                    var record = ReadRecord(iterator.Value);
                    if (record.Stamp is null)
                    {
                        legacy.Add((last, iterator.Value.ToArray(), record));
                    }
                }
            }

            if (last is null)
            {
                break;
            }

            var batch = new WriteBatch();
            var condition = new WriteCondition();
            foreach (var (key, value, record) in legacy)
            {
                // s3/o/{bucket}/{key}: bucket names hold no '/'.
                var bucket = System.Text.Encoding.UTF8.GetString(key.AsSpan(S3Keys.AllObjectsPrefix.Length)).Split('/', 2)[0];
                record.Stamp = VersionIds.New(DateTimeOffset.FromUnixTimeMilliseconds(record.LastModified), null);
                var bytes = RecordBytes(record);
                batch.Put(key, bytes).Put(S3Keys.Version(bucket, record.Key, record.Stamp), bytes);
                condition.ValueEquals(key, value);
            }

            if (legacy.Count > 0 && !await _kv.WriteAsync(batch, condition).ConfigureAwait(false))
            {
                continue; // a request changed one of them meanwhile: look at this batch again
            }

            upgraded += legacy.Count;
            resumeAfter = last;
        }

        await _kv.WriteAsync(new WriteBatch().Put(S3Keys.VersionsUpgraded, "1"u8)).ConfigureAwait(false);
        return upgraded;
    }
}
