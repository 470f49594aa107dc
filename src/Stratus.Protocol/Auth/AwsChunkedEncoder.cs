using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Stratus.Protocol.Checksums;

namespace Stratus.Protocol.Auth;

/// <summary>Writes aws-chunked bodies (signed chunk chain, trailers, checksums): the client side of <see cref="AwsChunkedStream"/>.</summary>
public static class AwsChunkedEncoder
{
    /// <summary>Encodes <paramref name="data"/> in chunks of <paramref name="chunkSize"/> bytes, then the final chunk and the trailer.</summary>
    /// <param name="destination">Where the encoded body is written.</param>
    /// <param name="data">The decoded payload.</param>
    /// <param name="chunkSize">Data bytes per chunk (S3 requires at least 8192 for signed chunks except the last).</param>
    /// <param name="mode">One of the three streaming payload modes.</param>
    /// <param name="signing">The context of the request's seed signature (<see cref="SigV4Signature.ChunkSigning"/>); required for the signed modes.</param>
    /// <param name="trailingChecksums">Checksums to compute over the data and send as trailing headers (the trailer modes).</param>
    public static void Encode(Stream destination, ReadOnlySpan<byte> data, int chunkSize, PayloadMode mode, ChunkSigningContext? signing,
        IReadOnlyList<ChecksumAlgorithm>? trailingChecksums = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        var signed = mode is PayloadMode.StreamingSigned or PayloadMode.StreamingSignedTrailer;
        if (signed)
        {
            ArgumentNullException.ThrowIfNull(signing);
        }

        Span<byte> previous = stackalloc byte[32];
        if (signed && !SigV4Canonicalizer.TryParseSignature(signing!.SeedSignature, previous))
        {
            throw new ArgumentException("The seed signature is not 64 hex characters.", nameof(signing));
        }

        Span<byte> hash = stackalloc byte[32];
        Span<byte> signature = stackalloc byte[32];
        var offset = 0;
        while (true)
        {
            var length = Math.Min(chunkSize, data.Length - offset);
            var chunk = data.Slice(offset, length);
            var header = length.ToString("x", CultureInfo.InvariantCulture);
            if (signed)
            {
                SHA256.HashData(chunk, hash);
                ChunkSignatures.ComputeChunk(signing!, previous, hash, signature);
                signature.CopyTo(previous);
                header += ";chunk-signature=" + Convert.ToHexStringLower(signature);
            }

            destination.Write(Encoding.ASCII.GetBytes(header + "\r\n"));
            if (length == 0)
            {
                break;
            }

            destination.Write(chunk);
            destination.Write("\r\n"u8);
            offset += length;
        }

        if (mode == PayloadMode.StreamingSigned)
        {
            destination.Write("\r\n"u8);
            return;
        }

        var trailers = new List<KeyValuePair<string, string>>();
        foreach (var algorithm in trailingChecksums ?? [])
        {
            trailers.Add(new(ChecksumCalculator.HeaderName(algorithm), ChecksumCalculator.Compute(algorithm, data)));
        }

        var text = new StringBuilder();
        foreach (var trailer in trailers)
        {
            text.Append(trailer.Key).Append(':').Append(trailer.Value).Append("\r\n");
        }

        if (mode == PayloadMode.StreamingSignedTrailer)
        {
            ChunkSignatures.HashTrailers(trailers, hash);
            ChunkSignatures.ComputeTrailer(signing!, previous, hash, signature);
            text.Append("x-amz-trailer-signature:").Append(Convert.ToHexStringLower(signature)).Append("\r\n");
        }

        text.Append("\r\n");
        destination.Write(Encoding.ASCII.GetBytes(text.ToString()));
    }

    /// <summary>Encodes to a new array (tests and small in-process requests).</summary>
    public static byte[] Encode(ReadOnlySpan<byte> data, int chunkSize, PayloadMode mode, ChunkSigningContext? signing,
        IReadOnlyList<ChecksumAlgorithm>? trailingChecksums = null)
    {
        using var output = new MemoryStream();
        Encode(output, data, chunkSize, mode, signing, trailingChecksums);
        return output.ToArray();
    }
}
