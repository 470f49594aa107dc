using System.Text;
using Stratus.Core;

namespace Stratus.Protocol.Codecs;

/// <summary>
/// Percent-decoding of URI parts (path labels, the copy source) into strings, strictly: the decoded bytes must be
/// UTF-8. <see cref="Uri.UnescapeDataString(string)"/> leaves an invalid sequence such as <c>%C3%28</c> escaped, so the
/// key <c>bad%C3(</c> could be reached both by its own encoding and by that invalid one: two requests naming two keys
/// would touch one object. S3 refuses such a URI (400 InvalidURI), and so does this.
/// </summary>
public static class PercentDecoding
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The decoded text; 400 InvalidURI when an escape is malformed or the bytes are not UTF-8.</summary>
    public static string Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains('%', StringComparison.Ordinal))
        {
            return text;
        }

        var bytes = new byte[Encoding.UTF8.GetMaxByteCount(text.Length)];
        var length = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '%')
            {
                var next = i + (char.IsHighSurrogate(text[i]) && i + 1 < text.Length ? 2 : 1);
                length += Encoding.UTF8.GetBytes(text.AsSpan(i, next - i), bytes.AsSpan(length));
                i = next - 1;
                continue;
            }

            if (i + 2 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2]))
            {
                throw InvalidUri();
            }

            bytes[length++] = (byte)((HexValue(text[i + 1]) << 4) | HexValue(text[i + 2]));
            i += 2;
        }

        try
        {
            return StrictUtf8.GetString(bytes, 0, length);
        }
        catch (DecoderFallbackException)
        {
            throw InvalidUri();
        }
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    private static AwsException InvalidUri() => new("InvalidURI", "Couldn't parse the specified URI.", 400);
}
