using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Stratus.Storage.Erasure;

internal static unsafe partial class GaloisKernels
{
    /// <summary>One GF2P8AFFINEQB per coefficient over 32 bytes: the product by a constant is a linear map, given as an 8×8 bit matrix (GF2P8MULB reduces by 0x11B, not 0x11D, so it cannot be used).</summary>
    private readonly struct GfniPass : IPass
    {
        private readonly CodingMatrix _matrix;
        private readonly int _row0;
        private readonly byte** _inputs;
        private readonly byte** _outputs;
        private readonly int _start;
        private readonly int _end;

        public GfniPass(CodingMatrix matrix, int row0, byte** inputs, byte** outputs, int start, int end)
        {
            _matrix = matrix;
            _row0 = row0;
            _inputs = inputs;
            _outputs = outputs;
            _start = start;
            _end = end;
        }

        // Fully optimised from the first call: a tier-0 copy of this loop is ten times slower and gains nothing from PGO.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run<TRows>()
            where TRows : struct, IRowCount
        {
            var cols = _matrix.Cols;
            var inputs = _inputs;
            var matrices = _matrix.Affine + (_row0 * cols);
            var o0 = _outputs[0];
            var o1 = TRows.Value > 1 ? _outputs[1] : null;
            var o2 = TRows.Value > 2 ? _outputs[2] : null;
            var o3 = TRows.Value > 3 ? _outputs[3] : null;
            for (nint pos = _start; pos < _end; pos += 32)
            {
                Vector256<byte> a0 = default, a1 = default, a2 = default, a3 = default;
                var m = matrices;
                for (var c = 0; c < cols; c++, m++)
                {
                    var x = Vector256.Load(inputs[c] + pos);
                    a0 ^= Gfni.V256.GaloisFieldAffineTransform(x, Vector256.Create(m[0]).AsByte(), 0);
                    if (TRows.Value > 1)
                    {
                        a1 ^= Gfni.V256.GaloisFieldAffineTransform(x, Vector256.Create(m[cols]).AsByte(), 0);
                    }

                    if (TRows.Value > 2)
                    {
                        a2 ^= Gfni.V256.GaloisFieldAffineTransform(x, Vector256.Create(m[2 * cols]).AsByte(), 0);
                    }

                    if (TRows.Value > 3)
                    {
                        a3 ^= Gfni.V256.GaloisFieldAffineTransform(x, Vector256.Create(m[3 * cols]).AsByte(), 0);
                    }
                }

                a0.Store(o0 + pos);
                if (TRows.Value > 1)
                {
                    a1.Store(o1 + pos);
                }

                if (TRows.Value > 2)
                {
                    a2.Store(o2 + pos);
                }

                if (TRows.Value > 3)
                {
                    a3.Store(o3 + pos);
                }
            }
        }
    }
}
