using System.Numerics;
using NetNumerics.Optimizers;

namespace NetNumerics.Reference.Optimizers;

/// <summary>
/// Adafactor, the specification (Shazeer &amp; Stern 2018, arXiv:1804.04235; torch 2.5+ <c>torch/optim/_adafactor.py</c>,
/// <c>_single_tensor_adafactor</c>, whose order of operations this follows line by line; <see cref="AdafactorOptions"/>
/// has the formulas and where Optax and Keras differ). The state keeps the tensor's shape: the last two dimensions
/// [rows, cols] of a rank &gt;= 2 tensor are factored (one row and one column vector per leading index), a rank 0 or 1
/// tensor keeps its full second moment. Scalars (t^beta2_decay, rho, alpha, the clipping denominator) are computed in
/// double as torch's Python floats are; the norms are rounded to T first, as torch's <c>norm().item()</c> is.
/// <para>lerp is torch's: <c>w &lt; 0.5 ? a + w*(b - a) : b - (b - a)*(1 - w)</c>, with w and 1 - w in T. rsqrt is
/// <c>1/sqrt</c> (two roundings, as ATen's CPU vector rsqrt). Sums accumulate in double in index order and round to T once.</para>
/// <para><b>Special values</b>: propagated, never checked. A NaN or infinite gradient element makes its row's and column's
/// factors (or its variance) NaN or infinite, and with them RMS(U) and so every element's step; a NaN parameter makes RMS(p)
/// and so every element's step NaN, as in torch.</para>
/// </summary>
public sealed class Adafactor(AdafactorOptions options) : OptimizerBase(options)
{
    /// <summary>Adafactor keeps the tensor's shape (its factors have the lengths of its last two dimensions).</summary>
    protected internal override bool ShapeAware => true;

    /// <inheritdoc/>
    protected internal override int[] SlotLengths(ReadOnlySpan<int> shape) => AdafactorOptions.SlotLengthsFor(shape);

    /// <summary>torch's lerp: <c>w &lt; 0.5 ? a + w*(b - a) : b - (b - a)*(1 - w)</c>.</summary>
    internal static T Lerp<T>(T a, T b, T w, T oneMinusW, bool high) where T : IFloatingPointIeee754<T> =>
        high ? b - (b - a) * oneMinusW : a + w * (b - a);

    /// <summary>Python's <c>max(a, b)</c>: b only if b &gt; a (so a NaN b gives a, as in torch's scalar code).</summary>
    internal static double PyMax(double a, double b) => b > a ? b : a;

    /// <summary>sqrt(sum x^2) in double, index order, rounded to T and back (torch's <c>x.norm(2).item()</c>).</summary>
    internal static double Norm<T>(ReadOnlySpan<T> x) where T : IFloatingPointIeee754<T>
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++) { double v = double.CreateTruncating(x[i]); sum += v * v; }
        return double.CreateTruncating(T.CreateTruncating(Math.Sqrt(sum)));
    }

    /// <summary>The gradient as the update sees it: negated when maximizing.</summary>
    static T G<T>(ReadOnlySpan<T> grad, int i, bool maximize) where T : IFloatingPointIeee754<T> => maximize ? -grad[i] : grad[i];

    /// <summary>max(mean_i R of batch b, eps1): the row factor's mean, summed in double in index order.</summary>
    static T RowMeanFloor<T>(ReadOnlySpan<T> rowVar, int b, int rows, T eps1) where T : IFloatingPointIeee754<T>
    {
        double sum = 0;
        for (int i = 0; i < rows; i++) sum += double.CreateTruncating(rowVar[b * rows + i]);
        return T.Max(T.CreateTruncating(sum / rows), eps1);
    }

    /// <summary>U_k = 1/sqrt(max(V_k, eps1^2)) * g_k, V_k = R_i * C_j / floor (factored; floor = max(mean(R), eps1)) or the variance.</summary>
    static T U<T>(OptimizerState<T> state, ReadOnlySpan<T> grad, int k, int rows, int cols, bool factored, T floor, T eps1Squared, bool maximize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T v;
        if (factored)
        {
            int b = k / (rows * cols), i = k / cols % rows, j = k % cols;
            ReadOnlySpan<T> rowVar = state.SlotAt(0).Span, colVar = state.SlotAt(1).Span;
            v = rowVar[b * rows + i] * colVar[b * cols + j] / floor;
        }
        else v = state.SlotAt(2).Span[k];
        return T.One / T.Sqrt(T.Max(v, eps1Squared)) * G(grad, k, maximize);
    }

    /// <inheritdoc/>
    protected override void Apply<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> grad, double lr)
    {
        int n = p.Length;
        if (n == 0) return;
        double t = state.Step;
        double oneMinusBeta2 = Math.Pow(t, options.Beta2Decay);
        double rho = Math.Min(lr, 1 / Math.Sqrt(t));
        double alpha = PyMax(options.Epsilon2, Norm<T>(p) / Math.Sqrt(n)) * rho;

        if (options.WeightDecay != 0)
        {
            T keep = C<T>(1 - lr * options.WeightDecay);
            for (int i = 0; i < n; i++) p[i] = p[i] * keep;
        }

        T w = C<T>(oneMinusBeta2), oneMinusW = T.One - w;
        bool high = oneMinusBeta2 >= 0.5, maximize = options.Maximize;
        T eps1 = options.Eps1<T>();
        T eps1Squared = C<T>(double.CreateTruncating(eps1) * double.CreateTruncating(eps1));

        ReadOnlySpan<int> shape = state.ShapeSpan;
        bool factored = shape.Length > 1;
        int cols = factored ? shape[^1] : n, rows = factored ? shape[^2] : 1, batches = n / (rows * cols);
        Span<T> rowVar = state.SlotAt(0).Span, colVar = state.SlotAt(1).Span, variance = state.SlotAt(2).Span;

        // The second moment: the factors' means of g^2 (rank >= 2) or g^2 itself, lerped in.
        if (factored)
            for (int b = 0; b < batches; b++)
            {
                int at = b * rows * cols;
                for (int i = 0; i < rows; i++)
                {
                    double sum = 0;
                    for (int j = 0; j < cols; j++) { double g = double.CreateTruncating(G(grad, at + i * cols + j, maximize)); sum += g * g; }
                    T rowMean = C<T>(sum / cols);
                    rowVar[b * rows + i] = Lerp(rowVar[b * rows + i], rowMean, w, oneMinusW, high);
                }
                for (int j = 0; j < cols; j++)
                {
                    double sum = 0;
                    for (int i = 0; i < rows; i++) { double g = double.CreateTruncating(G(grad, at + i * cols + j, maximize)); sum += g * g; }
                    T colMean = C<T>(sum / rows);
                    colVar[b * cols + j] = Lerp(colVar[b * cols + j], colMean, w, oneMinusW, high);
                }
            }
        else
            for (int i = 0; i < n; i++)
            {
                T g = G(grad, i, maximize);
                variance[i] = Lerp(variance[i], g * g, w, oneMinusW, high);
            }

        // RMS(U), with U = g / sqrt(max(V, eps1^2)) element by element; then the step with the same U.
        // (max(mean(R), eps1) once per leading index b: the elements of batch b are k = b*rows*cols ... (b+1)*rows*cols - 1.)
        double sumU = 0;
        for (int b = 0; b < batches; b++)
        {
            T floor = factored ? RowMeanFloor<T>(rowVar, b, rows, eps1) : T.One;
            for (int k = b * rows * cols; k < (b + 1) * rows * cols; k++)
            {
                double u = double.CreateTruncating(U(state, grad, k, rows, cols, factored, floor, eps1Squared, maximize));
                sumU += u * u;
            }
        }
        double normU = double.CreateTruncating(T.CreateTruncating(Math.Sqrt(sumU)));
        double denom = PyMax(1.0, normU / (Math.Sqrt(n) * options.ClipThreshold));
        T step = C<T>(-alpha / denom);
        for (int b = 0; b < batches; b++)
        {
            T floor = factored ? RowMeanFloor<T>(rowVar, b, rows, eps1) : T.One;
            for (int k = b * rows * cols; k < (b + 1) * rows * cols; k++)
                p[k] = p[k] + step * U(state, grad, k, rows, cols, factored, floor, eps1Squared, maximize);
        }
    }
}
