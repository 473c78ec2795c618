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
/// <remarks>
/// <para><b>Subnormal, huge, infinite and NaN inputs</b> (parameters, gradients, state): propagated, never checked
/// and never flushed; each element follows IEEE 754 arithmetic on its own, so one bad element never changes another.
/// The learning rate is checked (finite, &gt;= 0: ArgumentOutOfRangeException naming it) and so is every
/// hyperparameter (by its options record); a valid hyperparameter that rounds to 0 or to infinity in T (epsilon
/// 1e-300 in float, say) is used as rounded. Subnormals are ordinary numbers here. A NaN anywhere in an element's
/// inputs makes that element's parameter NaN and keeps it NaN at every later step; which NaN payload comes out when
/// two NaNs meet is not specified (IEEE 754-2019 §6.2.3), so the Fast twin is proved to give NaN exactly where this
/// gives NaN and the same bits everywhere else.</para>
/// <para>SGD: an infinite gradient moves the parameter to the opposite infinity (or NaN if it was already the
/// other infinity); with lr = 0 an infinite gradient still gives NaN (0 * inf). A momentum buffer that became infinite
/// or NaN stays so (m * inf), so the parameter follows it at every later step.</para>
/// </remarks>
public sealed class Sgd(SgdOptions options) : OptimizerBase(options)
{
    /// <inheritdoc />
    protected override void Apply<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr)
    {
        if (options.Order.IsPyTorch()) { ApplyPyTorch(state, p, g, lr); return; }
        T lrT = C<T>(lr), m = C<T>(options.Momentum), oneMinusDamp = C<T>(1.0 - options.Dampening);
        T wd = C<T>(options.WeightDecay), lrWd = C<T>(lr * options.WeightDecay);
        bool l2 = options.WeightDecay != 0 && options.WeightDecayMode == WeightDecayMode.L2;
        bool decoupled = options.WeightDecay != 0 && options.WeightDecayMode == WeightDecayMode.Decoupled;
        bool first = state.Step == 1;
        Span<T> buf = options.Momentum == 0 ? default : state.SlotAt(0).Span;
        for (int i = 0; i < p.Length; i++)
        {
            T gi = options.Maximize ? -g[i] : g[i];
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

    /// <summary>
    /// torch/optim/sgd.py <c>_single_tensor_sgd</c> (its foreach path gives the same bits):
    /// <c>d = maximize ? -g : g; d = d.add(p, alpha=wd); buf = d</c> (first step) or <c>buf.mul_(m).add_(d, alpha=1-damp);
    /// d = nesterov ? d.add(buf, alpha=m) : buf; p.add_(d, alpha=-lr)</c>.
    /// </summary>
    void ApplyPyTorch<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s = new SgdTorchStep<T>(options, lr);
        bool fused = options.Order == OperationOrder.PyTorchFused, first = state.Step == 1;
        bool momentum = options.Momentum != 0, l2 = options.WeightDecay != 0;
        Span<T> buf = momentum ? state.SlotAt(0).Span : default;
        for (int i = 0; i < p.Length; i++)
        {
            T d = options.Maximize ? -g[i] : g[i];
            if (l2) d = TorchOps.Add(d, p[i], s.WeightDecay, fused);
            if (momentum)
            {
                buf[i] = first ? d : TorchOps.Add(buf[i] * s.Momentum, d, s.OneMinusDampening, fused);
                d = options.Nesterov ? TorchOps.Add(d, buf[i], s.Momentum, fused) : buf[i];
            }
            p[i] = TorchOps.Add(p[i], d, s.MinusLr, fused);
        }
    }
}

/// <summary>SGD's per-step scalars in torch's form, shared with the Fast path: Python doubles, each rounded once to T.</summary>
internal readonly struct SgdTorchStep<T>(SgdOptions o, double lr) where T : IFloatingPointIeee754<T>
{
    public readonly T WeightDecay = TorchOps.S<T>(o.WeightDecay), Momentum = TorchOps.S<T>(o.Momentum);
    public readonly T OneMinusDampening = TorchOps.S<T>(1 - o.Dampening), MinusLr = TorchOps.S<T>(-lr);
}
