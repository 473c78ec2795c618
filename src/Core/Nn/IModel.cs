namespace NetNumerics.Nn;

/// <summary>One trainable tensor of a model: its values and the gradient of the last step, same length.</summary>
/// <param name="Name">Unique name in the model, e.g. "layer0.conv2d.weights"; checkpoints match tensors by it.</param>
/// <param name="Shape">Dimensions, e.g. [out, in, kh, kw] for a convolution (PyTorch order); their product is the length.</param>
/// <param name="Values">The tensor's values, updated in place by the optimizer.</param>
/// <param name="Gradients">The gradient of the mean loss of the last training step, same length; overwritten by every TrainStep.</param>
public sealed record Parameter(string Name, int[] Shape, Memory<float> Values, Memory<float> Gradients)
{
    /// <summary>Number of elements (the product of <see cref="Shape"/>).</summary>
    public int Length => Values.Length;
}

/// <summary>Loss summed over the batch, how many predictions were right, and how many samples.</summary>
/// <param name="LossSum">Cross-entropy summed over the samples (in double, in sample order).</param>
/// <param name="Correct">Samples whose most probable class was the label.</param>
/// <param name="Count">Samples in the batch.</param>
public readonly record struct BatchResult(double LossSum, int Correct, int Count)
{
    /// <c>LossSum / Count</c>, 0 for an empty result: the mean cross-entropy over the samples.
    public double MeanLoss => Count == 0 ? 0 : LossSum / Count;
    /// <c>Correct / Count</c>, 0 for an empty result.
    public double Accuracy => Count == 0 ? 0 : (double)Correct / Count;
    /// <summary>Adds two results field by field (loss sums, correct counts and sample counts), as an epoch accumulates its batches.</summary>
    /// <param name="a">The first result.</param>
    /// <param name="b">The second result.</param>
    public static BatchResult operator +(BatchResult a, BatchResult b) =>
        new(a.LossSum + b.LossSum, a.Correct + b.Correct, a.Count + b.Count);
}

/// <summary>
/// A classifier trained with softmax and categorical cross-entropy. Inputs are samples laid out
/// one after another, each <see cref="InputLength"/> floats (channels x height x width, NCHW).
/// Implemented by the Reference model (nested loops) and the Fast model (GEMM kernels, threads).
/// </summary>
public interface IModel
{
    /// <summary>Floats per sample (channels x height x width of the network's input).</summary>
    int InputLength { get; }
    /// <summary>Number of output classes (the width of the softmax).</summary>
    int Classes { get; }

    /// <summary>All trainable tensors, in a fixed order (layer by layer, weights then bias).</summary>
    IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>
    /// Forward and backward on one batch with dropout active. Writes the gradient of the MEAN loss
    /// over the batch into every parameter's Gradients (overwriting, not accumulating). Dropout masks
    /// are a pure function of (<paramref name="seed"/>, <paramref name="step"/>, layer, sample, element),
    /// so they do not depend on thread count or on which path computes them.
    /// </summary>
    BatchResult TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, ulong seed, long step);

    /// <summary>Forward only, dropout off, no gradients: loss and correct count.</summary>
    BatchResult Evaluate(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels);

    /// <summary>Class probabilities (softmax output), Classes floats per sample.</summary>
    void Predict(ReadOnlySpan<float> inputs, Span<float> probabilities);
}
