using System.Numerics;
using NetNumerics.Optimizers;

namespace NetNumerics.Reference.Optimizers;

/// <summary>
/// Nadam, the specification. Per step (double, <see cref="NadamMomentum"/>): mu_t, mu_{t+1}, P_t,
/// <c>cm = mu_{t+1}/(1 - P_t*mu_{t+1}), cg = (1 - mu_t)/(1 - P_t), bc2 = 1 - b2^t</c>.
/// Per element: <c>m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*(g*g); mhat = cm*m + cg*g;
/// p = p - lr*(mhat/(sqrt(v/bc2) + eps))</c>.
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
/// <para>Nadam: as Adam, an overflowing <c>g*g</c> makes v = +inf, and while it is infinite the element does not move (<c>mhat/inf = 0</c>); an
/// infinite gradient gives NaN.</para>
/// </remarks>
public sealed class Nadam(NadamOptions options) : OptimizerBase(options)
{
    /// <inheritdoc />
    protected override void Apply<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr)
    {
        if (options.Order.IsPyTorch()) { ApplyPyTorch(state, p, g, lr); return; }
        long t = state.Step;
        double d = options.MomentumDecay, b1d = options.Beta1;
        double muT = NadamMomentum.Mu(b1d, d, t), muNext = NadamMomentum.Mu(b1d, d, t + 1);
        double prodT = NadamMomentum.Product(b1d, d, t);
        T cm = C<T>(muNext / (1.0 - prodT * muNext)), cg = C<T>((1.0 - muT) / (1.0 - prodT));
        T bc2 = C<T>(1.0 - Math.Pow(options.Beta2, t)), lrT = C<T>(lr);
        T b1 = C<T>(b1d), oneMinusB1 = C<T>(1.0 - b1d), b2 = C<T>(options.Beta2), oneMinusB2 = C<T>(1.0 - options.Beta2);
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
            T mhat = cm * m[i] + cg * gi;
            p[i] = p[i] - lrT * (mhat / (T.Sqrt(v[i] / bc2) + eps));
        }
    }

    /// <summary>
    /// torch/optim/nadam.py: <c>g = g.add(p, alpha=wd); m.mul_(b1).add_(g, alpha=1-b1); v.mul_(b2).addcmul_(g, g, value=1-b2)</c>;
    /// single-tensor (1.13) <c>denom = v.div(bc2).sqrt().add(eps)</c>, foreach <c>denom = (v.sqrt() / sqrt(bc2)).add_(eps)</c>;
    /// then two roundings <c>p.addcdiv_(g, denom, value=c1); p.addcdiv_(m, denom, value=c2)</c> with c1, c2 from the float32
    /// <c>mu_product</c> (<see cref="NadamTorchStep{T}"/>). torch 1.13 has no maximize; here it flips g first, as torch 2.x does.
    /// </summary>
    void ApplyPyTorch<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s = new NadamTorchStep<T>(options, state.Step, lr);
        bool fused = options.Order == OperationOrder.PyTorchFused, l2 = options.WeightDecay != 0;
        bool foreach_ = options.TorchPath == TorchPath.Foreach;
        Span<T> m = state.Slot("m").Span, v = state.Slot("v").Span;
        for (int i = 0; i < p.Length; i++)
        {
            T gi = options.Maximize ? -g[i] : g[i];
            if (l2) gi = TorchOps.Add(gi, p[i], s.WeightDecay, fused);
            m[i] = TorchOps.Add(m[i] * s.B1, gi, s.OneMinusB1, fused);
            v[i] = TorchOps.AddCmul(v[i] * s.B2, gi, gi, s.OneMinusB2, fused);
            T denom = (foreach_ ? T.Sqrt(v[i]) / s.Bc2Sqrt : T.Sqrt(v[i] / s.Bc2)) + s.Eps;
            p[i] = TorchOps.AddCdiv(p[i], gi, denom, s.GradCoefficient);
            p[i] = TorchOps.AddCdiv(p[i], m[i], denom, s.MomentCoefficient);
        }
    }
}

/// <summary>
/// NAdam's per-step scalars in torch's form, shared with the Fast path. <c>mu</c> and <c>mu_next</c> are Python doubles;
/// <c>mu_product</c> is torch's float32 0-dim tensor (also for double parameters).
/// Single-tensor (1.13): <c>c1 = -lr*(1-mu)/(1-mu_product)</c>, <c>c2 = -lr*mu_next/(1-mu_product_next)</c> with
/// <c>mu_product_next = mu_product*mu*mu_next</c> in float32 (mu counted twice, as 1.13 does); foreach:
/// <c>c1 = lr*(1-mu)/(1-mu_product) * -1</c>, <c>c2 = lr*mu_next/(1 - mu_product*mu_next) * -1</c> in double.
/// </summary>
internal readonly struct NadamTorchStep<T> where T : IFloatingPointIeee754<T>
{
    public readonly T WeightDecay, B1, OneMinusB1, B2, OneMinusB2, Bc2, Bc2Sqrt, Eps, GradCoefficient, MomentCoefficient;

    public NadamTorchStep(NadamOptions o, long t, double lr)
    {
        long step = (long)TorchOps.FloatStep(t);
        double md = o.MomentumDecay, bc2 = 1 - Math.Pow(o.Beta2, step);
        double mu = NadamMomentum.Mu(o.Beta1, md, step), muNext = NadamMomentum.Mu(o.Beta1, md, step + 1);
        float muProduct = TorchSteps.NadamMuProduct(o.Beta1, md, t);
        WeightDecay = TorchOps.S<T>(o.WeightDecay);
        B1 = TorchOps.S<T>(o.Beta1);
        OneMinusB1 = TorchOps.S<T>(1 - o.Beta1);
        B2 = TorchOps.S<T>(o.Beta2);
        OneMinusB2 = TorchOps.S<T>(1 - o.Beta2);
        Bc2 = TorchOps.S<T>(bc2);
        Bc2Sqrt = TorchOps.S<T>(Math.Sqrt(bc2));
        Eps = TorchOps.S<T>(o.Epsilon);
        if (o.TorchPath == TorchPath.SingleTensor)
        {
            float muProductNext = muProduct * (float)mu * (float)muNext;
            GradCoefficient = TorchOps.S<T>(-lr * (1.0 - mu) / (1.0 - muProduct));
            MomentCoefficient = TorchOps.S<T>(-lr * muNext / (1.0 - muProductNext));
        }
        else
        {
            GradCoefficient = TorchOps.S<T>(lr * (1.0 - mu) / (1.0 - muProduct) * -1);
            MomentCoefficient = TorchOps.S<T>(lr * muNext / (1.0 - (double)muProduct * muNext) * -1);
        }
    }
}
