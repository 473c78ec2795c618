using System.Numerics;

namespace NetNumerics.Optimizers;

/// <summary>
/// An optimizer as an init/update pair (in the spirit of Optax): <see cref="Init{T}(int)"/> makes the
/// explicit state for a tensor of a given length; <see cref="Update{T}(OptimizerState{T}, Span{T}, ReadOnlySpan{T}, double)"/> applies one step to the
/// parameters in place, given their gradient and the learning rate for this step, advances the
/// state and returns it (so F# can fold over steps). Both the Reference and the Fast path implement
/// it for the same option record; for the same inputs they give the same bits.
/// </summary>
public interface IOptimizer
{
    /// <summary>Short name and variant, e.g. "adam" or "sgd-nesterov"; stored in the state.</summary>
    string Name { get; }

    /// <summary>A fresh state for a tensor of <paramref name="length"/> elements: step 0, every slot allocated (64-byte aligned) and filled with its starting value (0, or Adagrad's initial accumulator).</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>: the precision of the parameters and of every slot.</typeparam>
    /// <param name="length">Number of elements of the parameter tensor, &gt;= 0.</param>
    OptimizerState<T> Init<T>(int length) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>
    /// A fresh state for a tensor of this <paramref name="shape"/> (e.g. <c>[out, in]</c> for a dense weight,
    /// <c>[out, in, kh, kw]</c> for a convolution kernel). Optimizers that work element by element ignore the shape: the
    /// default is <see cref="Init{T}(int)"/> of the product, so their states, bits and saved files are the same whichever
    /// overload made them. Shape-aware optimizers (Adafactor's factored second moment, Muon's orthogonalized matrix) keep
    /// the shape in <see cref="OptimizerState{T}.Shape"/> and may size slots by it.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="shape">The tensor's dimensions, each &gt;= 0; their product must fit an int.</param>
    /// <exception cref="ArgumentException">A dimension is negative or the product overflows; a shape-aware optimizer cannot take this rank.</exception>
    OptimizerState<T> Init<T>(ReadOnlySpan<int> shape) where T : unmanaged, IFloatingPointIeee754<T> =>
        Init<T>(ShapeChecks.Product(shape, nameof(shape)));

    /// <summary>
    /// One step: increments <c>state.Step</c> (so t = Step is 1-based inside the formula), then updates
    /// <paramref name="parameters"/> and every slot of <paramref name="state"/> IN PLACE. Returns the same
    /// <paramref name="state"/> object (not a copy), so that F# can fold over steps. Clone the state first to keep the old one.
    /// Not thread-safe for one state; distinct states may be updated on distinct threads at the same time.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="state">State made by <see cref="Init{T}(int)"/> of an optimizer with the same <see cref="Name"/> and slots.</param>
    /// <param name="parameters">The tensor, overwritten with the updated values.</param>
    /// <param name="gradients">The gradient of the loss with respect to <paramref name="parameters"/>, same length; read only.</param>
    /// <param name="learningRate">This step's learning rate (a schedule's value), finite and &gt;= 0.</param>
    /// <exception cref="ArgumentException">The state belongs to another optimizer, or the lengths differ.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="learningRate"/> is negative, NaN or infinite.</exception>
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
