using System.Text;
using System.Xml.Linq;
using Stratus.Core;
using Stratus.Protocol.Codecs;
using Stratus.Protocol.Pipeline;
using Stratus.S3.Metadata;
using Stratus.S3.Responses;
using Stratus.Storage.Lsm;

namespace Stratus.S3;

/// <summary>Bucket tags: up to 50, keys up to 128 characters and values up to 256, unique keys, no <c>aws:</c> prefix.</summary>
public sealed partial class S3Service
{
    private const int MaxTags = 50;

    private void RegisterTagging()
    {
        Register<(string Bucket, Stream Body), HeadersResponse>(
            "PutBucketTagging",
            static input => (Label(input, "Bucket"), input.Body),
            (request, _) => OnBucket("s3:PutBucketTagging", request.Bucket),
            async (request, _, cancellationToken) =>
            {
                RequireBucket(request.Bucket);
                var tags = ParseTagging(await SafeXml.LoadAsync(request.Body, cancellationToken).ConfigureAwait(false));
                var text = new StringBuilder();
                foreach (var (key, value) in tags)
                {
                    text.Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value)).Append('&');
                }

                await _kv.WriteAsync(new WriteBatch().Put(S3Keys.Tags(request.Bucket), Encoding.UTF8.GetBytes(text.ToString()))).ConfigureAwait(false);
                return new HeadersResponse(204);
            });
        Register<string, XmlResponse>(
            "GetBucketTagging",
            static input => Label(input, "Bucket"),
            (bucket, _) => OnBucket("s3:GetBucketTagging", bucket),
            (bucket, _, _) =>
            {
                RequireBucket(bucket);
                if (!_kv.TryGet(S3Keys.Tags(bucket), out var bytes))
                {
                    throw new AwsException("NoSuchTagSet", "The TagSet does not exist", 404) { Details = [new("BucketName", bucket)] };
                }

                var tags = QueryParameters.Parse(Encoding.UTF8.GetString(bytes).AsSpan());
                return ValueTask.FromResult(new XmlResponse("Tagging", w =>
                {
                    w.WriteStartElement("TagSet");
                    foreach (var key in tags.Names.Order(StringComparer.Ordinal))
                    {
                        w.WriteStartElement("Tag");
                        w.WriteElementString("Key", key);
                        w.WriteElementString("Value", tags.Get(key));
                        w.WriteEndElement();
                    }

                    w.WriteEndElement();
                }));
            });
        Register<string, HeadersResponse>(
            "DeleteBucketTagging",
            static input => Label(input, "Bucket"),
            (bucket, _) => OnBucket("s3:PutBucketTagging", bucket),
            async (bucket, _, _) =>
            {
                RequireBucket(bucket);
                await _kv.WriteAsync(new WriteBatch().Delete(S3Keys.Tags(bucket))).ConfigureAwait(false);
                return new HeadersResponse(204);
            });
    }

    private static List<(string Key, string Value)> ParseTagging(XDocument document)
    {
        if (document.Root!.Name.LocalName != "Tagging")
        {
            throw ProtocolErrors.MalformedXml($"expected Tagging, found {document.Root.Name.LocalName}.");
        }

        // Tagging holds one TagSet, which holds the Tags, each with one Key and one Value (the model requires all of them).
        var tagSets = document.Root.Elements().Where(e => e.Name.LocalName == "TagSet").Take(2).ToList();
        if (tagSets.Count != 1)
        {
            throw ProtocolErrors.MalformedXml("Tagging holds exactly one TagSet.");
        }

        var tags = new List<(string, string)>();
        foreach (var tag in tagSets[0].Elements().Where(e => e.Name.LocalName == "Tag"))
        {
            var key = OnlyChild(tag, "Key") ?? throw ProtocolErrors.MalformedXml("every Tag needs a Key.");
            var value = OnlyChild(tag, "Value") ?? throw ProtocolErrors.MalformedXml("every Tag needs a Value.");
            if (key.Length is 0 or > 128)
            {
                throw InvalidTag("The TagKey you have provided is too long, max 128");
            }

            if (value.Length > 256)
            {
                throw InvalidTag("The TagValue you have provided is too long, max 256");
            }

            if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
            {
                throw InvalidTag("System tags cannot be added/updated by requester");
            }

            if (tags.Any(t => t.Item1 == key))
            {
                throw InvalidTag("Cannot provide multiple Tags with the same key");
            }

            tags.Add((key, value));
        }

        return tags.Count > MaxTags ? throw InvalidTag("Bucket tag count cannot be greater than 50") : tags;
    }

    private static AwsException InvalidTag(string message) => new("InvalidTag", message, 400);
}
