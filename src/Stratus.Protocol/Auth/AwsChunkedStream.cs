using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using Stratus.Core.IO;
using Stratus.Protocol.Checksums;

namespace Stratus.Protocol.Auth;

/// <summary>
/// Decodes an <c>aws-chunked</c> body as it is read: checks every chunk signature in chain from the seed signature,
/// the trailer signature, the trailing checksums and the decoded length. Never buffers more than one read's worth.
/// Errors surface as <see cref="Stratus.Core.AwsException"/> from Read; data already returned belongs to a request
/// that is only valid once the stream has been read to its end without an exception.
/// </summary>
public sealed class AwsChunkedStream : ForwardOnlyReadStream
{
    private const int BufferSize = 16 * 1024;
    private const int MaxLineLength = 4096;
    private const int MaxTrailers = 32;
    private const int MinimumSignedChunkSize = 8192;
    private const int NeedMore = -1;

    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly PayloadMode _mode;
    private readonly bool _signed;
    private readonly ChunkSigningContext? _signing;
    private readonly long? _declaredLength;
    private readonly ChecksumAlgorithm[] _trailingChecksums;
    private readonly ChecksumCalculator[] _calculators;
    private readonly IncrementalHash? _chunkHash;
    private readonly List<KeyValuePair<string, string>> _trailers = [];
    private readonly List<KeyValuePair<ChecksumAlgorithm, string>> _verifiedChecksums = [];
    private readonly byte[] _previousSignature = new byte[32];
    private readonly byte[] _chunkSignature = new byte[32];

    private byte[]? _buffer;
    private int _start;
    private int _end;
    private bool _innerEnded;
    private State _state = State.ChunkHeader;
    private long _chunkRemaining;
    private long _chunkLength;
    private long _decoded;
    private bool _previousChunkWasShort;
    private string? _trailerSignature;

    private enum State
    {
        ChunkHeader,
        ChunkData,
        ChunkDataEnd,
        FinalLineEnd,
        Trailer,
        Done,
    }

    /// <summary>Wraps <paramref name="inner"/>, an aws-chunked body in the given streaming mode.</summary>
    /// <param name="inner">The raw request body.</param>
    /// <param name="mode">One of the three streaming payload modes.</param>
    /// <param name="signing">The signing context from <see cref="AuthResult.ChunkSigning"/>; required for the signed modes.</param>
    /// <param name="decodedContentLength">x-amz-decoded-content-length, checked at the end when given.</param>
    /// <param name="trailingChecksums">The checksums x-amz-trailer declares; each must arrive in the trailer and match.</param>
    /// <param name="leaveOpen">Leave <paramref name="inner"/> open on dispose.</param>
    public AwsChunkedStream(Stream inner, PayloadMode mode, ChunkSigningContext? signing, long? decodedContentLength,
        IReadOnlyList<ChecksumAlgorithm>? trailingChecksums = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (mode is not (PayloadMode.StreamingSigned or PayloadMode.StreamingSignedTrailer or PayloadMode.StreamingUnsignedTrailer))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Not an aws-chunked payload mode.");
        }

        _signed = mode != PayloadMode.StreamingUnsignedTrailer;
        if (_signed)
        {
            ArgumentNullException.ThrowIfNull(signing);
            if (!SigV4Canonicalizer.TryParseSignature(signing.SeedSignature, _previousSignature))
            {
                throw new ArgumentException("The seed signature is not 64 hex characters.", nameof(signing));
            }

            _chunkHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        }

        _inner = inner;
        _leaveOpen = leaveOpen;
        _mode = mode;
        _signing = signing;
        _declaredLength = decodedContentLength;
        _trailingChecksums = trailingChecksums is null ? [] : [.. trailingChecksums];
        _calculators = new ChecksumCalculator[_trailingChecksums.Length];
        for (var i = 0; i < _calculators.Length; i++)
        {
            _calculators[i] = new ChecksumCalculator(_trailingChecksums[i]);
        }

        _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    }

    /// <summary>
    /// Wraps a request body after authentication, reading x-amz-decoded-content-length and x-amz-trailer from the request headers.
    /// Throws <see cref="Stratus.Core.AwsException"/> (InvalidRequest) for a malformed header.
    /// </summary>
    public static AwsChunkedStream Create(Stream body, AuthResult auth, SignedRequest request, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(auth);
        ArgumentNullException.ThrowIfNull(request);
        long? decodedLength = null;
        var declared = request.GetHeader("x-amz-decoded-content-length");
        if (declared is not null)
        {
            if (!long.TryParse(declared.AsSpan().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            {
                throw BodyErrors.Malformed("x-amz-decoded-content-length is not a number");
            }

            decodedLength = length;
        }

        var checksums = new List<ChecksumAlgorithm>();
        var trailer = request.GetHeader("x-amz-trailer");
        if (trailer is not null)
        {
            foreach (var name in trailer.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!ChecksumCalculator.TryParseHeaderName(name, out var algorithm))
                {
                    throw new Stratus.Core.AwsException("InvalidRequest", $"The value specified in the x-amz-trailer header is not supported: {name}.", 400);
                }

                checksums.Add(algorithm);
            }
        }

        return new AwsChunkedStream(body, auth.PayloadMode, auth.ChunkSigning, decodedLength, checksums, leaveOpen);
    }

    /// <summary>True once the final chunk, trailer and every check have passed.</summary>
    public bool Completed => _state == State.Done;

    /// <summary>Decoded bytes returned so far.</summary>
    public long DecodedLength => _decoded;

    /// <summary>The trailing headers received (without x-amz-trailer-signature); complete once <see cref="Completed"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Trailers => _trailers;

    /// <summary>The trailing checksums that were declared, received and verified (base64 values to store with the object).</summary>
    public IReadOnlyList<KeyValuePair<ChecksumAlgorithm, string>> VerifiedChecksums => _verifiedChecksums;

    protected override long BytesDelivered => _decoded;

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_buffer is null, this);
        while (true)
        {
            var produced = Produce(buffer);
            if (produced != NeedMore)
            {
                return produced;
            }

            if (TryReadDirect(buffer, out var direct))
            {
                var n = _inner.Read(buffer[..direct]);
                if (OnDirectRead(buffer[..n]))
                {
                    return n;
                }

                continue;
            }

            Compact();
            OnFilled(_inner.Read(_buffer.AsSpan(_end)));
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_buffer is null, this);
        while (true)
        {
            var produced = Produce(buffer.Span);
            if (produced != NeedMore)
            {
                return produced;
            }

            if (TryReadDirect(buffer.Span, out var direct))
            {
                var n = await _inner.ReadAsync(buffer[..direct], cancellationToken).ConfigureAwait(false);
                if (OnDirectRead(buffer.Span[..n]))
                {
                    return n;
                }

                continue;
            }

            Compact();
            OnFilled(await _inner.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false));
        }
    }

    // Large reads in the middle of a chunk go straight from the inner stream to the caller: no copy through our buffer.
    private bool TryReadDirect(Span<byte> destination, out int length)
    {
        length = 0;
        if (_state != State.ChunkData || _start != _end || _innerEnded || destination.Length < 4096)
        {
            return false;
        }

        length = (int)Math.Min(destination.Length, _chunkRemaining);
        return true;
    }

    private bool OnDirectRead(Span<byte> data)
    {
        if (data.Length == 0)
        {
            _innerEnded = true;
            return false;
        }

        ConsumeData(data);
        return true;
    }

    private void Compact()
    {
        var buffer = _buffer!;
        if (_start > 0)
        {
            buffer.AsSpan(_start, _end - _start).CopyTo(buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == buffer.Length)
        {
            throw BodyErrors.Malformed("a chunk header or trailer line is too long");
        }
    }

    private void OnFilled(int read)
    {
        if (read == 0)
        {
            _innerEnded = true;
        }

        _end += read;
    }

    /// <summary>Advances the decoder over buffered input; returns bytes produced, 0 at the end, or NeedMore.</summary>
    private int Produce(Span<byte> destination)
    {
        while (true)
        {
            var available = _buffer.AsSpan(_start, _end - _start);
            switch (_state)
            {
                case State.Done:
                    return 0;

                case State.ChunkHeader:
                    {
                        if (!TryTakeLine(available, out var line))
                        {
                            return NeedMoreOrFail();
                        }

                        ParseChunkHeader(line);
                        break;
                    }

                case State.ChunkData:
                    {
                        if (_chunkRemaining == 0)
                        {
                            _state = State.ChunkDataEnd;
                            break;
                        }

                        if (available.Length == 0)
                        {
                            return NeedMoreOrFail();
                        }

                        if (destination.Length == 0)
                        {
                            return 0;
                        }

                        var n = (int)Math.Min(Math.Min(available.Length, destination.Length), _chunkRemaining);
                        available[..n].CopyTo(destination);
                        _start += n;
                        ConsumeData(destination[..n]);
                        return n;
                    }

                case State.ChunkDataEnd:
                    {
                        if (available.Length < 2)
                        {
                            return NeedMoreOrFail();
                        }

                        if (available[0] != '\r' || available[1] != '\n')
                        {
                            throw BodyErrors.Malformed("a chunk's data is not followed by CRLF (chunk size does not match its data)");
                        }

                        _start += 2;
                        EndChunk();
                        _state = State.ChunkHeader;
                        break;
                    }

                case State.FinalLineEnd:
                    {
                        if (available.Length < 2)
                        {
                            return NeedMoreOrFail();
                        }

                        if (available[0] != '\r' || available[1] != '\n')
                        {
                            throw BodyErrors.Malformed("the final chunk is not followed by an empty line");
                        }

                        _start += 2;
                        Finish();
                        break;
                    }

                case State.Trailer:
                    {
                        if (!TryTakeLine(available, out var line))
                        {
                            if (_innerEnded && available.Length == 0 && _trailers.Count > 0)
                            {
                                // Tolerate a trailer section that ends at the end of the body without its closing empty line.
                                Finish();
                                break;
                            }

                            return NeedMoreOrFail();
                        }

                        if (line.Length == 0)
                        {
                            Finish();
                            break;
                        }

                        ParseTrailerLine(line);
                        break;
                    }
            }
        }
    }

    private int NeedMoreOrFail() => _innerEnded ? throw BodyErrors.Truncated() : NeedMore;

    private bool TryTakeLine(ReadOnlySpan<byte> available, out ReadOnlySpan<byte> line)
    {
        var lf = available.IndexOf((byte)'\n');
        if (lf < 0)
        {
            if (available.Length > MaxLineLength)
            {
                throw BodyErrors.Malformed("a chunk header or trailer line is too long");
            }

            line = default;
            return false;
        }

        if (lf == 0 || available[lf - 1] != '\r')
        {
            throw BodyErrors.Malformed("a line does not end with CRLF");
        }

        line = available[..(lf - 1)];
        _start += lf + 1;
        return true;
    }

    private void ParseChunkHeader(ReadOnlySpan<byte> line)
    {
        var semicolon = line.IndexOf((byte)';');
        var sizeText = semicolon < 0 ? line : line[..semicolon];
        if (sizeText.Length is 0 or > 15)
        {
            throw BodyErrors.Malformed("a chunk size is missing or too large");
        }

        long size = 0;
        foreach (var b in sizeText)
        {
            var digit = b switch
            {
                >= (byte)'0' and <= (byte)'9' => b - '0',
                >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                throw BodyErrors.Malformed("a chunk size is not hexadecimal");
            }

            size = (size << 4) | (uint)digit;
        }

        if (_signed)
        {
            var extension = semicolon < 0 ? default : line[(semicolon + 1)..];
            const string prefix = "chunk-signature=";
            if (!extension.StartsWith("chunk-signature="u8) || extension.Length != prefix.Length + 64
                || !TryParseHex(extension[prefix.Length..], _chunkSignature))
            {
                throw BodyErrors.Malformed("a chunk header lacks a valid chunk-signature");
            }

            if (size > 0 && _previousChunkWasShort)
            {
                throw BodyErrors.ChunkTooSmall();
            }

            _previousChunkWasShort = size < MinimumSignedChunkSize;
            _chunkHash!.GetHashAndReset(stackalloc byte[32]);
        }

        _chunkLength = size;
        _chunkRemaining = size;
        if (size > 0)
        {
            if (_declaredLength is { } declared && _decoded + size > declared)
            {
                throw BodyErrors.DecodedLengthMismatch(declared, _decoded + size);
            }

            _state = State.ChunkData;
            return;
        }

        // The zero-length chunk ends the data; its signature covers the empty chunk.
        EndChunk();
        _state = _mode == PayloadMode.StreamingSigned ? State.FinalLineEnd : State.Trailer;
    }

    private void ConsumeData(ReadOnlySpan<byte> data)
    {
        _chunkRemaining -= data.Length;
        _decoded += data.Length;
        _chunkHash?.AppendData(data);
        foreach (var calculator in _calculators)
        {
            calculator.Append(data);
        }
    }

    private void EndChunk()
    {
        if (!_signed)
        {
            return;
        }

        Span<byte> hash = stackalloc byte[32];
        _chunkHash!.GetHashAndReset(hash);
        Span<byte> expected = stackalloc byte[32];
        ChunkSignatures.ComputeChunk(_signing!, _previousSignature, hash, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, _chunkSignature))
        {
            throw BodyErrors.ChunkSignatureMismatch(_chunkLength == 0 ? "final chunk signature" : "chunk signature");
        }

        _chunkSignature.CopyTo(_previousSignature, 0);
    }

    private void ParseTrailerLine(ReadOnlySpan<byte> line)
    {
        var colon = line.IndexOf((byte)':');
        if (colon <= 0)
        {
            throw BodyErrors.Malformed("a trailer line is not name:value");
        }

        var name = System.Text.Encoding.ASCII.GetString(line[..colon]).Trim();
        var value = System.Text.Encoding.ASCII.GetString(line[(colon + 1)..]).Trim();
        if (string.Equals(name, "x-amz-trailer-signature", StringComparison.OrdinalIgnoreCase))
        {
            _trailerSignature = value;
            return;
        }

        if (_trailers.Count == MaxTrailers)
        {
            throw BodyErrors.Malformed("too many trailing headers");
        }

        _trailers.Add(new(name, value));
    }

    private void Finish()
    {
        if (_mode == PayloadMode.StreamingSignedTrailer)
        {
            Span<byte> provided = stackalloc byte[32];
            if (_trailerSignature is null)
            {
                throw BodyErrors.ChunkSignatureMismatch("the trailer has no x-amz-trailer-signature");
            }

            if (!SigV4Canonicalizer.TryParseSignature(_trailerSignature, provided))
            {
                throw BodyErrors.ChunkSignatureMismatch("x-amz-trailer-signature is not 64 hex characters");
            }

            Span<byte> hash = stackalloc byte[32];
            ChunkSignatures.HashTrailers(_trailers, hash);
            Span<byte> expected = stackalloc byte[32];
            ChunkSignatures.ComputeTrailer(_signing!, _previousSignature, hash, expected);
            if (!CryptographicOperations.FixedTimeEquals(expected, provided))
            {
                throw BodyErrors.ChunkSignatureMismatch("trailer signature");
            }
        }

        if (_declaredLength is { } declared && declared != _decoded)
        {
            throw BodyErrors.DecodedLengthMismatch(declared, _decoded);
        }

        Span<byte> computed = stackalloc byte[32];
        Span<byte> received = stackalloc byte[32];
        for (var i = 0; i < _trailingChecksums.Length; i++)
        {
            var algorithm = _trailingChecksums[i];
            var headerName = ChecksumCalculator.HeaderName(algorithm);
            string? value = null;
            foreach (var trailer in _trailers)
            {
                if (string.Equals(trailer.Key, headerName, StringComparison.OrdinalIgnoreCase))
                {
                    value = trailer.Value;
                    break;
                }
            }

            if (value is null)
            {
                throw BodyErrors.ChecksumMissing(algorithm);
            }

            var length = ChecksumCalculator.HashLength(algorithm);
            if (!Convert.TryFromBase64String(value, received, out var receivedLength) || receivedLength != length)
            {
                throw BodyErrors.ChecksumInvalid(algorithm);
            }

            _calculators[i].GetCurrentHash(computed);
            if (!computed[..length].SequenceEqual(received[..length]))
            {
                throw BodyErrors.ChecksumMismatch(algorithm);
            }

            _verifiedChecksums.Add(new(algorithm, value));
        }

        _state = State.Done;
    }

    private static bool TryParseHex(ReadOnlySpan<byte> hex, Span<byte> destination)
    {
        Span<char> chars = stackalloc char[64];
        for (var i = 0; i < 64; i++)
        {
            chars[i] = (char)hex[i];
        }

        return SigV4Canonicalizer.TryParseSignature(chars, destination);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            var buffer = _buffer;
            _buffer = null;
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            _chunkHash?.Dispose();
            foreach (var calculator in _calculators)
            {
                calculator.Dispose();
            }

            if (!_leaveOpen)
            {
                _inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
