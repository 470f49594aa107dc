using System.Text;
using Microsoft.Extensions.Time.Testing;
using Stratus.Core;
using Stratus.Protocol.Auth;
using Stratus.Protocol.Checksums;

namespace Stratus.Protocol.Tests.Auth;

public sealed class AwsChunkedStreamTests
{
    private const string DocAccessKey = "AKIAIOSFODNN7EXAMPLE";
    private const string DocSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static readonly DateTimeOffset DocTime = new(2013, 5, 24, 0, 0, 0, TimeSpan.Zero);

    private static readonly ChunkSigningContext Signing = new(
        new byte[32].Select((_, i) => (byte)i).ToArray(),
        "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9",
        "20130524T000000Z",
        "20130524/us-east-1/s3/aws4_request");

    private static byte[] Payload(int length)
    {
        var data = new byte[length];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (byte)(i * 31 + 7);
        }

        return data;
    }

    private static byte[] ReadAll(Stream stream, int bufferSize = 1)
    {
        using var output = new MemoryStream();
        var buffer = new byte[bufferSize];
        int n;
        while ((n = stream.Read(buffer)) > 0)
        {
            output.Write(buffer, 0, n);
        }

        return output.ToArray();
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream, int bufferSize)
    {
        using var output = new MemoryStream();
        var buffer = new byte[bufferSize];
        int n;
        while ((n = await stream.ReadAsync(buffer)) > 0)
        {
            output.Write(buffer, 0, n);
        }

        return output.ToArray();
    }

    private static AwsChunkedStream Decoder(byte[] body, PayloadMode mode, long? decodedLength, ChecksumAlgorithm[]? checksums = null, int maxRead = 1) =>
        new(new TrickleStream(body, maxRead), mode, mode == PayloadMode.StreamingUnsignedTrailer ? null : Signing, decodedLength, checksums);

    private static AwsException ReadExpectingError(byte[] body, PayloadMode mode, long? decodedLength, ChecksumAlgorithm[]? checksums = null)
    {
        using var stream = Decoder(body, mode, decodedLength, checksums);
        return Assert.Throws<AwsException>(() => ReadAll(stream, 7));
    }

    [Fact]
    public void The_S3_documentation_example_verifies_seed_and_every_chunk_signature()
    {
        // "Signature Calculations for the Authorization Header: Transferring Payload in Multiple Chunks", Example: PUT Object.
        var request = new SignedRequest
        {
            Method = "PUT",
            RawPath = "/examplebucket/chunkObject.txt",
            Headers =
            [
                new("Host", "s3.amazonaws.com"),
                new("x-amz-date", "20130524T000000Z"),
                new("x-amz-storage-class", "REDUCED_REDUNDANCY"),
                new("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"),
                new("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"),
                new("Content-Encoding", "aws-chunked"),
                new("x-amz-decoded-content-length", "66560"),
                new("Content-Length", "66824"),
            ],
        };
        var verifier = new SigV4Verifier(new FakeCredentialStore(FakeCredentialStore.Credential(DocAccessKey, DocSecret)), new FakeTimeProvider(DocTime));
        var auth = verifier.Verify(request, SigV4Rules.S3);
        Assert.True(auth.Outcome == AuthOutcome.Authenticated, auth.Message);
        Assert.Equal(PayloadMode.StreamingSigned, auth.PayloadMode);
        Assert.NotNull(auth.ChunkSigning);

        var data = Encoding.ASCII.GetBytes(new string('a', 65 * 1024));
        var body = AwsChunkedEncoder.Encode(data, 64 * 1024, PayloadMode.StreamingSigned, auth.ChunkSigning);
        Assert.Equal(66824, body.Length);
        var text = Encoding.ASCII.GetString(body);
        Assert.StartsWith("10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\r\n400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n", text, StringComparison.Ordinal);
        Assert.EndsWith("\r\n0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n", text, StringComparison.Ordinal);

        using var decoder = AwsChunkedStream.Create(new TrickleStream(body, 1), auth, request);
        Assert.Equal(data, ReadAll(decoder, 1));
        Assert.True(decoder.Completed);
    }

    [Theory]
    [InlineData(PayloadMode.StreamingSigned, 1)]
    [InlineData(PayloadMode.StreamingSigned, 100_000)]
    [InlineData(PayloadMode.StreamingSignedTrailer, 1)]
    [InlineData(PayloadMode.StreamingSignedTrailer, 5000)]
    [InlineData(PayloadMode.StreamingUnsignedTrailer, 1)]
    [InlineData(PayloadMode.StreamingUnsignedTrailer, 100_000)]
    public void Encoded_body_decodes_to_the_same_bytes_whatever_the_read_boundaries(PayloadMode mode, int maxRead)
    {
        var data = Payload(20_000);
        ChecksumAlgorithm[] checksums = mode == PayloadMode.StreamingSigned ? [] : [ChecksumAlgorithm.Crc32C];
        var body = AwsChunkedEncoder.Encode(data, 8192, mode, Signing, checksums);

        using var decoder = Decoder(body, mode, data.Length, checksums, maxRead);
        Assert.Equal(data, ReadAll(decoder, maxRead == 1 ? 3 : 65536));
        Assert.True(decoder.Completed);
        Assert.Equal(data.Length, decoder.DecodedLength);
        if (checksums.Length > 0)
        {
            var verified = Assert.Single(decoder.VerifiedChecksums);
            Assert.Equal(ChecksumAlgorithm.Crc32C, verified.Key);
            Assert.Equal(ChecksumCalculator.Compute(ChecksumAlgorithm.Crc32C, data), verified.Value);
        }
    }

    [Theory]
    [InlineData(PayloadMode.StreamingSigned)]
    [InlineData(PayloadMode.StreamingSignedTrailer)]
    [InlineData(PayloadMode.StreamingUnsignedTrailer)]
    public async Task Async_reads_decode_the_same_bytes(PayloadMode mode)
    {
        var data = Payload(30_000);
        ChecksumAlgorithm[] checksums = mode == PayloadMode.StreamingSigned ? [] : [ChecksumAlgorithm.Crc64Nvme, ChecksumAlgorithm.Sha256];
        var body = AwsChunkedEncoder.Encode(data, 10_000, mode, Signing, checksums);
        await using var decoder = Decoder(body, mode, data.Length, checksums, maxRead: 3);
        Assert.Equal(data, await ReadAllAsync(decoder, 8192));
        Assert.Equal(2, checksums.Length == 0 ? 2 : decoder.VerifiedChecksums.Count);
    }

    [Fact]
    public void Empty_payload_decodes_to_nothing()
    {
        var body = AwsChunkedEncoder.Encode([], 8192, PayloadMode.StreamingSignedTrailer, Signing, [ChecksumAlgorithm.Crc32]);
        using var decoder = Decoder(body, PayloadMode.StreamingSignedTrailer, 0, [ChecksumAlgorithm.Crc32]);
        Assert.Empty(ReadAll(decoder));
        Assert.Equal("AAAAAA==", decoder.VerifiedChecksums[0].Value);
    }

    [Theory]
    [InlineData(PayloadMode.StreamingSigned)]
    [InlineData(PayloadMode.StreamingSignedTrailer)]
    public void A_flipped_data_byte_fails_the_chunk_signature(PayloadMode mode)
    {
        var data = Payload(20_000);
        var body = AwsChunkedEncoder.Encode(data, 8192, mode, Signing, mode == PayloadMode.StreamingSigned ? null : [ChecksumAlgorithm.Crc32]);
        var firstData = Array.IndexOf(body, (byte)'\n') + 1;
        body[firstData + 100] ^= 0x01;
        var error = ReadExpectingError(body, mode, data.Length, mode == PayloadMode.StreamingSigned ? null : [ChecksumAlgorithm.Crc32]);
        Assert.Equal("SignatureDoesNotMatch", error.Code);
        Assert.Equal(403, error.StatusCode);
    }

    [Fact]
    public void A_wrong_chunk_signature_fails()
    {
        var data = Payload(20_000);
        var body = AwsChunkedEncoder.Encode(data, 8192, PayloadMode.StreamingSigned, Signing);
        var text = Encoding.ASCII.GetString(body);
        var second = text.IndexOf("chunk-signature=", text.IndexOf("chunk-signature=", StringComparison.Ordinal) + 1, StringComparison.Ordinal) + "chunk-signature=".Length;
        body[second] = (byte)(body[second] == (byte)'0' ? '1' : '0');
        Assert.Equal("SignatureDoesNotMatch", ReadExpectingError(body, PayloadMode.StreamingSigned, data.Length).Code);
    }

    [Fact]
    public void Chunks_signed_from_another_seed_fail()
    {
        var data = Payload(10_000);
        var other = new ChunkSigningContext(Signing.SigningKey, new string('0', 64), Signing.Timestamp, Signing.Scope);
        var body = AwsChunkedEncoder.Encode(data, 8192, PayloadMode.StreamingSigned, other);
        Assert.Equal("SignatureDoesNotMatch", ReadExpectingError(body, PayloadMode.StreamingSigned, data.Length).Code);
    }

    [Fact]
    public void A_missing_trailer_signature_fails()
    {
        var data = Payload(9000);
        var text = Encoding.ASCII.GetString(AwsChunkedEncoder.Encode(data, 8192, PayloadMode.StreamingSignedTrailer, Signing, [ChecksumAlgorithm.Crc32]));
        var start = text.IndexOf("x-amz-trailer-signature:", StringComparison.Ordinal);
        var end = text.IndexOf("\r\n", start, StringComparison.Ordinal) + 2;
        var body = Encoding.ASCII.GetBytes(text.Remove(start, end - start));
        Assert.Equal("SignatureDoesNotMatch", ReadExpectingError(body, PayloadMode.StreamingSignedTrailer, data.Length, [ChecksumAlgorithm.Crc32]).Code);
    }

    [Fact]
    public void A_wrong_trailer_signature_fails()
    {
        var data = Payload(9000);
        var body = AwsChunkedEncoder.Encode(data, 8192, PayloadMode.StreamingSignedTrailer, Signing, [ChecksumAlgorithm.Crc32]);
        var text = Encoding.ASCII.GetString(body);
        var at = text.IndexOf("x-amz-trailer-signature:", StringComparison.Ordinal) + "x-amz-trailer-signature:".Length;
        body[at] = (byte)(body[at] == (byte)'0' ? '1' : '0');
        Assert.Equal("SignatureDoesNotMatch", ReadExpectingError(body, PayloadMode.StreamingSignedTrailer, data.Length, [ChecksumAlgorithm.Crc32]).Code);
    }

    [Fact]
    public void A_trailer_value_changed_after_signing_fails_the_trailer_signature()
    {
        var data = Payload(9000);
        var text = Encoding.ASCII.GetString(AwsChunkedEncoder.Encode(data, 8192, PayloadMode.StreamingSignedTrailer, Signing, [ChecksumAlgorithm.Crc32]));
        var right = ChecksumCalculator.Compute(ChecksumAlgorithm.Crc32, data);
        var body = Encoding.ASCII.GetBytes(text.Replace(right, "AAAAAA==", StringComparison.Ordinal));
        Assert.Equal("SignatureDoesNotMatch", ReadExpectingError(body, PayloadMode.StreamingSignedTrailer, data.Length, [ChecksumAlgorithm.Crc32]).Code);
    }

    [Fact]
    public void A_bad_trailing_checksum_is_a_bad_digest()
    {
        var data = Payload(9000);
        var text = Encoding.ASCII.GetString(AwsChunkedEncoder.Encode(data, 4096, PayloadMode.StreamingUnsignedTrailer, null, [ChecksumAlgorithm.Crc32C]));
        var right = ChecksumCalculator.Compute(ChecksumAlgorithm.Crc32C, data);
        var body = Encoding.ASCII.GetBytes(text.Replace(right, "AAAAAA==", StringComparison.Ordinal));
        var error = ReadExpectingError(body, PayloadMode.StreamingUnsignedTrailer, data.Length, [ChecksumAlgorithm.Crc32C]);
        Assert.Equal("BadDigest", error.Code);
        Assert.Equal("The CRC32C you specified did not match the calculated checksum.", error.Message);
    }

    [Fact]
    public void A_malformed_or_missing_trailing_checksum_is_an_invalid_request()
    {
        var data = Payload(100);
        var text = Encoding.ASCII.GetString(AwsChunkedEncoder.Encode(data, 4096, PayloadMode.StreamingUnsignedTrailer, null, [ChecksumAlgorithm.Sha256]));
        var right = ChecksumCalculator.Compute(ChecksumAlgorithm.Sha256, data);
        var malformed = Encoding.ASCII.GetBytes(text.Replace(right, "not-base64!", StringComparison.Ordinal));
        Assert.Equal("InvalidRequest", ReadExpectingError(malformed, PayloadMode.StreamingUnsignedTrailer, data.Length, [ChecksumAlgorithm.Sha256]).Code);

        var absent = AwsChunkedEncoder.Encode(data, 4096, PayloadMode.StreamingUnsignedTrailer, null, []);
        Assert.Equal("InvalidRequest", ReadExpectingError(absent, PayloadMode.StreamingUnsignedTrailer, data.Length, [ChecksumAlgorithm.Sha256]).Code);
    }

    [Theory]
    [InlineData(PayloadMode.StreamingSigned)]
    [InlineData(PayloadMode.StreamingSignedTrailer)]
    [InlineData(PayloadMode.StreamingUnsignedTrailer)]
    public void Every_truncation_of_the_body_is_an_incomplete_body(PayloadMode mode)
    {
        var data = Payload(9000);
        ChecksumAlgorithm[] checksums = mode == PayloadMode.StreamingSigned ? [] : [ChecksumAlgorithm.Crc32];
        var body = AwsChunkedEncoder.Encode(data, 8192, mode, Signing, checksums);
        var trailerStart = Encoding.ASCII.GetString(body).LastIndexOf("0;chunk", StringComparison.Ordinal);
        for (var cut = 0; cut < body.Length - 2; cut += cut < 200 || cut > trailerStart - 10 ? 1 : 97)
        {
            using var decoder = Decoder(body[..cut], mode, data.Length, checksums, maxRead: 4096);
            var error = Assert.Throws<AwsException>(() => ReadAll(decoder, 4096));
            Assert.True(error.Code is "IncompleteBody" or "InvalidRequest" or "BadDigest" or "SignatureDoesNotMatch", $"cut at {cut}: {error.Code} {error.Message}");
        }
    }

    [Fact]
    public void A_body_cut_inside_chunk_data_is_an_incomplete_body()
    {
        var data = Payload(9000);
        var body = AwsChunkedEncoder.Encode(data, 8192, PayloadMode.StreamingSigned, Signing);
        var error = ReadExpectingError(body[..5000], PayloadMode.StreamingSigned, data.Length);
        Assert.Equal("IncompleteBody", error.Code);
    }

    [Fact]
    public void A_decoded_length_other_than_declared_is_an_incomplete_body()
    {
        var data = Payload(9000);
        var body = AwsChunkedEncoder.Encode(data, 8192, PayloadMode.StreamingSigned, Signing);
        Assert.Equal("IncompleteBody", ReadExpectingError(body, PayloadMode.StreamingSigned, data.Length + 1).Code);
        Assert.Equal("IncompleteBody", ReadExpectingError(body, PayloadMode.StreamingSigned, data.Length - 1).Code);
    }

    [Fact]
    public void A_chunk_size_that_is_not_hex_is_an_invalid_request()
    {
        var body = Encoding.ASCII.GetBytes("zz\r\nabc\r\n0\r\n\r\n");
        Assert.Equal("InvalidRequest", ReadExpectingError(body, PayloadMode.StreamingUnsignedTrailer, null).Code);
    }

    [Fact]
    public void A_chunk_longer_than_its_declared_size_is_an_invalid_request()
    {
        var body = Encoding.ASCII.GetBytes("3\r\nabcd\r\n0\r\n\r\n");
        Assert.Equal("InvalidRequest", ReadExpectingError(body, PayloadMode.StreamingUnsignedTrailer, null).Code);
    }

    [Fact]
    public void A_signed_chunk_header_without_signature_is_an_invalid_request()
    {
        var body = Encoding.ASCII.GetBytes("3\r\nabc\r\n0\r\n\r\n");
        Assert.Equal("InvalidRequest", ReadExpectingError(body, PayloadMode.StreamingSigned, null).Code);
    }

    [Fact]
    public void A_short_signed_chunk_before_the_last_is_an_invalid_chunk_size()
    {
        var data = Payload(9000);
        var body = AwsChunkedEncoder.Encode(data, 4000, PayloadMode.StreamingSigned, Signing);
        Assert.Equal("InvalidChunkSizeError", ReadExpectingError(body, PayloadMode.StreamingSigned, data.Length).Code);
    }

    [Fact]
    public void Unsigned_trailer_bodies_may_use_small_chunks()
    {
        var data = Payload(1000);
        var body = AwsChunkedEncoder.Encode(data, 10, PayloadMode.StreamingUnsignedTrailer, null, [ChecksumAlgorithm.Sha1]);
        using var decoder = Decoder(body, PayloadMode.StreamingUnsignedTrailer, data.Length, [ChecksumAlgorithm.Sha1]);
        Assert.Equal(data, ReadAll(decoder, 64));
    }

    [Fact]
    public void Create_reads_the_trailer_declaration_and_decoded_length_from_the_headers()
    {
        var data = Payload(500);
        var body = AwsChunkedEncoder.Encode(data, 8192, PayloadMode.StreamingUnsignedTrailer, null, [ChecksumAlgorithm.Crc64Nvme]);
        var request = new SignedRequest
        {
            Method = "PUT",
            RawPath = "/b/k",
            Headers = [new("x-amz-trailer", "x-amz-checksum-crc64nvme"), new("x-amz-decoded-content-length", "500")],
        };
        var auth = AuthResult.Anonymous with { Outcome = AuthOutcome.Authenticated, PayloadMode = PayloadMode.StreamingUnsignedTrailer };
        using var decoder = AwsChunkedStream.Create(new MemoryStream(body), auth, request);
        Assert.Equal(data, ReadAll(decoder, 100));
        Assert.Equal(ChecksumAlgorithm.Crc64Nvme, Assert.Single(decoder.VerifiedChecksums).Key);
    }
}
