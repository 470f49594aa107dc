using System.Security.Cryptography;

namespace Stratus.Protocol.Auth;

/// <summary>The aws-chunked signature chain: each chunk's and the trailer's signature over the previous one.</summary>
internal static class ChunkSignatures
{
    private static ReadOnlySpan<byte> EmptyHashHex => "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"u8;

    /// <summary>HMAC of <c>AWS4-HMAC-SHA256-PAYLOAD\ndate\nscope\nprev\nsha256("")\nsha256(chunk)</c>.</summary>
    public static void ComputeChunk(ChunkSigningContext context, ReadOnlySpan<byte> previous, ReadOnlySpan<byte> chunkHash, Span<byte> signature) =>
        Compute(context, "AWS4-HMAC-SHA256-PAYLOAD\n"u8, previous, withEmptyHash: true, chunkHash, signature);

    /// <summary>HMAC of <c>AWS4-HMAC-SHA256-TRAILER\ndate\nscope\nprev\nsha256(canonical trailers)</c>.</summary>
    public static void ComputeTrailer(ChunkSigningContext context, ReadOnlySpan<byte> previous, ReadOnlySpan<byte> trailerHash, Span<byte> signature) =>
        Compute(context, "AWS4-HMAC-SHA256-TRAILER\n"u8, previous, withEmptyHash: false, trailerHash, signature);

    // The two strings to sign differ only in their first line and in the chunk form's extra hash of an empty string.
    private static void Compute(ChunkSigningContext context, ReadOnlySpan<byte> algorithmLine, ReadOnlySpan<byte> previous, bool withEmptyHash, ReadOnlySpan<byte> hash, Span<byte> signature)
    {
        var buffer = new CanonicalBuffer(stackalloc byte[320]);
        try
        {
            buffer.Append(algorithmLine);
            buffer.Append(context.Timestamp.AsSpan());
            buffer.Append((byte)'\n');
            buffer.Append(context.Scope.AsSpan());
            buffer.Append((byte)'\n');
            buffer.AppendHexLower(previous);
            buffer.Append((byte)'\n');
            if (withEmptyHash)
            {
                buffer.Append(EmptyHashHex);
                buffer.Append((byte)'\n');
            }

            buffer.AppendHexLower(hash);
            HMACSHA256.HashData(context.SigningKey.Span, buffer.Written, signature);
        }
        finally
        {
            buffer.Dispose();
        }
    }

    /// <summary>SHA-256 of the canonical trailers: <c>name:value\n</c> per trailer, names lower-cased, sorted, values trimmed.</summary>
    public static void HashTrailers(IReadOnlyList<KeyValuePair<string, string>> trailers, Span<byte> hash)
    {
        var order = new int[trailers.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) => string.CompareOrdinal(trailers[a].Key.ToLowerInvariant(), trailers[b].Key.ToLowerInvariant()));
        var buffer = new CanonicalBuffer(stackalloc byte[256]);
        try
        {
            foreach (var index in order)
            {
                buffer.Append(trailers[index].Key.ToLowerInvariant().AsSpan());
                buffer.Append((byte)':');
                SigV4Canonicalizer.AppendTrimmedValue(ref buffer, trailers[index].Value);
                buffer.Append((byte)'\n');
            }

            SHA256.HashData(buffer.Written, hash);
        }
        finally
        {
            buffer.Dispose();
        }
    }
}
