using System.Buffers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;

namespace Stratus.Protocol.Auth;

/// <summary>The SigV4 canonical forms (URI, query, headers) and the key and signature arithmetic, shared by verifier and signer.</summary>
internal static class SigV4Canonicalizer
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    public const string UnsignedPayload = "UNSIGNED-PAYLOAD";
    public const string StreamingSigned = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
    public const string StreamingSignedTrailer = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
    public const string StreamingUnsignedTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

    /// <summary>Writes the whole canonical request.</summary>
    public static void WriteCanonicalRequest(
        ref CanonicalBuffer buffer,
        SignedRequest request,
        SigV4Rules rules,
        ReadOnlySpan<char> signedHeaders,
        ReadOnlySpan<char> payloadHash,
        bool presigned,
        QueryVariant variant)
    {
        buffer.Append(request.Method.AsSpan());
        buffer.Append((byte)'\n');
        AppendCanonicalUri(ref buffer, request.RawPath, rules);
        buffer.Append((byte)'\n');
        AppendCanonicalQuery(ref buffer, request.RawQuery, presigned, variant);
        buffer.Append((byte)'\n');
        AppendCanonicalHeaders(ref buffer, request.Headers, signedHeaders);
        buffer.Append((byte)'\n');
        buffer.Append(signedHeaders);
        buffer.Append((byte)'\n');
        buffer.Append(payloadHash);
    }

    public static void AppendCanonicalUri(ref CanonicalBuffer buffer, string rawPath, SigV4Rules rules)
    {
        if (rawPath.Length == 0)
        {
            buffer.Append((byte)'/');
            return;
        }

        char[]? rentedChars = null;
        scoped ReadOnlySpan<char> path = rawPath;
        if (rules.NormalizePath)
        {
            // Normalising writes "/" plus "segment/" per segment: at most two characters more than the input.
            var normalized = rawPath.Length + 2 <= 512 ? stackalloc char[512] : (rentedChars = ArrayPool<char>.Shared.Rent(rawPath.Length + 2));
            path = normalized[..NormalizePath(rawPath, normalized)];
        }

        byte[]? rentedBytes = null;
        var maxBytes = Encoding.UTF8.GetMaxByteCount(path.Length);
        var bytes = maxBytes <= 1024 ? stackalloc byte[1024] : (rentedBytes = ArrayPool<byte>.Shared.Rent(maxBytes));
        var count = Encoding.UTF8.GetBytes(path, bytes);
        var utf8 = bytes[..count];

        for (var i = 0; i < utf8.Length; i++)
        {
            var b = utf8[i];
            if (b == '/' || IsUnreserved(b))
            {
                buffer.Append(b);
            }
            else if (b == '%' && !rules.DoubleEncodePath && i + 2 < utf8.Length && IsHex(utf8[i + 1]) && IsHex(utf8[i + 2]))
            {
                // S3 signs the path as sent: an existing escape is kept exactly (SDKs sign their own wire form).
                buffer.Append(utf8.Slice(i, 3));
                i += 2;
            }
            else
            {
                buffer.AppendPercentEncoded(b);
            }
        }

        if (rentedBytes is not null)
        {
            ArrayPool<byte>.Shared.Return(rentedBytes);
        }

        if (rentedChars is not null)
        {
            ArrayPool<char>.Shared.Return(rentedChars);
        }
    }

    /// <summary>Removes dot segments and empty segments; keeps a trailing slash. Returns the length written.</summary>
    internal static int NormalizePath(ReadOnlySpan<char> path, Span<char> output)
    {
        // output holds "/" followed by "segment/" for each kept segment.
        output[0] = '/';
        var length = 1;
        var keepTrailingSlash = false;
        var position = 0;
        while (position <= path.Length)
        {
            var rest = path[position..];
            var slash = rest.IndexOf('/');
            var segment = slash < 0 ? rest : rest[..slash];
            position += segment.Length + 1;
            var isLast = slash < 0;

            if (segment.Length == 0)
            {
                keepTrailingSlash = isLast;
            }
            else if (segment is ".")
            {
                keepTrailingSlash = isLast;
            }
            else if (segment is "..")
            {
                if (length > 1)
                {
                    length = output[..(length - 1)].LastIndexOf('/') + 1;
                }

                keepTrailingSlash = isLast;
            }
            else
            {
                segment.CopyTo(output[length..]);
                length += segment.Length;
                output[length++] = '/';
                keepTrailingSlash = false;
            }
        }

        if (length > 1 && !keepTrailingSlash)
        {
            length--;
        }

        return length;
    }

    private struct QueryParameter
    {
        public int NameStart;
        public int NameLength;
        public int ValueStart;
        public int ValueLength;
    }

    public static void AppendCanonicalQuery(ref CanonicalBuffer buffer, string rawQuery, bool presigned, QueryVariant variant)
    {
        if (rawQuery.Length == 0)
        {
            return;
        }

        var approxCount = 1;
        foreach (var c in rawQuery)
        {
            if (c == '&')
            {
                approxCount++;
            }
        }

        QueryParameter[]? rentedParams = null;
        var parameters = approxCount <= 32 ? stackalloc QueryParameter[32] : (rentedParams = ArrayPool<QueryParameter>.Shared.Rent(approxCount));
        var scratch = new CanonicalBuffer(stackalloc byte[1024]);
        try
        {
            var count = 0;
            var query = rawQuery.AsSpan();
            while (query.Length > 0)
            {
                var amp = query.IndexOf('&');
                var part = amp < 0 ? query : query[..amp];
                query = amp < 0 ? default : query[(amp + 1)..];
                if (part.Length == 0)
                {
                    continue;
                }

                var eq = part.IndexOf('=');
                var name = eq < 0 ? part : part[..eq];
                var value = eq < 0 ? default : part[(eq + 1)..];

                ref var p = ref parameters[count];
                var plusAsSpace = (variant & QueryVariant.PlusAsSpace) != 0;
                p.NameStart = scratch.Length;
                AppendReencoded(ref scratch, name, plusAsSpace);
                p.NameLength = scratch.Length - p.NameStart;
                var canonicalName = scratch.Written.Slice(p.NameStart, p.NameLength);
                if (presigned && (canonicalName.SequenceEqual("X-Amz-Signature"u8) || ((variant & QueryVariant.ExcludeSecurityToken) != 0 && canonicalName.SequenceEqual("X-Amz-Security-Token"u8))))
                {
                    continue;
                }

                p.ValueStart = scratch.Length;
                AppendReencoded(ref scratch, value, plusAsSpace);
                p.ValueLength = scratch.Length - p.ValueStart;
                count++;
            }

            var written = scratch.Written;

            // Insertion sort: parameter lists are short and usually nearly sorted.
            for (var i = 1; i < count; i++)
            {
                var current = parameters[i];
                var j = i - 1;
                while (j >= 0 && Compare(written, parameters[j], current) > 0)
                {
                    parameters[j + 1] = parameters[j];
                    j--;
                }

                parameters[j + 1] = current;
            }

            for (var i = 0; i < count; i++)
            {
                if (i > 0)
                {
                    buffer.Append((byte)'&');
                }

                var p = parameters[i];
                buffer.Append(written.Slice(p.NameStart, p.NameLength));
                buffer.Append((byte)'=');
                buffer.Append(written.Slice(p.ValueStart, p.ValueLength));
            }
        }
        finally
        {
            scratch.Dispose();
            if (rentedParams is not null)
            {
                ArrayPool<QueryParameter>.Shared.Return(rentedParams);
            }
        }
    }

    private static int Compare(ReadOnlySpan<byte> data, QueryParameter a, QueryParameter b)
    {
        var byName = data.Slice(a.NameStart, a.NameLength).SequenceCompareTo(data.Slice(b.NameStart, b.NameLength));
        return byName != 0 ? byName : data.Slice(a.ValueStart, a.ValueLength).SequenceCompareTo(data.Slice(b.ValueStart, b.ValueLength));
    }

    /// <summary>Decodes percent escapes and encodes again with the RFC 3986 unreserved set; '+' is a literal plus unless told otherwise.</summary>
    internal static void AppendReencoded(ref CanonicalBuffer buffer, ReadOnlySpan<char> component, bool plusAsSpace = false)
    {
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < component.Length; i++)
        {
            var c = component[i];
            if (c == '%' && i + 2 < component.Length && IsHex(component[i + 1]) && IsHex(component[i + 2]))
            {
                EncodeByte(ref buffer, (byte)((HexValue(component[i + 1]) << 4) | HexValue(component[i + 2])));
                i += 2;
            }
            else if (c == '+' && plusAsSpace)
            {
                buffer.AppendPercentEncoded((byte)' ');
            }
            else if (c < 0x80)
            {
                EncodeByte(ref buffer, (byte)c);
            }
            else
            {
                var runeLength = char.IsHighSurrogate(c) && i + 1 < component.Length ? 2 : 1;
                var n = Encoding.UTF8.GetBytes(component.Slice(i, runeLength), utf8);
                for (var k = 0; k < n; k++)
                {
                    buffer.AppendPercentEncoded(utf8[k]);
                }

                i += runeLength - 1;
            }
        }
    }

    /// <summary>Encodes a string once with the RFC 3986 unreserved set (the signer's query encoding).</summary>
    internal static void AppendUriEncoded(ref CanonicalBuffer buffer, ReadOnlySpan<char> text)
    {
        byte[]? rented = null;
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        var bytes = max <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(max));
        var n = Encoding.UTF8.GetBytes(text, bytes);
        foreach (var b in bytes[..n])
        {
            EncodeByte(ref buffer, b);
        }

        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void EncodeByte(ref CanonicalBuffer buffer, byte b)
    {
        if (IsUnreserved(b))
        {
            buffer.Append(b);
        }
        else
        {
            buffer.AppendPercentEncoded(b);
        }
    }

    public static void AppendCanonicalHeaders(ref CanonicalBuffer buffer, IReadOnlyList<KeyValuePair<string, string>> headers, ReadOnlySpan<char> signedHeaders)
    {
        var names = signedHeaders;
        while (names.Length > 0)
        {
            var semi = names.IndexOf(';');
            var name = semi < 0 ? names : names[..semi];
            names = semi < 0 ? default : names[(semi + 1)..];
            if (name.Length == 0)
            {
                continue;
            }

            buffer.Append(name);
            buffer.Append((byte)':');
            var first = true;
            for (var i = 0; i < headers.Count; i++)
            {
                var header = headers[i];
                if (!name.Equals(header.Key, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (!first)
                {
                    buffer.Append((byte)',');
                }

                first = false;
                AppendTrimmedValue(ref buffer, header.Value);
            }

            buffer.Append((byte)'\n');
        }
    }

    /// <summary>Trims the value and collapses each run of whitespace (including folded line breaks) to one space.</summary>
    internal static void AppendTrimmedValue(ref CanonicalBuffer buffer, ReadOnlySpan<char> value)
    {
        var pendingSpace = false;
        var started = false;
        var i = 0;
        while (i < value.Length)
        {
            if (IsHeaderWhitespace(value[i]))
            {
                pendingSpace = started;
                i++;
                continue;
            }

            var runStart = i;
            while (i < value.Length && !IsHeaderWhitespace(value[i]))
            {
                i++;
            }

            if (pendingSpace)
            {
                buffer.Append((byte)' ');
                pendingSpace = false;
            }

            buffer.Append(value[runStart..i]);
            started = true;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsHeaderWhitespace(char c) => c is ' ' or '\t' or '\r' or '\n';

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsUnreserved(byte b) =>
        (uint)((b | 0x20) - 'a') <= 'z' - 'a' || (uint)(b - '0') <= 9 || b is (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~';

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    /// <summary>Derives kSigning = HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request").</summary>
    public static byte[] DeriveSigningKey(string secret, ReadOnlySpan<char> date, ReadOnlySpan<char> region, ReadOnlySpan<char> service)
    {
        var secretBytes = new CanonicalBuffer(stackalloc byte[128]);
        try
        {
            secretBytes.Append("AWS4"u8);
            secretBytes.Append(secret.AsSpan());
            Span<byte> k1 = stackalloc byte[32];
            Span<byte> k2 = stackalloc byte[32];
            HmacText(secretBytes.Written, date, k1);
            HmacText(k1, region, k2);
            HmacText(k2, service, k1);
            var key = new byte[32];
            HMACSHA256.HashData(k1, "aws4_request"u8, key);
            CryptographicOperations.ZeroMemory(k1);
            CryptographicOperations.ZeroMemory(k2);
            return key;
        }
        finally
        {
            secretBytes.Dispose();
        }
    }

    private static void HmacText(ReadOnlySpan<byte> key, ReadOnlySpan<char> text, Span<byte> destination)
    {
        var data = new CanonicalBuffer(stackalloc byte[128]);
        try
        {
            data.Append(text);
            HMACSHA256.HashData(key, data.Written, destination);
        }
        finally
        {
            data.Dispose();
        }
    }

    /// <summary>Writes <c>algorithm\ntimestamp\nscope\nhex(sha256(payload))</c>.</summary>
    public static void WriteStringToSign(ref CanonicalBuffer buffer, ReadOnlySpan<byte> algorithm, ReadOnlySpan<char> timestamp, ReadOnlySpan<char> scope, ReadOnlySpan<byte> hashedPayload)
    {
        buffer.Append(algorithm);
        buffer.Append((byte)'\n');
        buffer.Append(timestamp);
        buffer.Append((byte)'\n');
        buffer.Append(scope);
        buffer.Append((byte)'\n');
        buffer.AppendHexLower(hashedPayload);
    }

    /// <summary>Parses 64 hex characters (either case) into 32 bytes.</summary>
    public static bool TryParseSignature(ReadOnlySpan<char> hex, Span<byte> signature)
    {
        if (hex.Length != 64)
        {
            return false;
        }

        return Convert.FromHexString(hex, signature, out _, out var written) == OperationStatus.Done && written == 32;
    }
}
