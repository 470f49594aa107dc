using System.Text;

namespace Stratus.S3.Metadata;

/// <summary>
/// Where S3 keeps its metadata in the shared LSM engine. Bucket names cannot contain '/', so each bucket's objects are one
/// contiguous key range in UTF-8 binary order, which is the order ListObjects answers in.
/// <list type="bullet">
/// <item><c>s3/b/{bucket}</c> → <see cref="BucketRecord"/></item>
/// <item><c>s3/o/{bucket}/{key}</c> → <see cref="ObjectRecord"/></item>
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
