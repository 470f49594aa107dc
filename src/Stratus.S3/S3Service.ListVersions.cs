using System.Globalization;
using System.Xml;
using Stratus.Protocol.Codecs;
using Stratus.Protocol.Pipeline;
using Stratus.S3.Metadata;
using Stratus.S3.Objects;
using Stratus.S3.Responses;
using Stratus.Storage.Lsm;

namespace Stratus.S3;

/// <summary>
/// ListObjectVersions: one range scan of the bucket's versions range, which holds every version and delete marker in
/// key order (UTF-8 binary) and newest first within a key, so a key's first entry is its latest. Common prefixes are
/// skipped with one seek, as in ListObjects.
/// </summary>
public sealed partial class S3Service
{
    private void RegisterVersionListing() =>
        Register<VersionListRequest, XmlResponse>(
            "ListObjectVersions",
            static input => VersionListRequest.From(input),
            (request, _) => OnBucket("s3:ListBucketVersions", request.Bucket),
            (request, _, _) => ValueTask.FromResult(ListVersions(request)));

    private XmlResponse ListVersions(VersionListRequest request)
    {
        RequireBucket(request.Bucket);
        var versionPrefix = S3Keys.VersionPrefix(request.Bucket);
        var scanPrefix = S3Keys.EscapedKeyPrefix(request.Bucket, request.Prefix);
        var entries = new List<(ObjectRecord Record, bool IsLatest)>();
        var prefixes = new List<string>();
        (string Key, string? VersionId)? last = null;
        var truncated = false;
        using (var iterator = _kv.NewIterator(ReadOptions.ForPrefix(scanPrefix)))
        {
            var previousKey = Resume(iterator, request, scanPrefix);
            while (iterator.Valid)
            {
                var key = S3Keys.KeyOfVersion(iterator.Key, versionPrefix.Length);
                string? commonPrefix = null;
                if (request.Delimiter is { Length: > 0 } delimiter)
                {
                    var at = key.IndexOf(delimiter, request.Prefix.Length, StringComparison.Ordinal);
                    if (at >= 0)
                    {
                        commonPrefix = key[..(at + delimiter.Length)];
                    }
                }

                if (entries.Count + prefixes.Count == request.MaxKeys)
                {
                    truncated = request.MaxKeys > 0;
                    break;
                }

                if (commonPrefix is not null)
                {
                    prefixes.Add(commonPrefix);
                    last = (commonPrefix, null);
                    previousKey = null;
                    SeekPast(iterator, S3Keys.EscapedKeyPrefix(request.Bucket, commonPrefix));
                    continue;
                }

                var record = ReadRecord(iterator.Value);
                entries.Add((record, key != previousKey));
                last = (key, record.VersionIdText);
                previousKey = key;
                iterator.Next();
            }
        }

        var encode = request.UrlEncode ? (Func<string, string>)UrlEncodeKey : static s => s;
        return new XmlResponse("ListVersionsResult", w =>
        {
            w.WriteElementString("Name", request.Bucket);
            w.WriteElementString("Prefix", encode(request.Prefix));
            w.WriteElementString("KeyMarker", encode(request.KeyMarker ?? ""));
            w.WriteElementString("VersionIdMarker", request.VersionIdMarker ?? "");
            if (truncated && last is { } next)
            {
                w.WriteElementString("NextKeyMarker", encode(next.Key));
                if (next.VersionId is not null)
                {
                    w.WriteElementString("NextVersionIdMarker", next.VersionId);
                }
            }

            w.WriteElementString("MaxKeys", request.MaxKeys.ToString(CultureInfo.InvariantCulture));
            if (request.Delimiter is not null)
            {
                w.WriteElementString("Delimiter", encode(request.Delimiter));
            }

            if (request.UrlEncode)
            {
                w.WriteElementString("EncodingType", "url");
            }

            w.WriteElementString("IsTruncated", truncated ? "true" : "false");
            foreach (var (record, isLatest) in entries)
            {
                WriteVersion(w, record, isLatest, encode);
            }

            foreach (var prefix in prefixes)
            {
                w.WriteStartElement("CommonPrefixes");
                w.WriteElementString("Prefix", encode(prefix));
                w.WriteEndElement();
            }
        });
    }

    // Places the iterator after the markers; returns the key whose versions the page continues (not latest), if any.
    private string? Resume(LsmIterator iterator, VersionListRequest request, byte[] scanPrefix)
    {
        if (request.KeyMarker is not { } keyMarker)
        {
            iterator.SeekToFirst();
            return null;
        }

        byte[] target;
        var skipWholeKey = true;
        var isCommonPrefix = request.Delimiter is { Length: > 0 } delimiter
            && keyMarker.StartsWith(request.Prefix, StringComparison.Ordinal)
            && keyMarker.IndexOf(delimiter, request.Prefix.Length, StringComparison.Ordinal) is var at and >= 0
            && at + delimiter.Length == keyMarker.Length;
        if (isCommonPrefix)
        {
            target = S3Keys.PrefixEnd(S3Keys.EscapedKeyPrefix(request.Bucket, keyMarker)) ?? [0xFF];
        }
        else if (request.VersionIdMarker is { } versionIdMarker
            && (versionIdMarker == "null" ? FindVersion(request.Bucket, keyMarker, "null")?.Record.Stamp : versionIdMarker) is { } stamp)
        {
            target = S3Keys.Version(request.Bucket, keyMarker, stamp);
            skipWholeKey = false;
        }
        else
        {
            target = S3Keys.PrefixEnd(S3Keys.VersionsOf(request.Bucket, keyMarker)) ?? [0xFF];
        }

        if (target.AsSpan().SequenceCompareTo(scanPrefix) < 0)
        {
            iterator.SeekToFirst();
            return null;
        }

        iterator.Seek(target);
        if (skipWholeKey)
        {
            return null;
        }

        if (iterator.Valid && iterator.Key.SequenceEqual(target))
        {
            iterator.Next();
        }

        return keyMarker;
    }

    private static void WriteVersion(XmlWriter w, ObjectRecord record, bool isLatest, Func<string, string> encode)
    {
        w.WriteStartElement(record.DeleteMarker ? "DeleteMarker" : "Version");
        w.WriteElementString("Key", encode(record.Key));
        w.WriteElementString("VersionId", record.VersionIdText);
        w.WriteElementString("IsLatest", isLatest ? "true" : "false");
        w.WriteElementString("LastModified", S3Xml.Timestamp(record.LastModified));
        if (!record.DeleteMarker)
        {
            w.WriteElementString("ETag", S3Xml.Quoted(record.ETag));
            if (record.Checksums is not null)
            {
                foreach (var name in record.Checksums.Keys)
                {
                    w.WriteElementString("ChecksumAlgorithm", name);
                }

                w.WriteElementString("ChecksumType", record.ETag.Contains('-', StringComparison.Ordinal) ? "COMPOSITE" : "FULL_OBJECT");
            }

            w.WriteElementString("Size", record.Size.ToString(CultureInfo.InvariantCulture));
            w.WriteElementString("StorageClass", record.StorageClass);
        }

        w.WriteStartElement("Owner");
        w.WriteElementString("ID", record.Owner);
        w.WriteElementString("DisplayName", record.Owner);
        w.WriteEndElement();
        w.WriteEndElement();
    }

    private sealed record VersionListRequest(string Bucket, string Prefix, string? Delimiter, string? KeyMarker, string? VersionIdMarker, int MaxKeys, bool UrlEncode)
    {
        public static VersionListRequest From(OperationInput input)
        {
            var query = input.Parameters;
            var (urlEncode, maxKeys) = ListRequest.Paging(query);

            var keyMarker = query.Get("key-marker") is { Length: > 0 } k ? k : null;
            var versionIdMarker = query.Get("version-id-marker") is { Length: > 0 } v ? v : null;
            if (versionIdMarker is not null)
            {
                if (keyMarker is null)
                {
                    throw S3Errors.InvalidArgument("A version-id marker cannot be specified without a key marker.", "version-id-marker", versionIdMarker);
                }

                if (versionIdMarker != "null" && !VersionIds.IsWellFormed(versionIdMarker))
                {
                    throw S3Errors.InvalidArgument("Invalid version id specified", "version-id-marker", versionIdMarker);
                }
            }

            return new VersionListRequest(
                Label(input, "Bucket"),
                query.Get("prefix") ?? "",
                query.Get("delimiter") is { Length: > 0 } d ? d : null,
                keyMarker,
                versionIdMarker,
                maxKeys,
                urlEncode);
        }
    }
}
