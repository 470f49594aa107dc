using Stratus.Storage.Erasure;

namespace Stratus.Storage.Tests.Erasure;

/// <summary>A theory that is skipped, saying why, only when this CPU lacks the kernel's instructions.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class KernelTheoryAttribute : TheoryAttribute
{
    public KernelTheoryAttribute(GaloisKernel kernel)
    {
        if (!GaloisKernels.IsSupported(kernel))
        {
            Skip = $"{kernel} kernel not tested: {GaloisKernels.UnsupportedReason(kernel)}.";
        }
    }
}
