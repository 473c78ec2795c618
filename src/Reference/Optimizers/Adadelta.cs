using System.Numerics;
using NetNumerics.Optimizers;

namespace NetNumerics.Reference.Optimizers;

/// <summary>
/// Adadelta, the specification (Zeiler 2012, Algorithm 1; Keras/PyTorch identical):
/// <c>v = rho*v + (1-rho)*(g*g); d = (sqrt(u + eps)/sqrt(v + eps))*g; u = rho*u + (1-rho)*(d*d); p = p - lr*d</c>.
/// </summary>
public sealed class Adadelta(AdadeltaOptions options) : OptimizerBase(options)
{
    protected override void Apply<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr)
    {
        T lrT = C<T>(lr), rho = C<T>(options.Rho), oneMinusRho = C<T>(1.0 - options.Rho), eps = C<T>(options.Epsilon);
        T wd = C<T>(options.WeightDecay), lrWd = C<T>(lr * options.WeightDecay);
        bool l2 = options.WeightDecay != 0 && options.WeightDecayMode == WeightDecayMode.L2;
        bool decoupled = options.WeightDecay != 0 && options.WeightDecayMode == WeightDecayMode.Decoupled;
        Span<T> v = state.Slot("v").Span, u = state.Slot("u").Span;
        for (int i = 0; i < p.Length; i++)
        {
            T gi = g[i];
            if (l2) gi = gi + wd * p[i];
            if (decoupled) p[i] = p[i] - lrWd * p[i];
            v[i] = rho * v[i] + oneMinusRho * (gi * gi);
            T d = T.Sqrt(u[i] + eps) / T.Sqrt(v[i] + eps) * gi;
            u[i] = rho * u[i] + oneMinusRho * (d * d);
            p[i] = p[i] - lrT * d;
        }
    }
}
