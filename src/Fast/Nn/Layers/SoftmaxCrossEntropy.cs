using NetNumerics.Reference.Nn.Layers;
namespace NetNumerics.Fast.Nn.Layers;

/// <summary>
/// Softmax cross-entropy of one sample with exactly the Reference's operations in the same order
/// (<see cref="NetNumerics.Reference.Nn.Layers.ReferenceSoftmaxCrossEntropy{T}"/>): max, exp(z - m) summed in index order, divide, log S + m - z_label,
/// dz = (p - onehot) / B. Only Classes (10) elements per sample, so scalar code costs nothing and keeps the two paths bit-identical.
/// </summary>
internal static unsafe class FastSoftmaxCrossEntropy
{
    public static float LossAndProbabilities(float* z, int classes, int label, float* p, out bool correct)
    {
        float m = z[0]; int arg = 0;
        for (int k = 1; k < classes; k++) if (z[k] > m) { m = z[k]; arg = k; }
        float sum = 0;
        for (int k = 0; k < classes; k++) { p[k] = MathF.Exp(z[k] - m); sum += p[k]; }
        for (int k = 0; k < classes; k++) p[k] /= sum;
        correct = arg == label;
        return MathF.Log(sum) + m - z[label];
    }

    public static void Gradient(float* p, int classes, int label, int batch, float* dz)
    {
        float b = batch;
        for (int k = 0; k < classes; k++) dz[k] = (p[k] - (k == label ? 1f : 0f)) / b;
    }
}
