using Stratus.Storage.Erasure;

namespace Stratus.Storage.Tests.Erasure;

public sealed unsafe class GaloisKernelTests
{
    // Lengths around every vector width, including ones that are not a multiple of 32 or 64.
    public static TheoryData<int> Lengths => new() { 0, 1, 15, 31, 32, 33, 63, 64, 65, 127, 129, 1000, 4097, 70_001 };

    [KernelTheory(GaloisKernel.Avx2)]
    [MemberData(nameof(Lengths))]
    public void Avx2_kernel_matches_the_scalar_kernel(int length) => MatchesScalar(GaloisKernel.Avx2, length);

    [KernelTheory(GaloisKernel.Avx512)]
    [MemberData(nameof(Lengths))]
    public void Avx512_kernel_matches_the_scalar_kernel(int length) => MatchesScalar(GaloisKernel.Avx512, length);

    [KernelTheory(GaloisKernel.Gfni)]
    [MemberData(nameof(Lengths))]
    public void Gfni_kernel_matches_the_scalar_kernel(int length) => MatchesScalar(GaloisKernel.Gfni, length);

    [KernelTheory(GaloisKernel.Gfni512)]
    [MemberData(nameof(Lengths))]
    public void Gfni512_kernel_matches_the_scalar_kernel(int length) => MatchesScalar(GaloisKernel.Gfni512, length);

    [Fact]
    public void Auto_resolves_to_a_supported_concrete_kernel()
    {
        var codec = new ReedSolomonCodec(4, 2);
        Assert.NotEqual(GaloisKernel.Auto, codec.Kernel);
        Assert.True(ReedSolomonCodec.IsSupported(codec.Kernel));
    }

    private static void MatchesScalar(GaloisKernel kernel, int length)
    {
        var random = new Random(length);

        // Row counts 1…9 cover every register-group size (1–4) and more than one pass with segmenting.
        foreach (var (rows, cols) in new[] { (1, 1), (2, 4), (3, 5), (4, 8), (5, 3), (9, 10) })
        {
            var coefficients = new byte[rows * cols];
            random.NextBytes(coefficients);
            coefficients[0] = 0;
            if (coefficients.Length > 1)
            {
                coefficients[1] = 1;
            }

            var matrix = new CodingMatrix(coefficients, rows, cols);
            var inputs = new byte[cols][];
            for (var c = 0; c < cols; c++)
            {
                inputs[c] = new byte[length];
                random.NextBytes(inputs[c]);
            }

            var expected = Run(GaloisKernel.Scalar, matrix, inputs, rows, length);
            var actual = Run(kernel, matrix, inputs, rows, length);
            for (var r = 0; r < rows; r++)
            {
                Assert.True(expected[r].AsSpan().SequenceEqual(actual[r]), $"{kernel} differs from scalar: {rows}×{cols}, length {length}, row {r}");
            }
        }
    }

    private static byte[][] Run(GaloisKernel kernel, CodingMatrix matrix, byte[][] inputs, int rows, int length)
    {
        var outputs = new byte[rows][];
        for (var r = 0; r < rows; r++)
        {
            outputs[r] = new byte[length];
            Random.Shared.NextBytes(outputs[r]); // kernels must overwrite, not accumulate into, old contents
        }

        var handles = new List<System.Runtime.InteropServices.GCHandle>();
        try
        {
            var inputPointers = stackalloc byte*[inputs.Length];
            var outputPointers = stackalloc byte*[rows];
            for (var c = 0; c < inputs.Length; c++)
            {
                var h = System.Runtime.InteropServices.GCHandle.Alloc(inputs[c], System.Runtime.InteropServices.GCHandleType.Pinned);
                handles.Add(h);
                inputPointers[c] = (byte*)h.AddrOfPinnedObject();
            }

            for (var r = 0; r < rows; r++)
            {
                var h = System.Runtime.InteropServices.GCHandle.Alloc(outputs[r], System.Runtime.InteropServices.GCHandleType.Pinned);
                handles.Add(h);
                outputPointers[r] = (byte*)h.AddrOfPinnedObject();
            }

            if (kernel == GaloisKernel.Scalar)
            {
                GaloisKernels.Scalar(matrix, inputPointers, outputPointers, 0, length);
            }
            else
            {
                GaloisKernels.MultiplySum(kernel, matrix, inputPointers, outputPointers, length);
            }
        }
        finally
        {
            foreach (var h in handles)
            {
                h.Free();
            }
        }

        return outputs;
    }
}
