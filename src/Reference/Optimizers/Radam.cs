using System.Numerics;
using NetNumerics.Optimizers;

namespace NetNumerics.Reference.Optimizers;

/// <summary>
/// RAdam, the specification (torch/optim/radam.py). Per step (double): <c>bc1, bc2, rho_inf = 2/(1-b2) - 1,
/// rho_t = rho_inf - 2*t*b2^t/bc2</c>. Per element: m, v as Adam; if <c>rho_t &gt; 5</c>:
/// <c>p = p - (lr*r*sqrt(bc2)/bc1)*(m/(sqrt(v) + eps))</c> with the rectifier r; else <c>p = p - (lr/bc1)*m</c>.
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
/// <para>RAdam: as Adam where the rectified branch runs (rho_t &gt; 5); in the early steps (<c>p = p - (lr/bc1)*m</c>)
/// v is still updated (and may overflow) but not used, so a huge gradient moves the parameter by <c>(lr/bc1)*m</c>,
/// which is infinite if m overflowed.</para>
/// </remarks>
public sealed class Radam(RadamOptions options) : OptimizerBase(options)
{
    /// <summary>The rectifier r_t, or null while the variance is intractable (rho_t &lt;= 5).</summary>
    public static double? Rectifier(double beta2, long t)
    {
        double b2t = Math.Pow(beta2, t);
        double rhoInf = 2.0 / (1.0 - beta2) - 1.0;
        double rhoT = rhoInf - 2.0 * t * b2t / (1.0 - b2t);
        if (!(rhoT > 5.0)) return null;
        return Math.Sqrt((rhoT - 4.0) * (rhoT - 2.0) * rhoInf / ((rhoInf - 4.0) * (rhoInf - 2.0) * rhoT));
    }

    /// <inheritdoc />
    protected override void Apply<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr)
    {
        if (options.Order.IsPyTorch()) { ApplyPyTorch(state, p, g, lr); return; }
        long t = state.Step;
        double bc1 = 1.0 - Math.Pow(options.Beta1, t), bc2 = 1.0 - Math.Pow(options.Beta2, t);
        double? r = Rectifier(options.Beta2, t);
        T step = C<T>(r is double rv ? lr * rv * Math.Sqrt(bc2) / bc1 : lr / bc1);
        T b1 = C<T>(options.Beta1), oneMinusB1 = C<T>(1.0 - options.Beta1), b2 = C<T>(options.Beta2), oneMinusB2 = C<T>(1.0 - options.Beta2);
        T eps = C<T>(options.Epsilon), wd = C<T>(options.WeightDecay), lrWd = C<T>(lr * options.WeightDecay);
        bool l2 = options.WeightDecay != 0 && options.WeightDecayMode == WeightDecayMode.L2;
        bool decoupled = options.WeightDecay != 0 && options.WeightDecayMode == WeightDecayMode.Decoupled;
        Span<T> m = state.Slot("m").Span, v = state.Slot("v").Span;
        for (int i = 0; i < p.Length; i++)
        {
            T gi = options.Maximize ? -g[i] : g[i];
            if (l2) gi = gi + wd * p[i];
            if (decoupled) p[i] = p[i] - lrWd * p[i];
            m[i] = b1 * m[i] + oneMinusB1 * gi;
            v[i] = b2 * v[i] + oneMinusB2 * (gi * gi);
            p[i] = r is null ? p[i] - step * m[i] : p[i] - step * (m[i] / (T.Sqrt(v[i]) + eps));
        }
    }

    /// <summary>
    /// torch/optim/radam.py: <c>g = g.add(p, alpha=wd); m.mul_(b1).add_(g, alpha=1-b1); v.mul_(b2).addcmul_(g, g, value=1-b2)</c>.
    /// Single-tensor: <c>mhat = m / bc1</c>; rectified <c>adaptive = sqrt(bc2) / v.sqrt().add_(eps);
    /// p.add_(mhat*lr*adaptive*rect, alpha=-1)</c>, else <c>p.add_(mhat*lr, alpha=-1)</c>. Foreach (1.13): no eps,
    /// <c>denom = v.sqrt() / sqrt(bc2); p.addcdiv_(m, denom, value=-lr*rect/bc1); p.addcdiv_(m, 1, value=-lr*unrect/bc1)</c>.
    /// torch 1.13 has no maximize; here it flips g first, as torch 2.x does.
    /// </summary>
    void ApplyPyTorch<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s = new RadamTorchStep<T>(options, state.Step, lr);
        bool fused = options.Order == OperationOrder.PyTorchFused, l2 = options.WeightDecay != 0;
        bool foreach_ = options.TorchPath == TorchPath.Foreach;
        Span<T> m = state.Slot("m").Span, v = state.Slot("v").Span;
        for (int i = 0; i < p.Length; i++)
        {
            T gi = options.Maximize ? -g[i] : g[i];
            if (l2) gi = TorchOps.Add(gi, p[i], s.WeightDecay, fused);
            m[i] = TorchOps.Add(m[i] * s.B1, gi, s.OneMinusB1, fused);
            v[i] = TorchOps.AddCmul(v[i] * s.B2, gi, gi, s.OneMinusB2, fused);
            if (foreach_)
            {
                T denom = T.Sqrt(v[i]) / s.Bc2Sqrt;
                p[i] = TorchOps.AddCdiv(p[i], m[i], denom, s.RectifiedCoefficient);
                p[i] = TorchOps.AddCdiv(p[i], m[i], T.One, s.UnrectifiedCoefficient);
            }
            else
            {
                T mhat = m[i] / s.Bc1;
                if (s.Rectified)
                {
                    T adaptive = (T.One / (T.Sqrt(v[i]) + s.Eps)) * s.Bc2Sqrt;     // scalar / tensor = reciprocal() * scalar
                    p[i] = TorchOps.Add(p[i], ((mhat * s.Lr) * adaptive) * s.Rect, -T.One, fused);
                }
                else p[i] = TorchOps.Add(p[i], mhat * s.Lr, -T.One, fused);
            }
        }
    }
}

/// <summary>
/// RAdam's per-step scalars in torch's form, shared with the Fast path: <c>bc1, bc2</c>, the rectifier <c>rect</c>
/// (<see cref="Radam.Rectifier"/>, null while <c>rho_t &lt;= 5</c>), and the foreach path's two addcdiv values
/// <c>((lr*rect)/bc1)*-1</c> and <c>((lr*unrect)/bc1)*-1</c> (rect 0 and unrect 1 while unrectified).
/// </summary>
internal readonly struct RadamTorchStep<T> where T : IFloatingPointIeee754<T>
{
    public readonly T WeightDecay, B1, OneMinusB1, B2, OneMinusB2, Bc1, Bc2Sqrt, Lr, Eps, Rect, RectifiedCoefficient, UnrectifiedCoefficient;
    public readonly bool Rectified;

    public RadamTorchStep(RadamOptions o, long t, double lr)
    {
        double step = TorchOps.FloatStep(t);
        double bc1 = 1 - Math.Pow(o.Beta1, step), bc2 = 1 - Math.Pow(o.Beta2, step);
        double? r = Radam.Rectifier(o.Beta2, (long)step);
        double rect = r ?? 0, unrect = rect > 0 ? 0 : 1;
        WeightDecay = TorchOps.S<T>(o.WeightDecay);
        B1 = TorchOps.S<T>(o.Beta1);
        OneMinusB1 = TorchOps.S<T>(1 - o.Beta1);
        B2 = TorchOps.S<T>(o.Beta2);
        OneMinusB2 = TorchOps.S<T>(1 - o.Beta2);
        Bc1 = TorchOps.S<T>(bc1);
        Bc2Sqrt = TorchOps.S<T>(Math.Sqrt(bc2));
        Lr = TorchOps.S<T>(lr);
        Eps = TorchOps.S<T>(o.Epsilon);
        Rect = TorchOps.S<T>(rect);
        Rectified = r is not null;
        RectifiedCoefficient = TorchOps.S<T>(lr * rect / bc1 * -1);
        UnrectifiedCoefficient = TorchOps.S<T>(lr * unrect / bc1 * -1);
    }
}
