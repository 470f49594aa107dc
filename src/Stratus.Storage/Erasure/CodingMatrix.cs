using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Stratus.Storage.Erasure;

/// <summary>
/// A rows×cols coefficient matrix prepared for every kernel at once: raw coefficients, split-nibble tables widened to
/// 256 and 512 bits, and GF2P8AFFINEQB bit matrices. The tables live in pinned arrays so kernels take their address
/// without pinning per call.
/// </summary>
internal sealed unsafe class CodingMatrix
{
    /// <summary>Bytes of nibble tables per coefficient for 256-bit kernels: low-nibble table twice, then high-nibble table twice.</summary>
    public const int Nibble256Stride = 64;

    /// <summary>Bytes of nibble tables per coefficient for 512-bit kernels: each 16-byte table four times.</summary>
    public const int Nibble512Stride = 128;

    private readonly byte[] _nibble256;
    private readonly byte[] _nibble512;
    private readonly ulong[] _affine;

    public CodingMatrix(byte[] coefficients, int rows, int cols)
    {
        if (coefficients.Length != rows * cols)
        {
            throw new ArgumentException("The coefficient count must be rows × cols.", nameof(coefficients));
        }

        Coefficients = coefficients;
        Rows = rows;
        Cols = cols;
        _nibble256 = GC.AllocateUninitializedArray<byte>(coefficients.Length * Nibble256Stride, pinned: true);
        _nibble512 = GC.AllocateUninitializedArray<byte>(coefficients.Length * Nibble512Stride, pinned: true);
        _affine = GC.AllocateUninitializedArray<ulong>(coefficients.Length, pinned: true);
        for (var i = 0; i < coefficients.Length; i++)
        {
            var c = coefficients[i];
            for (var n = 0; n < 16; n++)
            {
                var low = GaloisField.Multiply(c, (byte)n);
                var high = GaloisField.Multiply(c, (byte)(n << 4));
                for (var copy = 0; copy < 2; copy++)
                {
                    _nibble256[(i * Nibble256Stride) + (copy * 16) + n] = low;
                    _nibble256[(i * Nibble256Stride) + 32 + (copy * 16) + n] = high;
                }

                for (var copy = 0; copy < 4; copy++)
                {
                    _nibble512[(i * Nibble512Stride) + (copy * 16) + n] = low;
                    _nibble512[(i * Nibble512Stride) + 64 + (copy * 16) + n] = high;
                }
            }

            _affine[i] = GaloisField.AffineMatrix(c);
        }
    }

    /// <summary>Row-major coefficients.</summary>
    public byte[] Coefficients { get; }

    public int Rows { get; }

    public int Cols { get; }

    public byte* Nibble256 => (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_nibble256));

    public byte* Nibble512 => (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_nibble512));

    public ulong* Affine => (ulong*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_affine));
}
