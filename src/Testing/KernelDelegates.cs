using System.Numerics;
using NetNumerics.Optimizers;

namespace NetNumerics.Testing;

/// <summary>
/// The scalar reference of an elementwise kernel: updates one element of every buffer in place.
/// <c>element[j]</c> is buffer j at the current index (inputs and outputs alike).
/// </summary>
public delegate void ElementReference<T>(Span<T> element);

/// <summary>The span kernel under test: reads and writes whole buffers (all of the same length) in place.</summary>
public delegate void BufferKernel<T>(T[][] buffers);

/// <summary>
/// The scalar reference of a stateful kernel for one step t (1-based): updates one element of every state
/// buffer in place from the same element of this step's input buffers.
/// </summary>
public delegate void StepReference<T>(Span<T> state, ReadOnlySpan<T> inputs, int step);

/// <summary>The stateful span kernel under test for one step t (1-based): updates the state buffers in place from this step's inputs.</summary>
public delegate void StepKernel<T>(T[][] state, T[][] inputs, int step);

/// <summary>A reduction: a value from whole input buffers (a dot product, a sum, a norm).</summary>
public delegate T ReductionKernel<T>(T[][] inputs);

/// <summary>An optimizer step in the shape of <see cref="IOptimizer.Update{T}(OptimizerState{T}, Span{T}, ReadOnlySpan{T}, double)"/>: updates parameters and state in place.</summary>
public delegate void OptimizerStep<T>(OptimizerState<T> state, Span<T> parameters, ReadOnlySpan<T> gradients, double learningRate)
    where T : unmanaged, IFloatingPointIeee754<T>;
