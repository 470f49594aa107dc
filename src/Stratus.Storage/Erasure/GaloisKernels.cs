using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Stratus.Storage.Erasure;

/// <summary>
/// outputs[r] = Σ_c coefficient[r, c] · inputs[c] over GF(2^8), for every byte position. Vector kernels walk the
/// positions once, load each input vector once and keep up to four output accumulators in registers (the ISA-L
/// "n-vector dot product" shape), so memory traffic is one read of every input and one write of every output per group
/// of four rows. Bytes past the last whole vector go through the scalar kernel.
/// </summary>
internal static unsafe partial class GaloisKernels
{
    private const int RowsPerPass = 4;
    private const int SegmentBytes = 16 * 1024;

    /// <summary>The fastest kernel this CPU supports, in the order measured by the <c>erasure</c> benchmark.</summary>
    public static GaloisKernel Best { get; } =
        IsSupported(GaloisKernel.Gfni512) ? GaloisKernel.Gfni512
        : IsSupported(GaloisKernel.Gfni) ? GaloisKernel.Gfni
        : IsSupported(GaloisKernel.Avx512) ? GaloisKernel.Avx512
        : IsSupported(GaloisKernel.Avx2) ? GaloisKernel.Avx2
        : GaloisKernel.Scalar;

    /// <summary>Whether <paramref name="kernel"/> can run on this CPU.</summary>
    public static bool IsSupported(GaloisKernel kernel) => kernel switch
    {
        GaloisKernel.Auto or GaloisKernel.Scalar => true,
        GaloisKernel.Avx2 => Avx2.IsSupported,
        GaloisKernel.Avx512 => Avx512BW.IsSupported,
        GaloisKernel.Gfni => Gfni.V256.IsSupported,
        GaloisKernel.Gfni512 => Gfni.V512.IsSupported && Avx512BW.IsSupported,
        _ => false,
    };

    /// <summary>Why a kernel is unavailable, for skipped tests and benchmark output.</summary>
    public static string UnsupportedReason(GaloisKernel kernel) => kernel switch
    {
        GaloisKernel.Avx2 => "this CPU has no AVX2",
        GaloisKernel.Avx512 => "this CPU has no AVX-512BW",
        GaloisKernel.Gfni => "this CPU has no GFNI with 256-bit vectors",
        GaloisKernel.Gfni512 => "this CPU has no GFNI with AVX-512",
        _ => "unknown kernel",
    };

    /// <summary>Runs <paramref name="kernel"/> (already resolved, not Auto) over <paramref name="length"/> bytes.</summary>
    public static void MultiplySum(GaloisKernel kernel, CodingMatrix matrix, byte** inputs, byte** outputs, int length)
    {
        var width = kernel switch
        {
            GaloisKernel.Avx2 or GaloisKernel.Gfni => 32,
            GaloisKernel.Avx512 or GaloisKernel.Gfni512 => 64,
            _ => 0,
        };
        var vectorLength = width == 0 ? 0 : length - (length % width);
        // With more than one pass of rows, walk the positions in segments so that every pass after the first finds its
        // inputs in L2 instead of memory.
        var segment = matrix.Rows > RowsPerPass ? SegmentBytes : Math.Max(vectorLength, 1);
        for (var start = 0; start < vectorLength; start += segment)
        {
            var end = Math.Min(start + segment, vectorLength);
            for (var row0 = 0; row0 < matrix.Rows; row0 += RowsPerPass)
            {
                var rows = Math.Min(RowsPerPass, matrix.Rows - row0);
                switch (kernel)
                {
                    case GaloisKernel.Avx2:
                        Dispatch(rows, new Avx2Pass(matrix, row0, inputs, outputs + row0, start, end));
                        break;
                    case GaloisKernel.Avx512:
                        Dispatch(rows, new Avx512Pass(matrix, row0, inputs, outputs + row0, start, end));
                        break;
                    case GaloisKernel.Gfni:
                        Dispatch(rows, new GfniPass(matrix, row0, inputs, outputs + row0, start, end));
                        break;
                    default:
                        Dispatch(rows, new Gfni512Pass(matrix, row0, inputs, outputs + row0, start, end));
                        break;
                }
            }
        }

        if (vectorLength < length)
        {
            Scalar(matrix, inputs, outputs, vectorLength, length);
        }
    }

    /// <summary>The reference kernel: one 256-byte product row per coefficient, one byte at a time.</summary>
    public static void Scalar(CodingMatrix matrix, byte** inputs, byte** outputs, int start, int end)
    {
        var table = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(GaloisField.MulTable));
        for (var r = 0; r < matrix.Rows; r++)
        {
            var output = outputs[r];
            new Span<byte>(output + start, end - start).Clear();
            for (var c = 0; c < matrix.Cols; c++)
            {
                var product = table + (matrix.Coefficients[(r * matrix.Cols) + c] << 8);
                var input = inputs[c];
                for (var i = start; i < end; i++)
                {
                    output[i] ^= product[input[i]];
                }
            }
        }
    }

    private static void Dispatch<TPass>(int rows, TPass pass)
        where TPass : struct, IPass
    {
        switch (rows)
        {
            case 1:
                pass.Run<One>();
                break;
            case 2:
                pass.Run<Two>();
                break;
            case 3:
                pass.Run<Three>();
                break;
            default:
                pass.Run<Four>();
                break;
        }
    }

    /// <summary>How many output rows one pass keeps in registers; a type parameter so the JIT folds the row tests away.</summary>
    private interface IRowCount
    {
        static abstract int Value { get; }
    }

    private interface IPass
    {
        void Run<TRows>()
            where TRows : struct, IRowCount;
    }

    private readonly struct One : IRowCount
    {
        public static int Value => 1;
    }

    private readonly struct Two : IRowCount
    {
        public static int Value => 2;
    }

    private readonly struct Three : IRowCount
    {
        public static int Value => 3;
    }

    private readonly struct Four : IRowCount
    {
        public static int Value => 4;
    }
}
