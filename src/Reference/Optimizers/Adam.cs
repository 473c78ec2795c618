using System.Numerics;
using NetNumerics.Optimizers;

namespace NetNumerics.Reference.Optimizers;

/// <summary>
/// Adam / AMSGrad / AdamW, the specification. Per step (double): <c>bc1 = 1 - b1^t, bc2 = 1 - b2^t</c>.
/// Per element: <c>m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*(g*g)</c>; AMSGrad <c>vmax = max(vmax, v)</c>, w = vmax, else w = v;
/// Keras eps-hat: <c>alpha = lr*sqrt(bc2)/bc1; p = p - alpha*(m/(sqrt(w) + eps))</c>;
/// Algorithm 1: <c>p = p - (lr/bc1)*(m/(sqrt(w)/sqrt(bc2) + eps))</c>.
/// Keras writes <c>m += (g-m)*(1-b1)</c> and PyTorch <c>lerp</c>: equal in exact arithmetic; we use the paper's form.
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
/// <para>Adam: a finite gradient with <c>|g| &gt; sqrt(MaxValue)</c> overflows <c>g*g</c>, so v becomes +inf (and stays
/// +inf while b2 &gt; 0; with b2 = 0 the next step's <c>0*inf</c> makes it NaN); m stays finite, so the update
/// <c>m/(sqrt(v)...)</c> is 0 and that element is frozen while v is infinite.
/// An infinite gradient makes m infinite too, and <c>inf/inf</c> makes the parameter NaN. AMSGrad's <c>vmax = max(vmax, v)</c>
/// is IEEE 754 maximum: a NaN v propagates into vmax (it is not skipped, as maxNum would).</para>
/// </remarks>
public sealed class Adam : OptimizerBase
{
    readonly AdamOptions _o;

    /// <summary>Adam, or AMSGrad with <see cref="AdamOptions.Amsgrad"/>; state name "adam" or "amsgrad".</summary>
    /// <param name="options">The hyperparameters.</param>
    public Adam(AdamOptions options) : base(options) => _o = options;

    /// <summary>AdamW: the Adam formula with decoupled weight decay, state named "adamw".</summary>
    public Adam(AdamWOptions options) : base(options) => _o = options.ToAdam();

    /// <inheritdoc />
    protected override void Apply<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr)
    {
        if (_o.Order.IsPyTorch()) { ApplyPyTorch(state, p, g, lr); return; }
        long t = state.Step;
        double bc1 = 1.0 - Math.Pow(_o.Beta1, t), bc2 = 1.0 - Math.Pow(_o.Beta2, t);
        bool hat = _o.EpsilonMode == AdamEpsilon.KerasEpsilonHat;
        T step = C<T>(hat ? lr * Math.Sqrt(bc2) / bc1 : lr / bc1), sqrtBc2 = C<T>(Math.Sqrt(bc2));
        T b1 = C<T>(_o.Beta1), oneMinusB1 = C<T>(1.0 - _o.Beta1), b2 = C<T>(_o.Beta2), oneMinusB2 = C<T>(1.0 - _o.Beta2);
        T eps = C<T>(_o.Epsilon), wd = C<T>(_o.WeightDecay), lrWd = C<T>(lr * _o.WeightDecay);
        bool l2 = _o.WeightDecay != 0 && _o.WeightDecayMode == WeightDecayMode.L2;
        bool decoupled = _o.WeightDecay != 0 && _o.WeightDecayMode == WeightDecayMode.Decoupled;
        Span<T> m = state.Slot("m").Span, v = state.Slot("v").Span;
        Span<T> vmax = _o.Amsgrad ? state.Slot("vmax").Span : default;
        for (int i = 0; i < p.Length; i++)
        {
            T gi = _o.Maximize ? -g[i] : g[i];
            if (l2) gi = gi + wd * p[i];
            if (decoupled) p[i] = p[i] - lrWd * p[i];
            m[i] = b1 * m[i] + oneMinusB1 * gi;
            v[i] = b2 * v[i] + oneMinusB2 * (gi * gi);
            T w = v[i];
            if (_o.Amsgrad) w = vmax[i] = T.Max(vmax[i], v[i]);
            T denom = hat ? T.Sqrt(w) + eps : T.Sqrt(w) / sqrtBc2 + eps;
            p[i] = p[i] - step * (m[i] / denom);
        }
    }

    /// <summary>
    /// torch/optim/adam.py and adamw.py (both paths give the same bits): <c>g = maximize ? -g : g</c>; AdamW
    /// <c>p.mul_(1 - lr*wd)</c>, Adam <c>g = g.add(p, alpha=wd)</c>; <c>m.mul_(b1).add_(g, alpha=1-b1);
    /// v.mul_(b2).addcmul_(g, g, value=1-b2)</c>; AMSGrad <c>vmax = maximum(vmax, v)</c>;
    /// <c>denom = (w.sqrt() / sqrt(bc2)).add_(eps); p.addcdiv_(m, denom, value=-lr/bc1)</c>.
    /// </summary>
    void ApplyPyTorch<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s = new AdamTorchStep<T>(_o, state.Step, lr);
        bool fused = _o.Order == OperationOrder.PyTorchFused;
        bool decoupled = _o.WeightDecayMode == WeightDecayMode.Decoupled, l2 = !decoupled && _o.WeightDecay != 0;
        Span<T> m = state.Slot("m").Span, v = state.Slot("v").Span;
        Span<T> vmax = _o.Amsgrad ? state.Slot("vmax").Span : default;
        for (int i = 0; i < p.Length; i++)
        {
            T gi = _o.Maximize ? -g[i] : g[i];
            if (decoupled) p[i] = p[i] * s.DecayFactor;
            if (l2) gi = TorchOps.Add(gi, p[i], s.WeightDecay, fused);
            m[i] = TorchOps.Add(m[i] * s.B1, gi, s.OneMinusB1, fused);
            v[i] = TorchOps.AddCmul(v[i] * s.B2, gi, gi, s.OneMinusB2, fused);
            T w = v[i];
            if (_o.Amsgrad) w = vmax[i] = T.Max(vmax[i], v[i]);
            T denom = T.Sqrt(w) / s.Bc2Sqrt + s.Eps;
            p[i] = TorchOps.AddCdiv(p[i], m[i], denom, s.MinusStepSize);
        }
    }
}

/// <summary>Adam's and AdamW's per-step scalars in torch's form, shared with the Fast path: Python doubles, each rounded once to T.</summary>
internal readonly struct AdamTorchStep<T> where T : IFloatingPointIeee754<T>
{
    public readonly T WeightDecay, DecayFactor, B1, OneMinusB1, B2, OneMinusB2, Bc2Sqrt, Eps, MinusStepSize;

    public AdamTorchStep(AdamOptions o, long t, double lr)
    {
        double step = TorchOps.FloatStep(t);
        double bc1 = 1 - Math.Pow(o.Beta1, step), bc2 = 1 - Math.Pow(o.Beta2, step);
        WeightDecay = TorchOps.S<T>(o.WeightDecay);
        DecayFactor = TorchOps.S<T>(1 - lr * o.WeightDecay);
        B1 = TorchOps.S<T>(o.Beta1);
        OneMinusB1 = TorchOps.S<T>(1 - o.Beta1);
        B2 = TorchOps.S<T>(o.Beta2);
        OneMinusB2 = TorchOps.S<T>(1 - o.Beta2);
        Bc2Sqrt = TorchOps.S<T>(Math.Sqrt(bc2));
        Eps = TorchOps.S<T>(o.Epsilon);
        MinusStepSize = TorchOps.S<T>(-(lr / bc1));
    }
}
