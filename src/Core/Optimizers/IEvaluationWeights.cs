using System.Numerics;

namespace NetNumerics.Optimizers;

/// <summary>
/// An optimizer whose model is evaluated at other weights than the ones it trains with (Schedule-Free: train at y,
/// evaluate at the average x). A trainer swaps these in for validation and test and the training weights back after,
/// bit for bit.
/// </summary>
public interface IEvaluationWeights
{
    /// <summary>Writes the weights to evaluate with into <paramref name="destination"/>.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="state">This optimizer's state of the tensor.</param>
    /// <param name="parameters">The tensor's training weights (returned as they are before the first update).</param>
    /// <param name="destination">Same length as <paramref name="parameters"/>.</param>
    void EvaluationWeights<T>(OptimizerState<T> state, ReadOnlySpan<T> parameters, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>;
}
