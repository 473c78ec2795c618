using System.Numerics;
using NetNumerics.Optimizers;

namespace NetNumerics.Reference.Optimizers;

/// <summary>
/// SGD, the specification. Per element, with g' = g + wd*p (L2) or p = p - (lr*wd)*p first (decoupled):
/// plain <c>p = p - lr*g'</c>;
/// Keras (keras/src/optimizers/sgd.py): <c>v = m*v - lr*g'; p = p + v</c>, Nesterov <c>p = p + (m*v - lr*g')</c>;
/// PyTorch (torch/optim/sgd.py): <c>b = g'</c> at t = 1 else <c>b = m*b + (1-damp)*g'</c>;
/// Nesterov <c>d = g' + m*b</c> else <c>d = b</c>; <c>p = p - lr*d</c>.
/// </summary>
public sealed class Sgd(SgdOptions options) : OptimizerBase(options)
{
    protected override void Apply<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr)
    {
        T lrT = C<T>(lr), m = C<T>(options.Momentum), oneMinusDamp = C<T>(1.0 - options.Dampening);
        T wd = C<T>(options.WeightDecay), lrWd = C<T>(lr * options.WeightDecay);
        bool l2 = options.WeightDecay != 0 && options.WeightDecayMode == WeightDecayMode.L2;
        bool decoupled = options.WeightDecay != 0 && options.WeightDecayMode == WeightDecayMode.Decoupled;
        bool first = state.Step == 1;
        Span<T> buf = options.Momentum == 0 ? default : state.SlotAt(0).Span;
        for (int i = 0; i < p.Length; i++)
        {
            T gi = g[i];
            if (l2) gi = gi + wd * p[i];
            if (decoupled) p[i] = p[i] - lrWd * p[i];
            if (options.Momentum == 0)
            {
                p[i] = p[i] - lrT * gi;
            }
            else if (options.MomentumForm == MomentumForm.Keras)
            {
                buf[i] = m * buf[i] - lrT * gi;
                p[i] = options.Nesterov ? p[i] + (m * buf[i] - lrT * gi) : p[i] + buf[i];
            }
            else
            {
                buf[i] = first ? gi : m * buf[i] + oneMinusDamp * gi;
                T d = options.Nesterov ? gi + m * buf[i] : buf[i];
                p[i] = p[i] - lrT * d;
            }
        }
    }
}
