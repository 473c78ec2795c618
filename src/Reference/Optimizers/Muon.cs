using System.Numerics;
using NetNumerics.Optimizers;

namespace NetNumerics.Reference.Optimizers;

/// <summary>C[m x n] = A[m x k] B[k x n] (or B^T of a stored [n x k] when <c>bTransposed</c>), all row-major.</summary>
internal interface IMatrixProduct<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    void Multiply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, bool bTransposed, Span<T> c, int m, int k, int n);
}

/// <summary>The specification's product: the naive triple loop, each entry summed from 0 in k order (multiply, then add).</summary>
internal readonly struct NaiveProduct<T> : IMatrixProduct<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public void Multiply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, bool bTransposed, Span<T> c, int m, int k, int n)
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                T s = T.Zero;
                for (int q = 0; q < k; q++) s = s + a[i * k + q] * (bTransposed ? b[j * k + q] : b[q * n + j]);
                c[i * n + j] = s;
            }
    }
}

/// <summary>
/// Muon, the specification (Jordan et al. 2024; torch 2.9 <c>torch/optim/_muon.py</c>, <c>_single_tensor_muon</c> and
/// <c>_zeropower_via_newtonschulz</c> with <c>use_addmm=False</c>, in their order; <see cref="MuonOptions"/> has the
/// formulas). The state keeps the tensor's shape: rank 2 [rows, cols], or rank 4 [out, in, kh, kw] as the matrix
/// [out, in*kh*kw]; other ranks are refused at Init (a grouping sends them to AdamW). lerp is torch's
/// (<c>w &lt; 0.5 ? a + w*(b - a) : b - (b - a)*(1 - w)</c>, w and 1 - w in T); the Frobenius norm is summed in double in
/// the tensor's index order and rounded to T; the matrix products are naive triple loops (each entry from 0 in k order).
/// <para><b>Special values</b>: propagated. A NaN or infinite gradient element makes the norm, so every element of the
/// orthogonalized update, and so every parameter NaN (as in torch).</para>
/// </summary>
public sealed class Muon(MuonOptions options) : OptimizerBase(options)
{
    /// <summary>Muon keeps the tensor's shape (the matrix it orthogonalizes).</summary>
    protected internal override bool ShapeAware => true;

    /// <summary>One slot of the tensor's length; throws for a rank other than 2 and 4.</summary>
    protected internal override int[] SlotLengths(ReadOnlySpan<int> shape)
    {
        var (rows, cols) = MuonOptions.MatrixOf(shape);
        return [rows * cols];
    }

    /// <inheritdoc/>
    protected override void Apply<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr) =>
        Step(options, state, p, g, lr, new NaiveProduct<T>(), (n) => new T[n]);

    /// <summary>torch's lerp.</summary>
    internal static T Lerp<T>(T a, T b, T w, T oneMinusW, bool high) where T : IFloatingPointIeee754<T> =>
        high ? b - (b - a) * oneMinusW : a + w * (b - a);

    /// <summary>The whole step with the matrix product <paramref name="product"/> (the Fast twin passes its GEMM) and scratch from <paramref name="scratch"/>.</summary>
    internal static void Step<T, TProduct>(MuonOptions o, OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr, TProduct product, Func<int, T[]> scratch)
        where T : unmanaged, IFloatingPointIeee754<T> where TProduct : struct, IMatrixProduct<T>
    {
        var (rows, cols) = MuonOptions.MatrixOf(state.ShapeSpan);
        int n = p.Length;
        if (n == 0) return;
        Span<T> buf = state.SlotAt(0).Span;

        // B = lerp(B, g, 1 - mu); U = nesterov ? lerp(g, B, mu) : B
        double oneMinusMu = 1 - o.Momentum;
        T w = T.CreateTruncating(oneMinusMu), wc = T.One - w;
        T mu = T.CreateTruncating(o.Momentum), muc = T.One - mu;
        bool high = oneMinusMu >= 0.5, muHigh = o.Momentum >= 0.5;
        for (int i = 0; i < n; i++) buf[i] = Lerp(buf[i], g[i], w, wc, high);

        // X = U (transposed when rows > cols: m = min(rows, cols) rows of length k = max), divided by max(||U||_F, eps)
        bool transposed = rows > cols;
        int m = Math.Min(rows, cols), k = Math.Max(rows, cols);
        T[] x = scratch(n), y = scratch(n), a = scratch(m * m), a2 = scratch(m * m), bm = scratch(m * m);
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            T u = o.Nesterov ? Lerp(g[i], buf[i], mu, muc, muHigh) : buf[i];
            double d = double.CreateTruncating(u);
            sum += d * d;
            x[transposed ? i % cols * rows + i / cols : i] = u;
        }
        T floor = T.Max(T.CreateTruncating(Math.Sqrt(sum)), T.CreateTruncating(o.Epsilon));
        for (int i = 0; i < n; i++) x[i] = x[i] / floor;

        NewtonSchulz(o, x.AsSpan(0, n), y.AsSpan(0, n), a.AsSpan(0, m * m), a2.AsSpan(0, m * m), bm.AsSpan(0, m * m), m, k, product);

        // p = p * (1 - lr*wd); p = p - lr * adjust * X (X transposed back)
        T keep = T.CreateTruncating(1 - lr * o.WeightDecay), step = T.CreateTruncating(-(lr * o.LrFactor(rows, cols)));
        for (int i = 0; i < n; i++)
        {
            p[i] = p[i] * keep;
            p[i] = p[i] + step * x[transposed ? i % cols * rows + i / cols : i];
        }
    }

    /// <summary>
    /// <paramref name="steps"/> (default the options') iterations on X [m x k], m &lt;= k, in place:
    /// A = X X^T; B = b*A + c*(A A); X = a*X + B X. <paramref name="y"/>, <paramref name="a"/>, <paramref name="a2"/> and
    /// <paramref name="bm"/> are scratch of k*m, m*m, m*m and m*m elements.
    /// </summary>
    internal static void NewtonSchulz<T, TProduct>(MuonOptions o, Span<T> x, Span<T> y, Span<T> a, Span<T> a2, Span<T> bm, int m, int k, TProduct product, int steps = -1)
        where T : unmanaged, IFloatingPointIeee754<T> where TProduct : struct, IMatrixProduct<T>
    {
        T ca = T.CreateTruncating(o.A), cb = T.CreateTruncating(o.B), cc = T.CreateTruncating(o.C);
        for (int s = 0; s < (steps < 0 ? o.NsSteps : steps); s++)
        {
            product.Multiply(x, x, bTransposed: true, a, m, k, m);   // A = X X^T
            product.Multiply(a, a, bTransposed: false, a2, m, m, m);   // A A
            for (int i = 0; i < m * m; i++) bm[i] = cb * a[i] + cc * a2[i];
            product.Multiply(bm, x, bTransposed: false, y, m, m, k);   // B X
            for (int i = 0; i < m * k; i++) x[i] = ca * x[i] + y[i];
        }
    }
}
