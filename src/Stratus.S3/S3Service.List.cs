using System.Text;
using System.Text.Json;
using System.Xml;
using Stratus.Protocol.Pipeline;
using Stratus.S3.Metadata;
using Stratus.S3.Objects;
using Stratus.S3.Responses;
using Stratus.Storage.Lsm;

namespace Stratus.S3;

public sealed partial class S3Service
{
    private void RegisterListing()
    {
        Register<ListRequest, XmlResponse>(
            "ListObjectsV2",
            static input => ListRequest.From(input, version2: true),
            (request, _) => OnBucket("s3:ListBucket", request.Bucket),
            (request, context, _) => ValueTask.FromResult(List(request, context)));
        Register<ListRequest, XmlResponse>(
            "ListObjects",
            static input => ListRequest.From(input, version2: false),
            (request, _) => OnBucket("s3:ListBucket", request.Bucket),
            (request, context, _) => ValueTask.FromResult(List(request, context)));
    }

    /// <summary>
    /// One page of a listing, read as a range scan of the bucket's key range: each common prefix is skipped over with one
    /// seek, so a listing never walks (or holds) the keys it rolls up.
    /// </summary>
    private XmlResponse List(ListRequest request, RequestContext context)
    {
        RequireBucket(request.Bucket);
        var bucketPrefix = S3Keys.ObjectPrefix(request.Bucket);
        var scanPrefix = Concat(bucketPrefix, request.Prefix);
        var contents = new List<ObjectRecord>();
        var prefixes = new List<string>();
        string? lastItem = null;
        var lastIsPrefix = false;
        var truncated = false;

        using (var iterator = _kv.NewIterator(ReadOptions.ForPrefix(scanPrefix)))
        {
            var (resumeAfter, resumeIsPrefix) = request.ResumeAfter;
            if (resumeAfter is null || Concat(bucketPrefix, resumeAfter).AsSpan().SequenceCompareTo(scanPrefix) < 0)
            {
                iterator.SeekToFirst();
            }
            else if (resumeIsPrefix)
            {
                SeekPast(iterator, Concat(bucketPrefix, resumeAfter));
            }
            else
            {
                iterator.Seek(Concat(bucketPrefix, resumeAfter));
                if (iterator.Valid && S3Keys.KeyOf(iterator.Key, bucketPrefix.Length) == resumeAfter)
                {
                    iterator.Next();
                }
            }

            while (iterator.Valid)
            {
                var key = S3Keys.KeyOf(iterator.Key, bucketPrefix.Length);
                string? commonPrefix = null;
                if (request.Delimiter is { Length: > 0 } delimiter)
                {
                    var at = key.IndexOf(delimiter, request.Prefix.Length, StringComparison.Ordinal);
                    if (at >= 0)
                    {
                        commonPrefix = key[..(at + delimiter.Length)];
                    }
                }

                if (contents.Count + prefixes.Count == request.MaxKeys)
                {
                    // max-keys=0 asks for no keys, not for a page that promises more without a token to get them.
                    truncated = request.MaxKeys > 0;
                    break;
                }

                if (commonPrefix is not null)
                {
                    prefixes.Add(commonPrefix);
                    lastItem = commonPrefix;
                    lastIsPrefix = true;
                    SeekPast(iterator, Concat(bucketPrefix, commonPrefix));
                    continue;
                }

                contents.Add(JsonSerializer.Deserialize(iterator.Value, S3JsonContext.Default.ObjectRecord)!);
                lastItem = key;
                lastIsPrefix = false;
                iterator.Next();
            }
        }

        var encode = request.UrlEncode ? (Func<string, string>)UrlEncodeKey : static s => s;
        return new XmlResponse("ListBucketResult", w =>
        {
            w.WriteElementString("Name", request.Bucket);
            w.WriteElementString("Prefix", encode(request.Prefix));
            if (request.Version2)
            {
                if (request.StartAfter is not null)
                {
                    w.WriteElementString("StartAfter", encode(request.StartAfter));
                }

                if (request.ContinuationToken is not null)
                {
                    w.WriteElementString("ContinuationToken", request.ContinuationToken);
                }

                if (truncated && lastItem is not null)
                {
                    w.WriteElementString("NextContinuationToken", ListRequest.Token(lastItem, lastIsPrefix));
                }

                w.WriteElementString("KeyCount", (contents.Count + prefixes.Count).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                w.WriteElementString("Marker", encode(request.Marker ?? ""));
                if (truncated && request.Delimiter is not null && lastItem is not null)
                {
                    w.WriteElementString("NextMarker", encode(lastItem));
                }
            }

            w.WriteElementString("MaxKeys", request.MaxKeys.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (request.Delimiter is not null)
            {
                w.WriteElementString("Delimiter", encode(request.Delimiter));
            }

            if (request.UrlEncode)
            {
                w.WriteElementString("EncodingType", "url");
            }

            w.WriteElementString("IsTruncated", truncated ? "true" : "false");
            foreach (var item in contents)
            {
                WriteContents(w, item, encode, request.FetchOwner);
            }

            foreach (var prefix in prefixes)
            {
                w.WriteStartElement("CommonPrefixes");
                w.WriteElementString("Prefix", encode(prefix));
                w.WriteEndElement();
            }
        });
    }

    private static void WriteContents(XmlWriter w, ObjectRecord item, Func<string, string> encode, bool owner)
    {
        w.WriteStartElement("Contents");
        w.WriteElementString("Key", encode(item.Key));
        w.WriteElementString("LastModified", S3Xml.Timestamp(item.LastModified));
        w.WriteElementString("ETag", S3Xml.Quoted(item.ETag));
        if (item.Checksums is not null)
        {
            foreach (var name in item.Checksums.Keys)
            {
                w.WriteElementString("ChecksumAlgorithm", name);
            }

            w.WriteElementString("ChecksumType", "FULL_OBJECT");
        }

        w.WriteElementString("Size", item.Size.ToString(System.Globalization.CultureInfo.InvariantCulture));
        w.WriteElementString("StorageClass", item.StorageClass);
        if (owner)
        {
            w.WriteStartElement("Owner");
            w.WriteElementString("ID", item.Owner);
            w.WriteElementString("DisplayName", item.Owner);
            w.WriteEndElement();
        }

        w.WriteEndElement();
    }

    // Moves the iterator to the first key that does not start with prefix.
    private static void SeekPast(LsmIterator iterator, byte[] prefix)
    {
        if (S3Keys.PrefixEnd(prefix) is { } end)
        {
            iterator.Seek(end);
        }
        else
        {
            iterator.SeekToLast();
            iterator.Next();
        }
    }

    private static byte[] Concat(byte[] head, string tail)
    {
        var bytes = new byte[head.Length + Encoding.UTF8.GetByteCount(tail)];
        head.CopyTo(bytes, 0);
        Encoding.UTF8.GetBytes(tail, bytes.AsSpan(head.Length));
        return bytes;
    }

    // S3's encoding-type=url: every byte but the unreserved ones percent-encoded, '/' kept.
    private static string UrlEncodeKey(string value) => Uri.EscapeDataString(value).Replace("%2F", "/", StringComparison.Ordinal);
}
