using System.Numerics;
using System.Runtime.CompilerServices;

namespace NetNumerics.Fast.Kernels;

/// <summary>
/// torch 1.13's CPU tensor kernels as they round, over any vector width: the twin of
/// NetNumerics.Reference.Optimizers.TorchOps (same operations in the same order, so every lane gives the
/// Reference's bits). <c>fused</c>: torch's native kernels compute <c>add(alpha=)</c> and <c>addcmul</c> with one FMA.
/// </summary>
internal static class TorchOps<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary><c>a.add(b, alpha=s)</c>: plain <c>a + s*b</c>, fused <c>fma(b, s, a)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Add<TV>(TV a, TV b, T s, bool fused) where TV : struct, IVec<TV, T> =>
        fused ? TV.FusedMultiplyAdd(b, TV.Create(s), a) : a + TV.Create(s) * b;

    /// <summary><c>a.addcmul(t1, t2, value=s)</c>: plain <c>a + (s*t1)*t2</c>, fused <c>fma(s*t1, t2, a)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV AddCmul<TV>(TV a, TV t1, TV t2, T s, bool fused) where TV : struct, IVec<TV, T> =>
        fused ? TV.FusedMultiplyAdd(TV.Create(s) * t1, t2, a) : a + (TV.Create(s) * t1) * t2;

    /// <summary><c>a.addcdiv(t1, t2, value=s)</c>: <c>a + (s*t1)/t2</c> (never fused).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV AddCdiv<TV>(TV a, TV t1, TV t2, T s) where TV : struct, IVec<TV, T> => a + (TV.Create(s) * t1) / t2;
}
