namespace Stratus.Storage.Erasure;

/// <summary>Which implementation multiplies shards by coding coefficients; <see cref="Auto"/> picks the fastest the CPU supports.</summary>
public enum GaloisKernel
{
    /// <summary>The fastest supported kernel, chosen at run time.</summary>
    Auto = 0,

    /// <summary>Byte-at-a-time product-table lookups: the reference every vector kernel is tested against.</summary>
    Scalar = 1,

    /// <summary>32 bytes a step: split-nibble lookup tables with PSHUFB (<c>Avx2.Shuffle</c>).</summary>
    Avx2 = 2,

    /// <summary>64 bytes a step: split-nibble lookup tables with AVX-512BW VPSHUFB.</summary>
    Avx512 = 3,

    /// <summary>32 bytes a step: GF2P8AFFINEQB with a per-coefficient 8×8 bit matrix.</summary>
    Gfni = 4,

    /// <summary>64 bytes a step: GF2P8AFFINEQB on 512-bit vectors.</summary>
    Gfni512 = 5,
}
