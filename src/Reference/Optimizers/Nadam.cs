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
            T gi = g[i];
            if (l2) gi = gi + wd * p[i];
            if (decoupled) p[i] = p[i] - lrWd * p[i];
            m[i] = b1 * m[i] + oneMinusB1 * gi;
            v[i] = b2 * v[i] + oneMinusB2 * (gi * gi);
            T mhat = cm * m[i] + cg * gi;
            p[i] = p[i] - lrT * (mhat / (T.Sqrt(v[i] / bc2) + eps));
        }
    }
}
