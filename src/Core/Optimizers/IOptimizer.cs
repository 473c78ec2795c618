using System.Numerics;

namespace NetNumerics.Optimizers;

/// <summary>
/// An optimizer as an init/update pair (in the spirit of Optax): <see cref="Init{T}"/> makes the
/// explicit state for a tensor of a given length; <see cref="Update{T}(OptimizerState{T}, Span{T}, ReadOnlySpan{T}, double)"/> applies one step to the
/// parameters in place, given their gradient and the learning rate for this step, advances the
/// state and returns it (so F# can fold over steps). Both the Reference and the Fast path implement
/// it for the same option record; for the same inputs they give the same bits.
/// </summary>
public interface IOptimizer
{
    /// <summary>Short name and variant, e.g. "adam" or "sgd-nesterov"; stored in the state.</summary>
    string Name { get; }

    OptimizerState<T> Init<T>(int length) where T : unmanaged, IFloatingPointIeee754<T>;

    OptimizerState<T> Update<T>(OptimizerState<T> state, Span<T> parameters, ReadOnlySpan<T> gradients, double learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Array overload of <see cref="Update{T}(OptimizerState{T}, Span{T}, ReadOnlySpan{T}, double)"/> (for F# and arrays).</summary>
    OptimizerState<T> Update<T>(OptimizerState<T> state, T[] parameters, T[] gradients, double learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(gradients);
        return Update(state, parameters.AsSpan(), (ReadOnlySpan<T>)gradients, learningRate);
    }
}
