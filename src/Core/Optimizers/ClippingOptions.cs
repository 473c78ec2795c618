using System.Numerics;

namespace NetNumerics.Optimizers;

/// <summary>
/// Gradient clipping applied by an <see cref="T:NetNumerics.Training.OptimizerSet"/> before each update (Keras order:
/// clip, then weight decay, then the update). Infinity (the default) switches a clip off.
/// </summary>
public sealed record ClippingOptions
{
    /// <summary>Keras <c>clipvalue</c> / PyTorch <c>clip_grad_value_</c>: each gradient element clamped to [-ClipValue, ClipValue]; &gt; 0.</summary>
    public double ClipValue { get; init => field = Positive(value, nameof(ClipValue)); } = double.PositiveInfinity;

    /// <summary>
    /// Keras <c>global_clipnorm</c> / PyTorch <c>clip_grad_norm_</c>: if the norm N of all gradients of
    /// all tensors together exceeds GlobalClipNorm, every gradient is multiplied by GlobalClipNorm/N; &gt; 0.
    /// </summary>
    public double GlobalClipNorm { get; init => field = Positive(value, nameof(GlobalClipNorm)); } = double.PositiveInfinity;

    /// <summary>True when either clip is on (a finite ClipValue or GlobalClipNorm).</summary>
    internal bool Clips => !double.IsPositiveInfinity(ClipValue) || !double.IsPositiveInfinity(GlobalClipNorm);

    static double Positive(double value, string name) =>
        value == double.PositiveInfinity ? value : Guard.PositiveFinite(value, name);
}

/// <summary>
/// The two clipping operations, implemented by the Reference (NetNumerics.Reference.Optimizers.ReferenceClipping)
/// and the Fast path. Clip-by-value is bit-identical between them; the global norm is a sum, so the two
/// agree within a derived bound, not bit for bit.
/// </summary>
public interface IGradientClipper
{
    /// <summary>Clamps every element to [-clipValue, clipValue] in place (NaN stays NaN).</summary>
    void ClipByValue<T>(Span<T> gradients, double clipValue) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>sqrt of the sum of squares of every element of every tensor, accumulated in double.</summary>
    double GlobalNorm<T>(IReadOnlyList<ReadOnlyMemory<T>> gradients) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>
    /// If the global norm N is finite and exceeds <paramref name="maxNorm"/>, multiplies every element by
    /// <c>(T)(maxNorm/N)</c> (ratio in double). Returns N (before clipping). A non-finite N leaves the
    /// gradients unchanged and is returned so the caller can stop (Keras turns them into NaN instead).
    /// </summary>
    double ClipByGlobalNorm<T>(IReadOnlyList<Memory<T>> gradients, double maxNorm) where T : unmanaged, IFloatingPointIeee754<T>;
}
