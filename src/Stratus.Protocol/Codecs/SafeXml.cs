using System.Xml;
using System.Xml.Linq;
using Stratus.Core;
using Stratus.Protocol.Pipeline;

namespace Stratus.Protocol.Codecs;

/// <summary>
/// Reads request XML (S3 configuration bodies, DeleteObjects, CompleteMultipartUpload) with no DTDs, no external
/// entities and no resolver, ever, and within a size limit; any failure is S3's <c>MalformedXML</c> naming the problem.
/// </summary>
public static class SafeXml
{
    /// <summary>The largest XML body any S3 operation takes (DeleteObjects with 1,000 keys of 1,024 bytes is under 2 MiB).</summary>
    public const int MaxCharacters = 4 * 1024 * 1024;

    /// <summary>Parses a whole XML document from <paramref name="body"/>.</summary>
    public static async Task<XDocument> LoadAsync(Stream body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var settings = new XmlReaderSettings
        {
            Async = true,
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = MaxCharacters,
            MaxCharactersFromEntities = 0,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            CloseInput = false,
        };
        try
        {
            using var reader = XmlReader.Create(body, settings);
            var document = await XDocument.LoadAsync(reader, LoadOptions.None, cancellationToken).ConfigureAwait(false);
            if (document.Root is null)
            {
                throw ProtocolErrors.MalformedXml("the document has no root element.");
            }

            return document;
        }
        catch (XmlException error)
        {
            throw ProtocolErrors.MalformedXml(error.Message);
        }
        catch (AwsException)
        {
            throw;
        }
        catch (InvalidOperationException error)
        {
            throw ProtocolErrors.MalformedXml(error.Message);
        }
    }
}
