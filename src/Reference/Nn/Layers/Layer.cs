using NetNumerics.Nn;
using System.Numerics;

namespace NetNumerics.Reference.Nn.Layers;

/// <summary>A trainable tensor of a Reference layer, in precision T.</summary>
/// <param name="Name">Name in the fixed parameter order, e.g. "layer0.conv2d.weights".</param>
/// <param name="Shape">Dimensions (PyTorch order).</param>
/// <param name="Values">The values, updated in place by training.</param>
/// <param name="Gradients">The gradient of the mean loss of the last training step, same length.</param>
public sealed record LayerParameter<T>(string Name, int[] Shape, T[] Values, T[] Gradients);

/// <summary>Training mode and the dropout key of one forward pass.</summary>
/// <param name="Training">True: dropout active (training); false: inference.</param>
/// <param name="Seed">Seed of the dropout masks.</param>
/// <param name="Step">Training step, part of the dropout key.</param>
public readonly record struct ForwardMode(bool Training, ulong Seed, long Step)
{
    /// <summary>Dropout off, no random key: the mode of Evaluate and Predict.</summary>
    public static ForwardMode Inference => new(false, 0, 0);
}

/// <summary>
/// One layer of the Reference network, written as a textbook writes it (nested loops over NCHW arrays).
/// Generic in T so the same code runs in float (the model) and double (finite-difference gradient checks).
/// Forward reads x (batch x Input.Length) and writes y (batch x Output.Length). Backward reads x, y and dy
/// and OVERWRITES dx and the gradients of this layer's parameters with d(sum of dy*y)/d(.).
/// </summary>
internal abstract class ReferenceLayer<T> where T : IFloatingPointIeee754<T>
{
    protected ReferenceLayer(TensorShape input, TensorShape output) { Input = input; Output = output; }

    public TensorShape Input { get; }
    public TensorShape Output { get; }
    public virtual IReadOnlyList<LayerParameter<T>> Parameters => [];

    public abstract void Forward(ReadOnlySpan<T> x, Span<T> y, int batch, ForwardMode mode);

    public abstract void Backward(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, int batch);

    /// <summary>Build the Reference layer for <paramref name="spec"/> at position <paramref name="index"/> with input shape <paramref name="input"/>.</summary>
    public static ReferenceLayer<T> Create(LayerSpec spec, int index, TensorShape input) => spec switch
    {
        Conv2DSpec c => new ReferenceConv2D<T>(c, input, index),
        MaxPool2DSpec m => new ReferenceMaxPool2D<T>(m, input),
        DropoutSpec d => new ReferenceDropout<T>(d, input, index),
        FlattenSpec => new ReferenceFlatten<T>(input),
        DenseSpec d => new ReferenceDense<T>(d, input, index),
        ReluSpec => new ReferenceRelu<T>(input),
        _ => throw new ArgumentException($"layer {index} has unknown kind {spec.GetType().Name}.", nameof(spec)),
    };
}
