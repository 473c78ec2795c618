namespace NetNumerics.Nn;

/// <summary>One trainable tensor of a model: its values and the gradient of the last step, same length.</summary>
public sealed record Parameter(string Name, int[] Shape, Memory<float> Values, Memory<float> Gradients)
{
    public int Length => Values.Length;
}

/// <summary>Loss summed over the batch, how many predictions were right, and how many samples.</summary>
public readonly record struct BatchResult(double LossSum, int Correct, int Count)
{
    public double MeanLoss => Count == 0 ? 0 : LossSum / Count;
    public double Accuracy => Count == 0 ? 0 : (double)Correct / Count;
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
    int InputLength { get; }
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
