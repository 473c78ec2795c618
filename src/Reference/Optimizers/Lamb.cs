using System.Numerics;
using NetNumerics.Optimizers;

namespace NetNumerics.Reference.Optimizers;

/// <summary>
/// LAMB, the specification (You et al. 2020, arXiv:1904.00962, Algorithm 2, in Optax's form; <see cref="LambOptions"/>
/// says where the peers differ). Per step (double): <c>bc1 = 1 - b1^t, bc2 = 1 - b2^t</c> (1 and 1 without bias
/// correction). First pass, per element:
/// <code>
/// m = b1*m + (1-b1)*g
/// v = b2*v + (1-b2)*(g*g)
/// u = (m/bc1) / (sqrt(v/bc2) + eps)  [+ wd*p]
/// P = P + (double)p^2;   U = U + (double)u^2        (left to right, in double)
/// </code>
/// then <c>r = sqrt(P) / sqrt(U)</c> in double (1 when either is 0; <c>min(r, 1)</c> with TrustClip), and a second pass
/// recomputes the same u from the new m, v and the old p (same operations, same bits) and applies <c>p = p - (T)(lr*r) * u</c>.
/// Nothing is stored between the passes, so the state stays m and v.
/// </summary>
/// <remarks>
/// <para><b>Subnormal, huge, infinite and NaN inputs</b>: the moments and u follow IEEE 754 per element as Adam's do
/// (never checked, never flushed). Unlike the element-wise optimizers, one element reaches every other through the
/// norms: a NaN or infinite u or p makes a norm NaN or infinite, so the ratio is NaN (or 0 or infinite) and the whole
/// tensor becomes NaN or infinite at this step (Optax's behaviour; apex and timm would take r = 1 instead), which the
/// trainer's NaN check then reports. The sums of squares are in double: for float they cannot overflow (a float squared is
/// below 2^256); for double, elements above about 1e154 overflow them to infinity and give NaN as above.</para>
/// </remarks>
public sealed class Lamb(LambOptions options) : OptimizerBase(options)
{
    /// <summary>The per-tensor trust ratio from the two norms, in double; both paths call it.</summary>
    internal static double TrustRatio(double parameterNorm, double updateNorm, bool clip)
    {
        double r = parameterNorm == 0 || updateNorm == 0 ? 1.0 : parameterNorm / updateNorm;
        return clip ? Math.Min(r, 1.0) : r;   // Math.Min keeps a NaN ratio NaN
    }

    /// <summary>The bias corrections of step t (1 and 1 when off), in double.</summary>
    internal static (double Bc1, double Bc2) BiasCorrections(LambOptions o, long t) =>
        o.BiasCorrection ? (1.0 - Math.Pow(o.Beta1, t), 1.0 - Math.Pow(o.Beta2, t)) : (1.0, 1.0);

    /// <inheritdoc/>
    protected override void Apply<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr)
    {
        var (bc1, bc2) = BiasCorrections(options, state.Step);
        T b1 = C<T>(options.Beta1), oneMinusB1 = C<T>(1.0 - options.Beta1);
        T b2 = C<T>(options.Beta2), oneMinusB2 = C<T>(1.0 - options.Beta2);
        T bc1T = C<T>(bc1), bc2T = C<T>(bc2), eps = C<T>(options.Epsilon), wd = C<T>(options.WeightDecay);
        bool decay = options.WeightDecay != 0;
        Span<T> m = state.Slot("m").Span, v = state.Slot("v").Span;

        double parameterSquares = 0, updateSquares = 0;
        for (int i = 0; i < p.Length; i++)
        {
            m[i] = b1 * m[i] + oneMinusB1 * g[i];
            v[i] = b2 * v[i] + oneMinusB2 * (g[i] * g[i]);
            T u = Direction(m[i], v[i], p[i], bc1T, bc2T, eps, wd, decay);
            double pd = double.CreateTruncating(p[i]), ud = double.CreateTruncating(u);
            parameterSquares += pd * pd;
            updateSquares += ud * ud;
        }

        double r = TrustRatio(Math.Sqrt(parameterSquares), Math.Sqrt(updateSquares), options.TrustClip);
        T step = C<T>(lr * r);
        for (int i = 0; i < p.Length; i++)
            p[i] = p[i] - step * Direction(m[i], v[i], p[i], bc1T, bc2T, eps, wd, decay);
    }

    /// <summary><c>u = (m/bc1) / (sqrt(v/bc2) + eps) [+ wd*p]</c>, the Adam direction plus the decay (Optax's order).</summary>
    static T Direction<T>(T m, T v, T p, T bc1, T bc2, T eps, T wd, bool decay) where T : IFloatingPointIeee754<T>
    {
        T mHat = m / bc1;
        T vHat = v / bc2;
        T u = mHat / (T.Sqrt(vHat) + eps);
        return decay ? u + wd * p : u;
    }
}
