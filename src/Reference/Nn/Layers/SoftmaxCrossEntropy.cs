using System.Numerics;

namespace NetNumerics.Reference.Nn.Layers;

/// <summary>
/// Softmax fused with categorical cross-entropy, stable form (log-sum-exp shifted by the max):
/// m = max_k z_k, S = sum_k exp(z_k - m), loss = (log S + m) - z_label, p_k = exp(z_k - m) / S,
/// and for the MEAN loss over a batch of B: dz_k = (p_k - [k == label]) / B.
/// The sum over k runs in index order; the Fast model performs exactly these operations, so they agree bit for bit.
/// </summary>
internal static class ReferenceSoftmaxCrossEntropy<T> where T : IFloatingPointIeee754<T>
{
    /// <summary>Loss of one sample; writes the softmax into <paramref name="p"/>. Returns whether argmax(z) (first on ties) equals the label.</summary>
    public static T LossAndProbabilities(ReadOnlySpan<T> z, int label, Span<T> p, out bool correct)
    {
        T m = z[0]; int arg = 0;
        for (int k = 1; k < z.Length; k++) if (z[k] > m) { m = z[k]; arg = k; }
        T sum = T.Zero;
        for (int k = 0; k < z.Length; k++) { p[k] = T.Exp(z[k] - m); sum += p[k]; }
        for (int k = 0; k < z.Length; k++) p[k] /= sum;
        correct = arg == label;
        return T.Log(sum) + m - z[label];
    }

    /// <summary>dz = (p - onehot(label)) / batch for one sample.</summary>
    public static void Gradient(ReadOnlySpan<T> p, int label, int batch, Span<T> dz)
    {
        T b = T.CreateChecked(batch);
        for (int k = 0; k < p.Length; k++) dz[k] = (p[k] - (k == label ? T.One : T.Zero)) / b;
    }
}
