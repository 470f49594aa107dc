using CsCheck;
using Stratus.Storage.Erasure;

namespace Stratus.Storage.Tests.Erasure;

public sealed class ReedSolomonCodecTests
{
    [Fact]
    public void Any_erasure_pattern_of_up_to_M_shards_reconstructs_the_original_bytes()
    {
        // Small K+M so that every pattern can be tried on every sample.
        Gen.Select(Gen.Int[1, 8], Gen.Int[1, 4], Gen.Int[0, 200], Gen.Int).Sample(
            t =>
            {
                var (k, m, length, seed) = t;
                var codec = new ReedSolomonCodec(k, m);
                var original = EncodedShards(codec, length, seed);
                for (var lost = 1; lost <= m; lost++)
                {
                    foreach (var pattern in GaloisFieldTests.Subsets(k + m, lost))
                    {
                        var (shards, present) = Erase(original, pattern);
                        codec.Reconstruct(shards, present);
                        AssertSame(original, shards, $"K={k} M={m} length={length} lost {string.Join(',', pattern)}");
                    }
                }
            },
            iter: 60);
    }

    [Fact]
    public void Random_erasures_of_up_to_M_shards_reconstruct_with_larger_codes_and_every_kernel()
    {
        Gen.Select(Gen.Int[1, 40], Gen.Int[1, 20], Gen.Int[0, 3000], Gen.Int).Sample(
            t =>
            {
                var (k, m, length, seed) = t;
                var random = new Random(seed);
                foreach (var kernel in Enum.GetValues<GaloisKernel>())
                {
                    if (!ReedSolomonCodec.IsSupported(kernel))
                    {
                        continue;
                    }

                    var codec = new ReedSolomonCodec(k, m, kernel);
                    var original = EncodedShards(codec, length, seed);
                    var lost = random.Next(1, m + 1);
                    var pattern = Enumerable.Range(0, k + m).OrderBy(_ => random.Next()).Take(lost).ToArray();
                    var (shards, present) = Erase(original, pattern);
                    codec.Reconstruct(shards, present);
                    AssertSame(original, shards, $"{kernel} K={k} M={m} length={length} lost {string.Join(',', pattern)}");
                }
            },
            iter: 40);
    }

    [Fact]
    public void Every_kernel_computes_the_same_parity()
    {
        var reference = new ReedSolomonCodec(10, 4, GaloisKernel.Scalar);
        var expected = EncodedShards(reference, 12_345, 7);
        foreach (var kernel in Enum.GetValues<GaloisKernel>())
        {
            if (ReedSolomonCodec.IsSupported(kernel))
            {
                AssertSame(expected, EncodedShards(new ReedSolomonCodec(10, 4, kernel), 12_345, 7), kernel.ToString());
            }
        }
    }

    [Fact]
    public void M_plus_one_missing_shards_is_reported_as_unrecoverable_and_nothing_is_written()
    {
        Gen.Select(Gen.Int[1, 10], Gen.Int[1, 5], Gen.Int[1, 100], Gen.Int).Sample(
            t =>
            {
                var (k, m, length, seed) = t;
                var codec = new ReedSolomonCodec(k, m);
                var original = EncodedShards(codec, length, seed);
                var pattern = Enumerable.Range(0, k + m).OrderBy(i => (i * 7919) ^ seed).Take(m + 1).ToArray();
                var (shards, present) = Erase(original, pattern);
                var before = shards.Select(s => s.ToArray()).ToArray();

                Assert.False(codec.TryReconstruct(shards, present));
                var error = Assert.Throws<InsufficientShardsException>(() => codec.Reconstruct(shards, present));
                Assert.Equal(k - 1, error.Available);
                Assert.Equal(k, error.Required);
                Assert.Contains($"{k} are needed", error.Message, StringComparison.Ordinal);
                for (var i = 0; i < shards.Length; i++)
                {
                    Assert.True(before[i].AsSpan().SequenceEqual(shards[i].Span));
                }
            },
            iter: 50);
    }

    [Fact]
    public void Only_the_shards_asked_for_are_rebuilt()
    {
        var codec = new ReedSolomonCodec(6, 3);
        var original = EncodedShards(codec, 1000, 3);
        var (shards, present) = Erase(original, [1, 7]);
        var rebuild = new bool[9];
        rebuild[1] = true;

        Assert.True(codec.TryReconstruct(shards, present, rebuild));

        Assert.True(original[1].Span.SequenceEqual(shards[1].Span));
        Assert.True(shards[7].Span.IndexOfAnyExcept((byte)0xEE) < 0, "the parity shard not asked for must stay untouched");
    }

    [Fact]
    public void Missing_parity_is_rebuilt_directly_from_the_surviving_shards()
    {
        var codec = new ReedSolomonCodec(4, 2);
        var original = EncodedShards(codec, 4096, 11);
        var (shards, present) = Erase(original, [0, 5]);

        codec.Reconstruct(shards, present);

        AssertSame(original, shards, "data 0 and parity 1 lost");
    }

    [Fact]
    public void Verify_accepts_consistent_shards_and_rejects_a_flipped_bit()
    {
        var codec = new ReedSolomonCodec(8, 4);
        var shards = EncodedShards(codec, 5000, 5);
        Assert.True(codec.Verify(shards));

        shards[3].Span[4321] ^= 0x10;

        Assert.False(codec.Verify(shards));
    }

    [Fact]
    public void Shards_of_different_lengths_are_refused()
    {
        var codec = new ReedSolomonCodec(2, 1);
        Memory<byte>[] shards = [new byte[10], new byte[10], new byte[9]];
        Assert.Throws<ArgumentException>(() => codec.Encode(shards));
    }

    [Fact]
    public void Codes_up_to_256_shards_are_accepted_and_larger_ones_refused()
    {
        var codec = new ReedSolomonCodec(200, 56);
        var original = EncodedShards(codec, 100, 1);
        var (shards, present) = Erase(original, Enumerable.Range(100, 56).ToArray());
        codec.Reconstruct(shards, present);
        AssertSame(original, shards, "200+56");

        Assert.Throws<ArgumentOutOfRangeException>(() => new ReedSolomonCodec(200, 57));
    }

    internal static Memory<byte>[] EncodedShards(ReedSolomonCodec codec, int length, int seed)
    {
        var random = new Random(seed);
        var shards = new Memory<byte>[codec.TotalShards];
        for (var i = 0; i < shards.Length; i++)
        {
            var bytes = new byte[length];
            if (i < codec.DataShards)
            {
                random.NextBytes(bytes);
            }

            shards[i] = bytes;
        }

        codec.Encode(shards);
        return shards;
    }

    private static (Memory<byte>[] Shards, bool[] Present) Erase(Memory<byte>[] original, int[] lost)
    {
        var shards = new Memory<byte>[original.Length];
        var present = new bool[original.Length];
        for (var i = 0; i < original.Length; i++)
        {
            shards[i] = original[i].ToArray();
            present[i] = true;
        }

        foreach (var i in lost)
        {
            shards[i].Span.Fill(0xEE);
            present[i] = false;
        }

        return (shards, present);
    }

    private static void AssertSame(Memory<byte>[] expected, Memory<byte>[] actual, string what)
    {
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(expected[i].Span.SequenceEqual(actual[i].Span), $"{what}: shard {i} differs");
        }
    }
}
