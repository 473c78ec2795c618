using NetNumerics.Fast.Kernels;
using System.Numerics;
using System.Runtime.CompilerServices;
using NetNumerics.Optimizers;

namespace NetNumerics.Fast.Optimizers;

/// <summary>
/// Schedule-Free on the Fast path: the Fast base optimizer steps z, then one fused vector pass does the decay, the
/// average and the interpolation in the order of NetNumerics.Reference.Optimizers.ScheduleFree (same bits).
/// </summary>
public sealed class FastScheduleFree(ScheduleFreeOptions options) : ScheduleFreeOptimizer(options, FastOptimizers.For(options.Base))
{
    /// <inheritdoc/>
    protected override unsafe void Average<T>(Span<T> y, Span<T> z, Span<T> x, double lrWd, double c, double b1)
    {
        fixed (T* py = y) fixed (T* pz = z) fixed (T* px = x)
        {
            var k = new ScheduleFreeKernel<T>
            {
                Y = py, Z = pz, X = px, Decay = C<T>(lrWd), Decays = lrWd != 0,
                C = C<T>(c), OneMinusC = C<T>(1.0 - c), B1 = C<T>(b1),
            };
            KernelDriver.Run<T, ScheduleFreeKernel<T>>(ref k, y.Length);
        }
    }
}

unsafe struct ScheduleFreeKernel<T> : IKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T* Y, Z, X;
    public T Decay, C, OneMinusC, B1;
    public bool Decays;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Apply<TV>(nint i) where TV : struct, IVec<TV, T>
    {
        TV y = TV.Load(Y + i), z = TV.Load(Z + i), x = TV.Load(X + i);
        if (Decays) z = z - TV.Create(Decay) * y;
        x = TV.Create(OneMinusC) * x + TV.Create(C) * z;
        y = z + TV.Create(B1) * (x - z);
        y.Store(Y + i);
        z.Store(Z + i);
        x.Store(X + i);
    }
}
