using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Stratus.Storage.Erasure;

internal static unsafe partial class GaloisKernels
{
    /// <summary>Split-nibble products: a·x = T_low[x &amp; 15] ⊕ T_high[x &gt;&gt; 4], each table lookup one PSHUFB over 32 bytes.</summary>
    private readonly struct Avx2Pass : IPass
    {
        private readonly CodingMatrix _matrix;
        private readonly int _row0;
        private readonly byte** _inputs;
        private readonly byte** _outputs;
        private readonly int _start;
        private readonly int _end;

        public Avx2Pass(CodingMatrix matrix, int row0, byte** inputs, byte** outputs, int start, int end)
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
            var stride = cols * CodingMatrix.Nibble256Stride;
            var tables = _matrix.Nibble256 + (_row0 * stride);
            var mask = Vector256.Create((byte)0x0F);
            var o0 = _outputs[0];
            var o1 = TRows.Value > 1 ? _outputs[1] : null;
            var o2 = TRows.Value > 2 ? _outputs[2] : null;
            var o3 = TRows.Value > 3 ? _outputs[3] : null;
            for (nint pos = _start; pos < _end; pos += 32)
            {
                Vector256<byte> a0 = default, a1 = default, a2 = default, a3 = default;
                var t = tables;
                for (var c = 0; c < cols; c++, t += CodingMatrix.Nibble256Stride)
                {
                    var x = Vector256.Load(inputs[c] + pos);
                    var low = x & mask;
                    var high = Vector256.ShiftRightLogical(x.AsUInt16(), 4).AsByte() & mask;
                    a0 ^= Avx2.Shuffle(Vector256.Load(t), low) ^ Avx2.Shuffle(Vector256.Load(t + 32), high);
                    if (TRows.Value > 1)
                    {
                        a1 ^= Avx2.Shuffle(Vector256.Load(t + stride), low) ^ Avx2.Shuffle(Vector256.Load(t + stride + 32), high);
                    }

                    if (TRows.Value > 2)
                    {
                        a2 ^= Avx2.Shuffle(Vector256.Load(t + (2 * stride)), low) ^ Avx2.Shuffle(Vector256.Load(t + (2 * stride) + 32), high);
                    }

                    if (TRows.Value > 3)
                    {
                        a3 ^= Avx2.Shuffle(Vector256.Load(t + (3 * stride)), low) ^ Avx2.Shuffle(Vector256.Load(t + (3 * stride) + 32), high);
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
