using Stratus.Storage.Erasure;

namespace Stratus.Storage.Tests.Erasure;

public sealed class GaloisFieldTests
{
    [Fact]
    public void Multiplication_matches_carryless_multiplication_reduced_by_0x11D()
    {
        for (var a = 0; a < 256; a++)
        {
            for (var b = 0; b < 256; b++)
            {
                Assert.Equal(CarrylessReduce(a, b), GaloisField.Multiply((byte)a, (byte)b));
            }
        }
    }

    [Fact]
    public void Every_nonzero_element_times_its_inverse_is_one()
    {
        for (var a = 1; a < 256; a++)
        {
            Assert.Equal(1, GaloisField.Multiply((byte)a, GaloisField.Inverse((byte)a)));
        }
    }

    [Fact]
    public void Affine_matrix_applied_bit_by_bit_multiplies_by_its_constant()
    {
        for (var c = 0; c < 256; c++)
        {
            var matrix = GaloisField.AffineMatrix((byte)c);
            for (var x = 0; x < 256; x++)
            {
                // GF2P8AFFINEQB: output bit i = parity(matrix byte (7 − i) AND x).
                var result = 0;
                for (var i = 0; i < 8; i++)
                {
                    var row = (int)(matrix >> (8 * (7 - i))) & 0xFF;
                    result |= (System.Numerics.BitOperations.PopCount((uint)(row & x)) & 1) << i;
                }

                Assert.Equal(GaloisField.Multiply((byte)c, (byte)x), result);
            }
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(4, 2)]
    [InlineData(5, 5)]
    [InlineData(8, 4)]
    public void Every_K_rows_of_the_coding_matrix_are_invertible_and_the_top_is_the_identity(int k, int m)
    {
        var matrix = GaloisMatrix.Systematic(k, m);
        for (var r = 0; r < k; r++)
        {
            for (var c = 0; c < k; c++)
            {
                Assert.Equal(r == c ? 1 : 0, matrix[(r * k) + c]);
            }
        }

        foreach (var rows in Subsets(k + m, k))
        {
            var sub = new byte[k * k];
            for (var i = 0; i < k; i++)
            {
                matrix.AsSpan(rows[i] * k, k).CopyTo(sub.AsSpan(i * k));
            }

            Assert.True(GaloisMatrix.TryInvert(sub, k, out _), $"rows {string.Join(',', rows)} are singular");
        }
    }

    [Fact]
    public void A_singular_matrix_is_reported_as_not_invertible()
    {
        Assert.False(GaloisMatrix.TryInvert(new byte[] { 1, 2, 1, 2 }, 2, out _));
    }

    internal static IEnumerable<int[]> Subsets(int n, int size)
    {
        var current = new int[size];
        return Walk(0, 0);

        IEnumerable<int[]> Walk(int start, int depth)
        {
            if (depth == size)
            {
                yield return (int[])current.Clone();
                yield break;
            }

            for (var i = start; i < n; i++)
            {
                current[depth] = i;
                foreach (var s in Walk(i + 1, depth + 1))
                {
                    yield return s;
                }
            }
        }
    }

    private static int CarrylessReduce(int a, int b)
    {
        var product = 0;
        for (var i = 0; i < 8; i++)
        {
            if (((b >> i) & 1) != 0)
            {
                product ^= a << i;
            }
        }

        for (var bit = 15; bit >= 8; bit--)
        {
            if (((product >> bit) & 1) != 0)
            {
                product ^= GaloisField.Polynomial << (bit - 8);
            }
        }

        return product;
    }
}
