namespace Stratus.Storage.Erasure;

/// <summary>Arithmetic in GF(2^8) with the reducing polynomial x^8+x^4+x^3+x^2+1 (0x11D) and generator 2.</summary>
internal static class GaloisField
{
    /// <summary>The reducing polynomial, as used by ISA-L, Backblaze and klauspost/reedsolomon.</summary>
    public const int Polynomial = 0x11D;

    // Exp is doubled in length so that Exp[Log[a] + Log[b]] needs no modulo.
    private static readonly byte[] Exp = new byte[512];
    private static readonly byte[] Log = new byte[256];

    /// <summary>
    /// The full 256×256 product table: <c>MulTable[a * 256 + b] == a·b</c>; the scalar kernel reads one 256-byte row per
    /// coefficient through a raw pointer, so the table is pinned (a compacting GC must not move it mid-kernel).
    /// </summary>
    public static readonly byte[] MulTable = GC.AllocateArray<byte>(256 * 256, pinned: true);

    static GaloisField()
    {
        var x = 1;
        for (var i = 0; i < 255; i++)
        {
            Exp[i] = (byte)x;
            Log[x] = (byte)i;
            x <<= 1;
            if ((x & 0x100) != 0)
            {
                x ^= Polynomial;
            }
        }

        for (var i = 255; i < Exp.Length; i++)
        {
            Exp[i] = Exp[i - 255];
        }

        for (var a = 0; a < 256; a++)
        {
            for (var b = 0; b < 256; b++)
            {
                MulTable[(a << 8) | b] = MultiplySlow((byte)a, (byte)b);
            }
        }
    }

    /// <summary>a·b.</summary>
    public static byte Multiply(byte a, byte b) => MulTable[(a << 8) | b];

    /// <summary>a⁻¹; zero has no inverse.</summary>
    public static byte Inverse(byte a)
    {
        if (a == 0)
        {
            throw new DivideByZeroException("Zero has no inverse in GF(2^8).");
        }

        return Exp[255 - Log[a]];
    }

    /// <summary>a^n, with 0^0 = 1 as the Vandermonde construction needs.</summary>
    public static byte Power(byte a, int n)
    {
        if (n == 0)
        {
            return 1;
        }

        if (a == 0)
        {
            return 0;
        }

        return Exp[Log[a] * n % 255];
    }

    /// <summary>The 8×8 bit matrix of "multiply by <paramref name="c"/>" in the layout GF2P8AFFINEQB expects:
    /// byte 7−i of the result holds the row that produces output bit i.</summary>
    public static ulong AffineMatrix(byte c)
    {
        ulong matrix = 0;
        for (var i = 0; i < 8; i++)
        {
            var row = 0;
            for (var j = 0; j < 8; j++)
            {
                // Multiplication by c is linear over GF(2): input bit j contributes c·2^j.
                if (((Multiply(c, (byte)(1 << j)) >> i) & 1) != 0)
                {
                    row |= 1 << j;
                }
            }

            matrix |= (ulong)row << (8 * (7 - i));
        }

        return matrix;
    }

    private static byte MultiplySlow(byte a, byte b)
    {
        if (a == 0 || b == 0)
        {
            return 0;
        }

        return Exp[Log[a] + Log[b]];
    }
}
