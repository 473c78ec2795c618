using System.Numerics;
using NetNumerics.Optimizers;

namespace NetNumerics.Reference.Optimizers;

/// <summary>
/// torch 1.13's CPU tensor kernels as they round, one element at a time (scripts/torch-fixtures/OPERATION-ORDER.md,
/// "The kernels"). The scalar argument is a Python double that the kernel rounds once to T; callers pass it
/// already rounded. <c>fused</c> is <see cref="OperationOrder.PyTorchFused"/>: torch's native vectorized kernels
/// compute <c>add(alpha=)</c> and <c>addcmul</c> with one fused multiply-add at every element; nothing else fuses.
/// Fast.Kernels.TorchOps is the vector twin.
/// </summary>
internal static class TorchOps
{
    /// <summary>torch's float32 <c>step</c> after t increments, as a double (saturates at 2^24).</summary>
    public static double FloatStep(long t) => TorchSteps.FloatStep(t);

    /// <summary><c>a.add(b, alpha=s)</c>: plain <c>a + s*b</c>, fused <c>fma(b, s, a)</c>.</summary>
    public static T Add<T>(T a, T b, T s, bool fused) where T : IFloatingPointIeee754<T> =>
        fused ? T.FusedMultiplyAdd(b, s, a) : a + s * b;

    /// <summary><c>a.addcmul(t1, t2, value=s)</c>: plain <c>a + (s*t1)*t2</c>, fused <c>fma(s*t1, t2, a)</c>.</summary>
    public static T AddCmul<T>(T a, T t1, T t2, T s, bool fused) where T : IFloatingPointIeee754<T> =>
        fused ? T.FusedMultiplyAdd(s * t1, t2, a) : a + (s * t1) * t2;

    /// <summary><c>a.addcdiv(t1, t2, value=s)</c>: <c>a + (s*t1)/t2</c> in both modes (never fused).</summary>
    public static T AddCdiv<T>(T a, T t1, T t2, T s) where T : IFloatingPointIeee754<T> => a + (s * t1) / t2;

    /// <summary>A Python double handed to a kernel as a Scalar: rounded once to T.</summary>
    public static T S<T>(double value) where T : IFloatingPointIeee754<T> => T.CreateTruncating(value);
}
