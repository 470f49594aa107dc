using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Xml.Linq;
using Stratus.Core;
using Stratus.Protocol.Codecs;
using Stratus.Protocol.Pipeline;
using Stratus.S3.Metadata;
using Stratus.S3.Responses;
using Stratus.Storage.Lsm;

namespace Stratus.S3;

/// <summary>What the configurable bucket settings share: their storage under <see cref="BucketSettingKeys"/> and reading their XML bodies.</summary>
public sealed partial class S3Service
{
    // One registration call from the constructor for every configurable setting, so the shared constructor changes once.
    private void RegisterBucketSettings()
    {
        RegisterCors();
        RegisterPublicAccessBlock();
        RegisterAcl();
        RegisterEncryption();
        RegisterNotifications();
        RegisterLifecycle();
    }

    // Shared and cached (S3Service.BucketCache.cs): callers must not change what they get.
    private T? ReadSetting<T>(string setting, string bucket, JsonTypeInfo<T> type) where T : class =>
        BucketValue(bucket, setting, () => _kv.TryGet(BucketSettingKeys.Of(setting, bucket), out var bytes) ? JsonSerializer.Deserialize(bytes, type) : null);

    private Task WriteSettingAsync<T>(string setting, string bucket, T value, JsonTypeInfo<T> type)
    {
        WriteBucket(bucket, new WriteBatch().Put(BucketSettingKeys.Of(setting, bucket), JsonSerializer.SerializeToUtf8Bytes(value, type)));
        return Task.CompletedTask;
    }

    private Task DeleteSettingAsync(string setting, string bucket)
    {
        WriteBucket(bucket, new WriteBatch().Delete(BucketSettingKeys.Of(setting, bucket)));
        return Task.CompletedTask;
    }

    /// <summary>Adds the deletion of every configured setting of <paramref name="bucket"/> to a DeleteBucket batch.</summary>
    private static WriteBatch DeleteBucketSettings(WriteBatch batch, string bucket)
    {
        foreach (var setting in BucketSettingKeys.All)
        {
            batch.Delete(BucketSettingKeys.Of(setting, bucket));
        }

        return batch;
    }

    /// <summary>A configuration body whose root must be <paramref name="root"/> (in any namespace), else MalformedXML.</summary>
    private static async Task<XElement> ReadConfigurationAsync(Stream body, string root, CancellationToken cancellationToken)
    {
        var document = await SafeXml.LoadAsync(body, cancellationToken).ConfigureAwait(false);
        return document.Root!.Name.LocalName == root
            ? document.Root
            : throw ProtocolErrors.MalformedXml($"expected {root}, found {document.Root.Name.LocalName}.");
    }

    private static IEnumerable<XElement> Elements(XElement parent, string name) =>
        parent.Elements().Where(e => e.Name.LocalName == name);

    private static XElement? Element(XElement parent, string name) =>
        parent.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    private static List<string> Values(XElement parent, string name) =>
        Elements(parent, name).Select(e => e.Value).ToList();

    private static void WriteAll(System.Xml.XmlWriter writer, string name, IEnumerable<string>? values)
    {
        foreach (var value in values ?? [])
        {
            writer.WriteElementString(name, value);
        }
    }

    /// <summary>
    /// The operations of a setting kept as its validated XML: <c>Put{name}</c> checks the configuration and stores it,
    /// <c>Get{name}</c> echoes it (unset: S3's 404 <paramref name="absent"/>, or a fresh bucket's
    /// <paramref name="unset"/> content), and <c>Delete{name}</c>, for the settings S3 lets one remove, answers 204.
    /// </summary>
    private void XmlSetting(
        string name,
        string setting,
        string root,
        (string Put, string Get, string? Delete) actions,
        Action<BucketRecord, XElement> check,
        (string Code, string Message)? absent = null,
        Action<System.Xml.XmlWriter>? unset = null)
    {
        Register<(string Bucket, Stream Body), HeadersResponse>(
            "Put" + name,
            static input => (Label(input, "Bucket"), input.Body),
            (request, _) => OnBucket(actions.Put, request.Bucket),
            async (request, _, cancellationToken) =>
            {
                var bucket = RequireBucket(request.Bucket);
                var configuration = await ReadConfigurationAsync(request.Body, root, cancellationToken).ConfigureAwait(false);
                check(bucket, configuration);
                await WriteXmlSettingAsync(setting, request.Bucket, configuration).ConfigureAwait(false);
                return new HeadersResponse(200);
            });
        Register<string, XmlResponse>(
            "Get" + name,
            static input => Label(input, "Bucket"),
            (bucket, _) => OnBucket(actions.Get, bucket),
            (bucket, _, _) =>
            {
                RequireBucket(bucket);
                var stored = ReadXmlSetting(setting, bucket);
                if (stored is null && absent is { } missing)
                {
                    throw new AwsException(missing.Code, missing.Message, 404) { Details = [new("BucketName", bucket)] };
                }

                return ValueTask.FromResult(new XmlResponse(root, w =>
                {
                    if (stored is null)
                    {
                        unset?.Invoke(w);
                    }
                    else
                    {
                        WriteChildren(w, stored);
                    }
                }));
            });
        if (actions.Delete is { } deleteAction)
        {
            Register<string, HeadersResponse>(
                "Delete" + name,
                static input => Label(input, "Bucket"),
                (bucket, _) => OnBucket(deleteAction, bucket),
                async (bucket, _, _) =>
                {
                    RequireBucket(bucket);
                    await DeleteSettingAsync(setting, bucket).ConfigureAwait(false);
                    return new HeadersResponse(204);
                });
        }
    }

    // A setting kept as its validated XML (StoredXml): written whole, read back as the element it was.
    private Task WriteXmlSettingAsync(string setting, string bucket, XElement root) =>
        WriteSettingAsync(setting, bucket, new StoredXml { Xml = Canonical(root).ToString(SaveOptions.DisableFormatting) }, BucketSettingsJsonContext.Default.StoredXml);

    private XElement? ReadXmlSetting(string setting, string bucket) =>
        ReadSetting(setting, bucket, BucketSettingsJsonContext.Default.StoredXml) is { } stored ? XElement.Parse(stored.Xml) : null;

    // The stored configuration's elements, in the response root's namespace.
    private static void WriteChildren(System.Xml.XmlWriter writer, XElement? stored)
    {
        foreach (var child in stored?.Elements() ?? [])
        {
            WriteElement(writer, child);
        }
    }

    // The configuration with its elements out of any namespace and without comments or whitespace, as stored and
    // echoed; attributes (a grantee's xsi:type) are kept.
    private static XElement Canonical(XElement element) =>
        new(
            element.Name.LocalName,
            element.Attributes().Where(a => !a.IsNamespaceDeclaration),
            element.HasElements ? element.Elements().Select(Canonical) : element.Value);

    private static void WriteElement(System.Xml.XmlWriter writer, XElement element)
    {
        writer.WriteStartElement(element.Name.LocalName);
        foreach (var attribute in element.Attributes().Where(a => !a.IsNamespaceDeclaration))
        {
            var ns = attribute.Name.NamespaceName;
            writer.WriteAttributeString(ns == XsiNamespace ? "xsi" : null, attribute.Name.LocalName, ns.Length == 0 ? null : ns, attribute.Value);
        }

        if (element.HasElements)
        {
            foreach (var child in element.Elements())
            {
                WriteElement(writer, child);
            }
        }
        else
        {
            writer.WriteString(element.Value);
        }

        writer.WriteEndElement();
    }
}
