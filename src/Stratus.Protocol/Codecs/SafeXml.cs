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

    /// <summary>Bytes of body read at most: <see cref="MaxCharacters"/> of mostly ASCII XML, with room for multi-byte text.</summary>
    public const int MaxBytes = 2 * MaxCharacters;

    /// <summary>
    /// The deepest element nesting accepted. S3's deepest bodies (lifecycle and replication rules with And filters) nest
    /// about 6; a reader's work per element grows with its depth, so a few hundred KiB nested 100,000 deep took it
    /// seconds.
    /// </summary>
    public const int MaxDepth = 32;

    /// <summary>
    /// Parses a whole XML document from <paramref name="body"/>, which is read to its end first (so a stream that checks
    /// a digest at its end, such as Content-MD5's, has checked it before anything is parsed, let alone acted on).
    /// </summary>
    public static async Task<XDocument> LoadAsync(Stream body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var buffer = await ReadAllAsync(body, cancellationToken).ConfigureAwait(false);
        var settings = new XmlReaderSettings
        {
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
            // A first pass refuses deep nesting before anything is built.
            using (var scan = XmlReader.Create(buffer, settings))
            {
                while (scan.Read())
                {
                    if (scan.Depth > MaxDepth)
                    {
                        throw ProtocolErrors.MalformedXml($"elements nest deeper than {MaxDepth} levels.");
                    }
                }
            }

            buffer.Position = 0;
            using var reader = XmlReader.Create(buffer, settings);
            var document = XDocument.Load(reader, LoadOptions.None);
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

    private static async Task<MemoryStream> ReadAllAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                buffer.Dispose();
                throw ProtocolErrors.MalformedXml($"the body is larger than {MaxBytes} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        buffer.Position = 0;
        return buffer;
    }
}
