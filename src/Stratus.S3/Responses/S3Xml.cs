using System.Globalization;
using System.Text;
using System.Xml;

namespace Stratus.S3.Responses;

/// <summary>S3's XML conventions: the 2006-03-01 namespace, ISO timestamps with milliseconds, quoted ETags.</summary>
internal static class S3Xml
{
    public const string Namespace = "http://s3.amazonaws.com/doc/2006-03-01/";

    // CheckCharacters off: keys may hold control characters, which S3 lists as character references (&#x1;) unless the
    // client asks for encoding-type=url; checking would turn the listing into a 500.
    public static readonly XmlWriterSettings Settings = new() { Encoding = new UTF8Encoding(false), Indent = false, CheckCharacters = false };

    public static string Timestamp(long unixMilliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string HttpDate(long unixMilliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds).UtcDateTime.ToString("R", CultureInfo.InvariantCulture);

    public static string Quoted(string etag) => "\"" + etag + "\"";
}
