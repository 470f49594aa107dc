using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Stratus.Storage.Erasure;

internal static unsafe partial class GaloisKernels
{
    /// <summary>Split-nibble products over 64 bytes a step with AVX-512BW VPSHUFB (tables repeated in each 128-bit lane).</summary>
    private readonly struct Avx512Pass : IPass
    {
        private readonly CodingMatrix _matrix;
        private readonly int _row0;
        private readonly byte** _inputs;
        private readonly byte** _outputs;
        private readonly int _start;
        private readonly int _end;

        public Avx512Pass(CodingMatrix matrix, int row0, byte** inputs, byte** outputs, int start, int end)
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
            var stride = cols * CodingMatrix.Nibble512Stride;
            var tables = _matrix.Nibble512 + (_row0 * stride);
            var mask = Vector512.Create((byte)0x0F);
            var o0 = _outputs[0];
            var o1 = TRows.Value > 1 ? _outputs[1] : null;
            var o2 = TRows.Value > 2 ? _outputs[2] : null;
            var o3 = TRows.Value > 3 ? _outputs[3] : null;
            for (nint pos = _start; pos < _end; pos += 64)
            {
                Vector512<byte> a0 = default, a1 = default, a2 = default, a3 = default;
                var t = tables;
                for (var c = 0; c < cols; c++, t += CodingMatrix.Nibble512Stride)
                {
                    var x = Vector512.Load(inputs[c] + pos);
                    var low = x & mask;
                    var high = Vector512.ShiftRightLogical(x.AsUInt16(), 4).AsByte() & mask;
                    a0 ^= Avx512BW.Shuffle(Vector512.Load(t), low) ^ Avx512BW.Shuffle(Vector512.Load(t + 64), high);
                    if (TRows.Value > 1)
                    {
                        a1 ^= Avx512BW.Shuffle(Vector512.Load(t + stride), low) ^ Avx512BW.Shuffle(Vector512.Load(t + stride + 64), high);
                    }

                    if (TRows.Value > 2)
                    {
                        a2 ^= Avx512BW.Shuffle(Vector512.Load(t + (2 * stride)), low) ^ Avx512BW.Shuffle(Vector512.Load(t + (2 * stride) + 64), high);
                    }

                    if (TRows.Value > 3)
                    {
                        a3 ^= Avx512BW.Shuffle(Vector512.Load(t + (3 * stride)), low) ^ Avx512BW.Shuffle(Vector512.Load(t + (3 * stride) + 64), high);
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
