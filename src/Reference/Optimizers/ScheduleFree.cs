using NetNumerics.Optimizers;

namespace NetNumerics.Reference.Optimizers;

/// <summary>
/// Schedule-Free, the specification (Defazio et al. 2024, arXiv:2405.15682, Algorithm 1 for SGD and 2 for AdamW; the
/// wrapper form of Optax <c>contrib.schedule_free</c>). With y the parameters the gradient was taken at:
/// <code>
/// lr_max = max(lr_max, lr_t);   w_t = lr_max^r;   W_t = W_{t-1} + w_t;   c_t = w_t / W_t   (0 while W_t = 0)
/// z_t = base(z_{t-1}, grad f(y_{t-1}), lr_t)  -  lr_t * wd * y_{t-1}
/// x_t = (1 - c_t) * x_{t-1} + c_t * z_t
/// y_t = b1 * x_t + (1 - b1) * z_t,  evaluated as  z_t + b1 * (x_t - z_t)
/// </code>
/// z_0 = x_0 = y_0. The interpolation is written z + b1*(x - z) (equal in exact arithmetic): it gives y = z exactly when
/// x = z (the first steps, or c = 1) and when b1 = 0, where b1*x + (1-b1)*z would round 0.9*p + 0.1*p away from p. The base is the Reference optimizer of <c>options.Base</c>; evaluation weights are x.
/// </summary>
public sealed class ScheduleFree(ScheduleFreeOptions options) : ScheduleFreeOptimizer(options, ReferenceOptimizers.For(options.Base))
{
    /// <inheritdoc/>
    protected override void Average<T>(Span<T> y, Span<T> z, Span<T> x, double lrWd, double c, double b1)
    {
        T decay = C<T>(lrWd), cT = C<T>(c), oneMinusC = C<T>(1.0 - c), b1T = C<T>(b1);
        for (int i = 0; i < y.Length; i++)
        {
            if (lrWd != 0) z[i] = z[i] - decay * y[i];
            x[i] = oneMinusC * x[i] + cT * z[i];
            y[i] = z[i] + b1T * (x[i] - z[i]);
        }
    }
}
