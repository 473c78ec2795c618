using System.Numerics;
using System.Runtime.CompilerServices;
using NetNumerics.Optimizers;

namespace NetNumerics.Fast.Kernels;

/// <summary>The weight-decay prologue every kernel shares: <c>g = g + wd*p</c> (L2) or <c>p = p - (lr*wd)*p</c> (decoupled).</summary>
internal readonly struct WeightDecayTerm<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly T _wd, _lrWd;
    readonly bool _l2, _decoupled;

    public WeightDecayTerm(double weightDecay, WeightDecayMode mode, double learningRate)
    {
        _wd = T.CreateTruncating(weightDecay);
        _lrWd = T.CreateTruncating(learningRate * weightDecay);
        _l2 = weightDecay != 0 && mode == WeightDecayMode.L2;
        _decoupled = weightDecay != 0 && mode == WeightDecayMode.Decoupled;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Apply<TV>(ref TV p, ref TV g) where TV : struct, IVec<TV, T>
    {
        if (_l2) g = g + TV.Create(_wd) * p;
        if (_decoupled) p = p - TV.Create(_lrWd) * p;
    }
}
