using NetNumerics.Optimizers;

namespace NetNumerics.Reference.Optimizers;

/// <summary>
/// Weight averaging, the specification, after the Reference base optimizer's update of p (t = 1-based update):
/// <code>
/// EMA (Keras 3 use_ema):            a = p                      at t = 1
///                                   a = m * a + (1 - m) * p    after
/// SWA (torch AveragedModel default): at t = start, start + every, ..., the n-th time (n = 0, 1, ...):
///                                   a = p                      for n = 0
///                                   a = a + (p - a) / (n + 1)  after
/// </code>
/// Evaluation weights are a (p before the first average).
/// </summary>
public sealed class Averaging(AveragingOptions options) : AveragingOptimizer(options, ReferenceOptimizers.For(options.Base))
{
    /// <inheritdoc/>
    protected override void Ema<T>(Span<T> a, ReadOnlySpan<T> p, double momentum)
    {
        T m = C<T>(momentum), oneMinusM = C<T>(1.0 - momentum);
        for (int i = 0; i < a.Length; i++) a[i] = m * a[i] + oneMinusM * p[i];
    }

    /// <inheritdoc/>
    protected override void Mean<T>(Span<T> a, ReadOnlySpan<T> p, long count)
    {
        T n = C<T>(count);
        for (int i = 0; i < a.Length; i++) a[i] = a[i] + (p[i] - a[i]) / n;
    }
}
