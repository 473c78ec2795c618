using System.Numerics;
using NetNumerics.Optimizers;

namespace NetNumerics.Reference.Optimizers;

/// <summary>
/// Adadelta, the specification (Zeiler 2012, Algorithm 1; Keras/PyTorch identical):
/// <c>v = rho*v + (1-rho)*(g*g); d = (sqrt(u + eps)/sqrt(v + eps))*g; u = rho*u + (1-rho)*(d*d); p = p - lr*d</c>.
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
/// <para>Adadelta: when <c>g*g</c> overflows, v = +inf and <c>d = (sqrt(u + eps)/inf)*g = 0</c>, so the element does not move
/// (rho = 0 turns that v into NaN at the next step: <c>0*inf</c>);
/// an infinite gradient gives <c>d = 0 * inf = NaN</c>.</para>
/// </remarks>
public sealed class Adadelta(AdadeltaOptions options) : OptimizerBase(options)
{
    /// <inheritdoc />
    protected override void Apply<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr)
    {
        if (options.Order.IsPyTorch()) { ApplyPyTorch(state, p, g, lr); return; }
        T lrT = C<T>(lr), rho = C<T>(options.Rho), oneMinusRho = C<T>(1.0 - options.Rho), eps = C<T>(options.Epsilon);
        T wd = C<T>(options.WeightDecay), lrWd = C<T>(lr * options.WeightDecay);
        bool l2 = options.WeightDecay != 0 && options.WeightDecayMode == WeightDecayMode.L2;
        bool decoupled = options.WeightDecay != 0 && options.WeightDecayMode == WeightDecayMode.Decoupled;
        Span<T> v = state.Slot("v").Span, u = state.Slot("u").Span;
        for (int i = 0; i < p.Length; i++)
        {
            T gi = options.Maximize ? -g[i] : g[i];
            if (l2) gi = gi + wd * p[i];
            if (decoupled) p[i] = p[i] - lrWd * p[i];
            v[i] = rho * v[i] + oneMinusRho * (gi * gi);
            T d = T.Sqrt(u[i] + eps) / T.Sqrt(v[i] + eps) * gi;
            u[i] = rho * u[i] + oneMinusRho * (d * d);
            p[i] = p[i] - lrT * d;
        }
    }

    /// <summary>
    /// torch/optim/adadelta.py (both paths give the same bits): <c>g = maximize ? -g : g; g = g.add(p, alpha=wd);
    /// sq.mul_(rho).addcmul_(g, g, value=1-rho); std = sq.add(eps).sqrt_(); delta = acc.add(eps).sqrt_().div_(std).mul_(g);
    /// acc.mul_(rho).addcmul_(delta, delta, value=1-rho); p.add_(delta, alpha=-lr)</c>.
    /// </summary>
    void ApplyPyTorch<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s = new AdadeltaTorchStep<T>(options, lr);
        bool fused = options.Order == OperationOrder.PyTorchFused, l2 = options.WeightDecay != 0;
        Span<T> sq = state.Slot("v").Span, acc = state.Slot("u").Span;
        for (int i = 0; i < p.Length; i++)
        {
            T gi = options.Maximize ? -g[i] : g[i];
            if (l2) gi = TorchOps.Add(gi, p[i], s.WeightDecay, fused);
            sq[i] = TorchOps.AddCmul(sq[i] * s.Rho, gi, gi, s.OneMinusRho, fused);
            T std = T.Sqrt(sq[i] + s.Eps);
            T delta = (T.Sqrt(acc[i] + s.Eps) / std) * gi;
            acc[i] = TorchOps.AddCmul(acc[i] * s.Rho, delta, delta, s.OneMinusRho, fused);
            p[i] = TorchOps.Add(p[i], delta, s.MinusLr, fused);
        }
    }
}

/// <summary>Adadelta's per-step scalars in torch's form, shared with the Fast path: Python doubles, each rounded once to T.</summary>
internal readonly struct AdadeltaTorchStep<T>(AdadeltaOptions o, double lr) where T : IFloatingPointIeee754<T>
{
    public readonly T WeightDecay = TorchOps.S<T>(o.WeightDecay), Rho = TorchOps.S<T>(o.Rho);
    public readonly T OneMinusRho = TorchOps.S<T>(1 - o.Rho), Eps = TorchOps.S<T>(o.Epsilon), MinusLr = TorchOps.S<T>(-lr);
}
