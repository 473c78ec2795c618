using NetNumerics.Optimizers;

namespace NetNumerics.Reference.Optimizers;

/// <summary>
/// Lookahead, the specification (Zhang et al. 2019, arXiv:1907.08610, Algorithm 1), after the Reference base's update of the
/// fast weights p at update t:
/// <code>
/// if t % k == 0:  slow = slow + alpha * (p - slow);  p = slow
/// </code>
/// with slow = p before the first update.
/// </summary>
public sealed class Lookahead(LookaheadOptions options) : LookaheadOptimizer(options, ReferenceOptimizers.For(options.Base))
{
    /// <inheritdoc/>
    protected override void Synchronize<T>(Span<T> slow, Span<T> p, double alpha)
    {
        T a = C<T>(alpha);
        for (int i = 0; i < p.Length; i++)
        {
            slow[i] = slow[i] + a * (p[i] - slow[i]);
            p[i] = slow[i];
        }
    }
}
