using System.Text;

namespace Stratus.S3.Metadata;

/// <summary>
/// Where S3 keeps its metadata in the shared LSM engine. Bucket names cannot contain '/', so each bucket's objects are one
/// contiguous key range in UTF-8 binary order, which is the order ListObjects answers in.
/// <list type="bullet">
/// <item><c>s3/b/{bucket}</c> → <see cref="BucketRecord"/></item>
/// <item><c>s3/o/{bucket}/{key}</c> → <see cref="ObjectRecord"/> of the key's current version, absent when the key has
/// none or its latest version is a delete marker: ListObjects scans exactly the live objects</item>
/// <item><c>s3/v/{bucket}/{escaped key}\0\0{stamp}</c> → <see cref="ObjectRecord"/> of every version and delete marker
/// (the current one too, byte-identical to its <c>s3/o</c> copy), newest first within a key (<see cref="VersionIds"/>);
/// in the key, each 0 byte is written 0 1, so <c>\0\0</c> ends it and the order of keys is kept</item>
/// <item><c>s3/policy/{bucket}</c> → the bucket policy, as the JSON text the client sent</item>
/// <item><c>s3/tags/{bucket}</c> → the bucket's tags, form-encoded</item>
/// <item><c>s3/r/{objectId}</c> → that shard set's manifest: it is referenced (orphan cleanup asks), and the scrubber walks these</item>
/// <item><c>s3/u/{bucket}/{key}\0{uploadId}</c> → <see cref="UploadRecord"/>, in key order for ListMultipartUploads</item>
/// <item><c>s3/p/{uploadId}/{partNumber:00000}</c> → <see cref="ObjectPart"/> of an upload in progress</item>
/// </list>
/// </summary>
internal static class S3Keys
{
    public static readonly byte[] BucketPrefix = "s3/b/"u8.ToArray();

    public static byte[] Bucket(string bucket) => Concat(BucketPrefix, bucket, null);

    public static byte[] Policy(string bucket) => Concat("s3/policy/"u8, bucket, null);

    public static byte[] Tags(string bucket) => Concat("s3/tags/"u8, bucket, null);

    public static byte[] ObjectPrefix(string bucket) => Concat("s3/o/"u8, bucket, "/");

    public static byte[] Object(string bucket, string key) => Concat(ObjectPrefix(bucket), key, null);

    public static byte[] VersionPrefix(string bucket) => Concat("s3/v/"u8, bucket, "/");

    /// <summary>The prefix of every version of <paramref name="key"/>, and of nothing else.</summary>
    public static byte[] VersionsOf(string bucket, string key)
    {
        var escaped = EscapedKeyPrefix(bucket, key);
        var bytes = new byte[escaped.Length + 2];
        escaped.CopyTo(bytes, 0);
        return bytes;
    }

    /// <summary>The prefix of the versions of every key that starts with <paramref name="keyPrefix"/>.</summary>
    public static byte[] EscapedKeyPrefix(string bucket, string keyPrefix)
    {
        var head = VersionPrefix(bucket);
        var raw = System.Text.Encoding.UTF8.GetBytes(keyPrefix);
        var zeros = raw.AsSpan().Count((byte)0);
        var bytes = new byte[head.Length + raw.Length + zeros];
        head.CopyTo(bytes, 0);
        var at = head.Length;
        foreach (var b in raw)
        {
            bytes[at++] = b;
            if (b == 0)
            {
                bytes[at++] = 1;
            }
        }

        return bytes;
    }

    public static byte[] Version(string bucket, string key, string stamp)
    {
        var prefix = VersionsOf(bucket, key);
        var bytes = new byte[prefix.Length + stamp.Length];
        prefix.CopyTo(bytes, 0);
        Encoding.ASCII.GetBytes(stamp, bytes.AsSpan(prefix.Length));
        return bytes;
    }

    /// <summary>The object key of a versions-range key of a bucket whose versions prefix is <paramref name="prefixLength"/> long.</summary>
    public static string KeyOfVersion(ReadOnlySpan<byte> versionKey, int prefixLength)
    {
        var escaped = versionKey[prefixLength..^(VersionIds.Length + 2)];
        if (escaped.IndexOf((byte)0) < 0)
        {
            return Encoding.UTF8.GetString(escaped);
        }

        var raw = new byte[escaped.Length];
        var length = 0;
        for (var i = 0; i < escaped.Length; i++)
        {
            raw[length++] = escaped[i];
            if (escaped[i] == 0)
            {
                i++;
            }
        }

        return Encoding.UTF8.GetString(raw, 0, length);
    }

    public static readonly byte[] AllObjectsPrefix = "s3/o/"u8.ToArray();

    /// <summary>Present once every current record has its entry in the versions range (records written before versioning get one at start-up).</summary>
    public static readonly byte[] VersionsUpgraded = "s3/meta/versions-upgraded"u8.ToArray();

    public static readonly byte[] ReferencePrefix = "s3/r/"u8.ToArray();

    public static byte[] Reference(string objectId) => Concat(ReferencePrefix, objectId, null);

    public static byte[] UploadPrefix(string bucket) => Concat("s3/u/"u8, bucket, "/");

    public static byte[] Upload(string bucket, string key, string uploadId) => Concat(UploadPrefix(bucket), key, "\0" + uploadId);

    public static byte[] PartPrefix(string uploadId) => Concat("s3/p/"u8, uploadId, "/");

    public static byte[] Part(string uploadId, int partNumber) =>
        Concat(PartPrefix(uploadId), partNumber.ToString("D5", System.Globalization.CultureInfo.InvariantCulture), null);

    /// <summary>The object key of an object-record key of <paramref name="bucket"/>.</summary>
    public static string KeyOf(ReadOnlySpan<byte> recordKey, int prefixLength) => Encoding.UTF8.GetString(recordKey[prefixLength..]);

    /// <summary>The smallest byte string greater than every string that starts with <paramref name="prefix"/> (null when none).</summary>
    public static byte[]? PrefixEnd(ReadOnlySpan<byte> prefix)
    {
        var end = prefix.ToArray();
        for (var i = end.Length - 1; i >= 0; i--)
        {
            if (end[i] != 0xFF)
            {
                end[i]++;
                return end.AsSpan(0, i + 1).ToArray();
            }
        }

        return null;
    }

    private static byte[] Concat(ReadOnlySpan<byte> head, string text, string? tail)
    {
        var length = head.Length + Encoding.UTF8.GetByteCount(text) + (tail is null ? 0 : Encoding.UTF8.GetByteCount(tail));
        var bytes = new byte[length];
        head.CopyTo(bytes);
        var written = head.Length + Encoding.UTF8.GetBytes(text, bytes.AsSpan(head.Length));
        if (tail is not null)
        {
            Encoding.UTF8.GetBytes(tail, bytes.AsSpan(written));
        }

        return bytes;
    }
}
