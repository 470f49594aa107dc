namespace Stratus.Storage.Erasure;

/// <summary>Row-major matrices over GF(2^8): the systematic coding matrix and Gauss–Jordan inversion.</summary>
internal static class GaloisMatrix
{
    /// <summary>
    /// The (K+M)×K systematic coding matrix: a Vandermonde matrix V[r][c] = r^c over the distinct field elements r = 0…K+M−1,
    /// multiplied on the right by the inverse of its top K×K square. Any K rows of V form an invertible Vandermonde matrix and
    /// right-multiplying by an invertible matrix keeps every K×K row subset invertible, so any K surviving shards decode;
    /// the top K rows become the identity, so data shards are stored as they are.
    /// </summary>
    public static byte[] Systematic(int dataShards, int parityShards)
    {
        var rows = dataShards + parityShards;
        var vandermonde = new byte[rows * dataShards];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < dataShards; c++)
            {
                vandermonde[(r * dataShards) + c] = GaloisField.Power((byte)r, c);
            }
        }

        var top = vandermonde.AsSpan(0, dataShards * dataShards).ToArray();
        if (!TryInvert(top, dataShards, out var topInverse))
        {
            throw new InvalidOperationException("The top square of a Vandermonde matrix over distinct points is always invertible.");
        }

        return Multiply(vandermonde, rows, dataShards, topInverse, dataShards);
    }

    /// <summary>a (rows×inner) · b (inner×cols).</summary>
    public static byte[] Multiply(ReadOnlySpan<byte> a, int rows, int inner, ReadOnlySpan<byte> b, int cols)
    {
        var result = new byte[rows * cols];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < cols; c++)
            {
                byte sum = 0;
                for (var i = 0; i < inner; i++)
                {
                    sum ^= GaloisField.Multiply(a[(r * inner) + i], b[(i * cols) + c]);
                }

                result[(r * cols) + c] = sum;
            }
        }

        return result;
    }

    /// <summary>Inverts an n×n matrix by Gauss–Jordan elimination; false if it is singular.</summary>
    public static bool TryInvert(ReadOnlySpan<byte> matrix, int n, out byte[] inverse)
    {
        var work = matrix.ToArray();
        inverse = new byte[n * n];
        for (var i = 0; i < n; i++)
        {
            inverse[(i * n) + i] = 1;
        }

        for (var col = 0; col < n; col++)
        {
            var pivot = col;
            while (pivot < n && work[(pivot * n) + col] == 0)
            {
                pivot++;
            }

            if (pivot == n)
            {
                return false;
            }

            if (pivot != col)
            {
                SwapRows(work, n, pivot, col);
                SwapRows(inverse, n, pivot, col);
            }

            var scale = GaloisField.Inverse(work[(col * n) + col]);
            ScaleRow(work, n, col, scale);
            ScaleRow(inverse, n, col, scale);

            for (var r = 0; r < n; r++)
            {
                var factor = work[(r * n) + col];
                if (r == col || factor == 0)
                {
                    continue;
                }

                for (var c = 0; c < n; c++)
                {
                    work[(r * n) + c] ^= GaloisField.Multiply(factor, work[(col * n) + c]);
                    inverse[(r * n) + c] ^= GaloisField.Multiply(factor, inverse[(col * n) + c]);
                }
            }
        }

        return true;
    }

    private static void SwapRows(byte[] m, int n, int a, int b)
    {
        for (var c = 0; c < n; c++)
        {
            (m[(a * n) + c], m[(b * n) + c]) = (m[(b * n) + c], m[(a * n) + c]);
        }
    }

    private static void ScaleRow(byte[] m, int n, int row, byte scale)
    {
        for (var c = 0; c < n; c++)
        {
            m[(row * n) + c] = GaloisField.Multiply(scale, m[(row * n) + c]);
        }
    }
}
