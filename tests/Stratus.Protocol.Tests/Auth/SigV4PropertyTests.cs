using System.Security.Cryptography;
using System.Text;
using CsCheck;
using Microsoft.Extensions.Time.Testing;
using Stratus.Core;
using Stratus.Protocol.Auth;
using Stratus.Protocol.Checksums;

namespace Stratus.Protocol.Tests.Auth;

public sealed class SigV4PropertyTests
{
    private static Gen<T> Choice<T>(params T[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly SigningCredential Credential = FakeCredentialStore.Credential("AKIDPROPERTY", "property/secret+key");

    // Path and query text as clients put it on the wire: escapes, reserved and unreserved characters, raw UTF-8, dots and slashes.
    private static readonly Gen<string> PathSegment = Gen.OneOf(
        Gen.String[Gen.Char["abcXYZ019-._~"], 1, 8],
        Choice(".", "..", "", "%20", "%2F", "%2b", "a%7Eb", "sp ace", "ሴ", "(x)", "a+b", "*", "é"));

    private static readonly Gen<string> RawPath = PathSegment.Array[1, 6].Select(segments => "/" + string.Join('/', segments));

    private static readonly Gen<string> QueryText = Gen.OneOf(
        Gen.String[Gen.Char["abcXYZ019-._~"], 0, 6],
        Choice("%20", "%2B", "a%2fb", "ሴ", "x y", "%E1%88%B4", "=", "a:b", "~"));

    private static readonly Gen<string> RawQuery = Gen.Select(QueryText, QueryText, Gen.Bool)
        .Select((name, value, withEquals) => name.Length == 0 ? "n" + (withEquals ? "=" + value : "") : withEquals ? name + "=" + value : name)
        .Array[0, 5]
        .Select(parts => string.Join('&', parts).Replace("+", "%2B", StringComparison.Ordinal));

    private static readonly Gen<KeyValuePair<string, string>> Header = Gen.Select(
        Gen.String[Gen.Char["abcdefghij-"], 1, 10],
        Gen.String[Gen.Char["abc XYZ 019;,=\t\"/"], 0, 20],
        Gen.Bool)
        .Select((name, value, upper) => new KeyValuePair<string, string>("x-p-" + (upper ? name.ToUpperInvariant() : name), value));

    private static readonly Gen<(SignedRequest Request, bool S3, bool Presign)> Requests = Gen.Select(
        Choice("GET", "PUT", "POST", "DELETE"), RawPath, RawQuery, Header.Array[0, 6], Gen.Bool, Gen.Bool)
        .Select((method, path, query, headers, s3, presign) => (new SignedRequest
        {
            Method = method,
            RawPath = path,
            RawQuery = query,
            Headers = [new KeyValuePair<string, string>("Host", "localhost:4566"), .. headers],
            PayloadHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(path + query))),
        }, s3, presign));

    private static SigV4Signature Sign(SignedRequest request, bool s3, bool presign)
    {
        var rules = s3 ? SigV4Rules.S3 : SigV4Rules.Default;
        var options = new SigV4SigningOptions
        {
            AccessKeyId = Credential.AccessKeyId,
            SecretAccessKey = Credential.SecretAccessKey,
            Region = "eu-west-1",
            Service = s3 ? "s3" : "sqs",
            Rules = rules,
        };
        var signer = new SigV4Signer(new FakeTimeProvider(Now));
        return presign ? signer.Presign(request, options, TimeSpan.FromMinutes(10)) : signer.Sign(request, options);
    }

    private static AuthResult Verify(SignedRequest request, bool s3) =>
        new SigV4Verifier(new FakeCredentialStore(Credential), new FakeTimeProvider(Now)).Verify(request, s3 ? SigV4Rules.S3 : SigV4Rules.Default);

    [Fact]
    public void Any_request_signed_by_the_signer_verifies()
    {
        Requests.Sample(t =>
        {
            var signed = Sign(t.Request, t.S3, t.Presign).Request;
            var result = Verify(signed, t.S3);
            return result.Outcome == AuthOutcome.Authenticated;
        }, iter: 500);
    }

    [Fact]
    public void Any_signed_request_fails_after_a_change_to_its_path_query_or_a_signed_header()
    {
        Gen.Select(Requests, Gen.Int[0, 2], Gen.Int[0, 100]).Sample((t, what, pick) =>
        {
            var signed = Sign(t.Request, t.S3, t.Presign).Request;
            SignedRequest mutated;
            switch (what)
            {
                case 0:
                    mutated = new SignedRequest { Method = signed.Method, RawPath = signed.RawPath + "z", RawQuery = signed.RawQuery, Headers = signed.Headers, PayloadHash = signed.PayloadHash };
                    break;
                case 1:
                    mutated = new SignedRequest { Method = signed.Method, RawPath = signed.RawPath, RawQuery = signed.RawQuery + (signed.RawQuery.Length == 0 ? "" : "&") + "zz=1", Headers = signed.Headers, PayloadHash = signed.PayloadHash };
                    break;
                default:
                    var candidates = signed.Headers.Where(h => h.Key.StartsWith("x-p-", StringComparison.OrdinalIgnoreCase) || h.Key == "Host").ToList();
                    var target = candidates[pick % candidates.Count];
                    var changed = false;
                    mutated = new SignedRequest
                    {
                        Method = signed.Method,
                        RawPath = signed.RawPath,
                        RawQuery = signed.RawQuery,
                        Headers = [.. signed.Headers.Select(h => !changed && h.Key == target.Key && (changed = true) ? new KeyValuePair<string, string>(h.Key, h.Value + "Z") : h)],
                        PayloadHash = signed.PayloadHash,
                    };
                    break;
            }

            return Verify(mutated, t.S3).Outcome == AuthOutcome.Failed;
        }, iter: 500);
    }

    [Fact]
    public void Canonical_query_encoding_is_idempotent()
    {
        QueryText.Sample(text =>
        {
            var once = Reencode(text);
            return Reencode(once) == once;
        }, iter: 1000);
    }

    private static string Reencode(string text)
    {
        var buffer = new CanonicalBuffer(new byte[16]);
        try
        {
            SigV4Canonicalizer.AppendReencoded(ref buffer, text);
            return buffer.ToUtf8String();
        }
        finally
        {
            buffer.Dispose();
        }
    }

    [Fact]
    public void Chunked_bodies_of_any_size_decode_for_any_chunk_and_read_sizes()
    {
        var signing = new ChunkSigningContext(new byte[32], new string('a', 64), "20260301T120000Z", "20260301/us-east-1/s3/aws4_request");
        Gen.Select(Gen.Int[0, 40_000], Gen.Int[8192, 20_000], Gen.Int[1, 9000], Choice(PayloadMode.StreamingSigned, PayloadMode.StreamingSignedTrailer, PayloadMode.StreamingUnsignedTrailer))
            .Sample((length, chunkSize, readSize, mode) =>
            {
                var data = new byte[length];
                new Random(length).NextBytes(data);
                ChecksumAlgorithm[] checksums = mode == PayloadMode.StreamingSigned ? [] : [ChecksumAlgorithm.Crc32];
                var body = AwsChunkedEncoder.Encode(data, mode == PayloadMode.StreamingUnsignedTrailer ? chunkSize % 500 + 1 : chunkSize, mode, signing, checksums);
                using var decoder = new AwsChunkedStream(new TrickleStream(body, readSize), mode, mode == PayloadMode.StreamingUnsignedTrailer ? null : signing, length, checksums);
                using var output = new MemoryStream();
                decoder.CopyTo(output, readSize);
                return output.ToArray().AsSpan().SequenceEqual(data) && decoder.Completed;
            }, iter: 60);
    }

    [Fact]
    public void Any_single_flipped_byte_in_a_signed_chunked_body_is_detected()
    {
        var signing = new ChunkSigningContext(new byte[32], new string('b', 64), "20260301T120000Z", "20260301/us-east-1/s3/aws4_request");
        var data = new byte[20_000];
        new Random(3).NextBytes(data);
        var body = AwsChunkedEncoder.Encode(data, 8192, PayloadMode.StreamingSignedTrailer, signing, [ChecksumAlgorithm.Crc32C]);
        // 0x20 only flips the case of a letter, and hex digits and header names are case-insensitive.
        Gen.Select(Gen.Int[0, body.Length - 3], Gen.Int[1, 255].Where(flip => flip != 0x20)).Sample((position, flip) =>
        {
            var corrupted = (byte[])body.Clone();
            corrupted[position] ^= (byte)flip;
            using var decoder = new AwsChunkedStream(new MemoryStream(corrupted), PayloadMode.StreamingSignedTrailer, signing, data.Length, [ChecksumAlgorithm.Crc32C]);
            try
            {
                decoder.CopyTo(Stream.Null);
                return false;
            }
            catch (AwsException)
            {
                return true;
            }
        }, iter: 300);
    }
}
