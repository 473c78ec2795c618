using System.Numerics;
using NetNumerics.Optimizers;

namespace NetNumerics.Reference.Optimizers;

/// <summary>
/// RMSprop, the specification: <c>v = rho*v + (1-rho)*(g*g)</c>; centered <c>mg = rho*mg + (1-rho)*g; s = v - mg*mg</c>
/// else <c>s = v</c>; <c>q = g/sqrt(s + eps)</c> (Keras) or <c>g/(sqrt(s) + eps)</c> (PyTorch);
/// no momentum <c>p = p - lr*q</c>; Keras momentum <c>b = mom*b + lr*q; p = p - b</c>;
/// PyTorch momentum <c>b = mom*b + q; p = p - lr*b</c>.
/// </summary>
public sealed class Rmsprop(RmspropOptions options) : OptimizerBase(options)
{
    protected override void Apply<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr)
    {
        T lrT = C<T>(lr), rho = C<T>(options.Rho), oneMinusRho = C<T>(1.0 - options.Rho);
        T eps = C<T>(options.Epsilon), mom = C<T>(options.Momentum);
        T wd = C<T>(options.WeightDecay), lrWd = C<T>(lr * options.WeightDecay);
        bool l2 = options.WeightDecay != 0 && options.WeightDecayMode == WeightDecayMode.L2;
        bool decoupled = options.WeightDecay != 0 && options.WeightDecayMode == WeightDecayMode.Decoupled;
        Span<T> v = state.Slot("v").Span;
        Span<T> mg = options.Centered ? state.Slot("mg").Span : default;
        Span<T> buf = options.Momentum != 0 ? state.Slot("momentum").Span : default;
        for (int i = 0; i < p.Length; i++)
        {
            T gi = g[i];
            if (l2) gi = gi + wd * p[i];
            if (decoupled) p[i] = p[i] - lrWd * p[i];
            v[i] = rho * v[i] + oneMinusRho * (gi * gi);
            T s = v[i];
            if (options.Centered)
            {
                mg[i] = rho * mg[i] + oneMinusRho * gi;
                s = v[i] - mg[i] * mg[i];
            }
            T denom = options.EpsilonPlacement == EpsilonPlacement.InsideSqrt ? T.Sqrt(s + eps) : T.Sqrt(s) + eps;
            T q = gi / denom;
            if (options.Momentum == 0)
            {
                p[i] = p[i] - lrT * q;
            }
            else if (options.MomentumForm == MomentumForm.Keras)
            {
                buf[i] = mom * buf[i] + lrT * q;
                p[i] = p[i] - buf[i];
            }
            else
            {
                buf[i] = mom * buf[i] + q;
                p[i] = p[i] - lrT * buf[i];
            }
        }
    }
}
