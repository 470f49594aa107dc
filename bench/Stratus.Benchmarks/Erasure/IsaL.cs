using System.Runtime.InteropServices;

namespace Stratus.Benchmarks.Erasure;

/// <summary>Intel ISA-L's erasure-code entry points (Debian package libisal2), the baseline the codec is measured against.</summary>
internal static unsafe partial class IsaL
{
    private const string Library = "libisal.so.2";

    /// <summary>Whether the library loads on this machine.</summary>
    public static bool TryLoad(out string? error)
    {
        if (NativeLibrary.TryLoad(Library, out var handle))
        {
            NativeLibrary.Free(handle);
            error = null;
            return true;
        }

        error = $"{Library} not found: install it with `apt-get install -y libisal2`.";
        return false;
    }

    /// <summary>Fills an m×k systematic Cauchy matrix (identity on top) whose every k×k row subset is invertible.</summary>
    [LibraryImport(Library, EntryPoint = "gf_gen_cauchy1_matrix")]
    public static partial void GenerateCauchyMatrix(byte* matrix, int rows, int k);

    /// <summary>Inverts an n×n matrix; 0 on success.</summary>
    [LibraryImport(Library, EntryPoint = "gf_invert_matrix")]
    public static partial int InvertMatrix(byte* input, byte* output, int n);

    /// <summary>Expands rows×k coefficients into the 32-byte-per-coefficient tables ec_encode_data reads.</summary>
    [LibraryImport(Library, EntryPoint = "ec_init_tables")]
    public static partial void InitTables(int k, int rows, byte* coefficients, byte* tables);

    /// <summary>coding[r] = Σ coefficient[r, c] · data[c] over len bytes, with the best kernel ISA-L dispatches to on this CPU.</summary>
    [LibraryImport(Library, EntryPoint = "ec_encode_data")]
    public static partial void EncodeData(int len, int k, int rows, byte* tables, byte** data, byte** coding);
}
