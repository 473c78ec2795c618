using System.Numerics;

namespace NetNumerics.Optimizers;

/// <summary>
/// What the Reference and Fast Lookahead share (<see cref="LookaheadOptions"/> has the formulas): the slow weights' start,
/// the base step through a view of the base's slots, and when to synchronise. A path supplies the base optimizer and the
/// element-wise <see cref="Synchronize{T}"/>.
/// </summary>
public abstract class LookaheadOptimizer : WrapperOptimizer
{
    readonly LookaheadOptions _options;

    /// <param name="options">The Lookahead options.</param>
    /// <param name="baseOptimizer">The base optimizer of the same path, built from <c>options.Base</c>.</param>
    protected LookaheadOptimizer(LookaheadOptions options, IOptimizer baseOptimizer)
        : base(options, options?.Base!, baseOptimizer, ownSlots: 1) => _options = options!;

    /// <inheritdoc/>
    protected sealed override void Apply<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr)
    {
        Span<T> slow = state.SlotAt(0).Span;
        if (state.Step == 1) p.CopyTo(slow);   // phi_0 = theta_0
        UpdateBase(state, p, g, lr);
        if (state.Step % _options.K == 0) Synchronize(slow, p, _options.Alpha);
    }

    /// <summary><c>slow = slow + alpha*(p - slow); p = slow</c> element-wise, alpha rounded once to T.</summary>
    protected abstract void Synchronize<T>(Span<T> slow, Span<T> p, double alpha) where T : unmanaged, IFloatingPointIeee754<T>;
}
