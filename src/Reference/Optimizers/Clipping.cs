using System.Numerics;
using NetNumerics.Optimizers;

namespace NetNumerics.Reference.Optimizers;

/// <summary>
/// Gradient clipping, the specification: clamp by value; global norm <c>N = sqrt(sum over tensors, elements of (double)g^2)</c>
/// summed left to right in double; if <c>N &gt; max</c>, <c>g = g * (T)(max/N)</c> (Keras <c>clip_by_global_norm</c>,
/// PyTorch <c>clip_grad_norm_</c> without its 1e-6).
/// </summary>
public sealed class ReferenceClipping : IGradientClipper
{
    /// <summary>The one instance (the clipper holds no state).</summary>
    public static readonly ReferenceClipping Instance = new();

    /// <inheritdoc />
    public void ClipByValue<T>(Span<T> gradients, double clipValue) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.PositiveFinite(clipValue, nameof(clipValue));
        T hi = T.CreateTruncating(clipValue), lo = -hi;
        for (int i = 0; i < gradients.Length; i++)
            gradients[i] = T.Min(T.Max(gradients[i], lo), hi);
    }

    /// <inheritdoc />
    public double GlobalNorm<T>(IReadOnlyList<ReadOnlyMemory<T>> gradients) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(gradients);
        double sum = 0;
        for (int t = 0; t < gradients.Count; t++) sum = AddSquares(sum, gradients[t].Span);
        return Math.Sqrt(sum);
    }

    /// <summary><c>sum + x_0^2 + x_1^2 + ...</c> in double, left to right.</summary>
    static double AddSquares<T>(double sum, ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (T xi in x)
        {
            double d = double.CreateTruncating(xi);
            sum += d * d;
        }
        return sum;
    }

    /// <inheritdoc />
    public double ClipByGlobalNorm<T>(IReadOnlyList<Memory<T>> gradients, double maxNorm) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(gradients);
        Guard.PositiveFinite(maxNorm, nameof(maxNorm));
        double sum = 0;
        for (int t = 0; t < gradients.Count; t++) sum = AddSquares(sum, (ReadOnlySpan<T>)gradients[t].Span);
        double norm = Math.Sqrt(sum);
        if (!double.IsFinite(norm) || norm <= maxNorm) return norm;
        T scale = T.CreateTruncating(maxNorm / norm);
        for (int t = 0; t < gradients.Count; t++)
        {
            Span<T> g = gradients[t].Span;
            for (int i = 0; i < g.Length; i++) g[i] = g[i] * scale;
        }
        return norm;
    }
}
