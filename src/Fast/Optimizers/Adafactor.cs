using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using NetNumerics.Fast.Kernels;
using NetNumerics.Optimizers;
using Ref = NetNumerics.Reference.Optimizers.Adafactor;

namespace NetNumerics.Fast.Optimizers;

/// <summary>
/// Adafactor with the element-wise parts in vectors (weight decay, the unfactored lerp, U = g/sqrt(max(V, eps1^2)), the
/// step) and the reductions in the Reference's order (double accumulators, index order; the column sums run over rows
/// with one accumulator per column, which is the same order per column): the same operations in the same order as
/// NetNumerics.Reference.Optimizers.Adafactor, so the bits are the same. One thread per update (the reductions are
/// sequential by specification).
/// </summary>
public sealed class FastAdafactor(AdafactorOptions options) : OptimizerBase(options)
{
    /// <summary>Adafactor keeps the tensor's shape.</summary>
    protected internal override bool ShapeAware => true;

    /// <inheritdoc/>
    protected internal override int[] SlotLengths(ReadOnlySpan<int> shape) => AdafactorOptions.SlotLengthsFor(shape);

    /// <inheritdoc/>
    protected override void Apply<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr)
    {
        switch (SimdWidth.Current)
        {
            case VectorWidth.Bits512: Run<T, V512<T>>(state, p, g, lr); break;
            case VectorWidth.Bits256: Run<T, V256<T>>(state, p, g, lr); break;
            case VectorWidth.Bits128: Run<T, V128<T>>(state, p, g, lr); break;
            default: Run<T, Lane<T>>(state, p, g, lr); break;
        }
    }

    unsafe void Run<T, TV>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> grad, double lr)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct, IVec<TV, T>
    {
        int n = p.Length;
        if (n == 0) return;
        double t = state.Step;
        double oneMinusBeta2 = Math.Pow(t, options.Beta2Decay);
        double rho = Math.Min(lr, 1 / Math.Sqrt(t));
        double alpha = Ref.PyMax(options.Epsilon2, Ref.Norm<T>(p) / Math.Sqrt(n)) * rho;

        T w = C<T>(oneMinusBeta2), oneMinusW = T.One - w;
        bool high = oneMinusBeta2 >= 0.5, maximize = options.Maximize;
        T eps1 = options.Eps1<T>();
        T eps1Squared = C<T>(double.CreateTruncating(eps1) * double.CreateTruncating(eps1));

        ReadOnlySpan<int> shape = state.ShapeSpan;
        bool factored = shape.Length > 1;
        int cols = factored ? shape[^1] : n, rows = factored ? shape[^2] : 1, batches = n / (rows * cols);

        fixed (T* pp = p) fixed (T* pg = grad)
        fixed (T* pr = state.SlotAt(0).Span) fixed (T* pc = state.SlotAt(1).Span) fixed (T* pv = state.SlotAt(2).Span)
        {
            if (options.WeightDecay != 0)
            {
                var keep = TV.Create(C<T>(1 - lr * options.WeightDecay));
                var lane = Lane<T>.Create(C<T>(1 - lr * options.WeightDecay));
                nint i = 0;
                for (; i <= n - TV.Count; i += TV.Count) (TV.Load(pp + i) * keep).Store(pp + i);
                for (; i < n; i++) (Lane<T>.Load(pp + i) * lane).Store(pp + i);
            }

            if (factored) Factors(pg, pr, pc, batches, rows, cols, w, oneMinusW, high, maximize);
            else
            {
                nint i = 0;
                for (; i <= n - TV.Count; i += TV.Count) LerpSquare<T, TV>(pv, pg, i, w, oneMinusW, high, maximize);
                for (; i < n; i++) LerpSquare<T, Lane<T>>(pv, pg, i, w, oneMinusW, high, maximize);
            }

            // RMS(U): U in vectors, its squares added one by one in index order (the Reference's order).
            T* lanes = stackalloc T[TV.Count];
            double sumU = 0;
            for (int b = 0; b < batches; b++)
            {
                T floor = factored ? Floor(pr, b, rows, eps1) : T.One;
                for (int i = 0; i < rows; i++)
                {
                    var u = Row(pr, pc, pv, pg, b, i, rows, cols, factored, floor, eps1Squared, maximize);
                    nint at = (nint)(b * rows + i) * cols, j = 0;
                    for (; j <= cols - TV.Count; j += TV.Count)
                    {
                        u.U<TV>(at, j).Store(lanes);
                        for (int k = 0; k < TV.Count; k++) { double x = double.CreateTruncating(lanes[k]); sumU += x * x; }
                    }
                    for (; j < cols; j++) { u.U<Lane<T>>(at, j).Store(lanes); double x = double.CreateTruncating(lanes[0]); sumU += x * x; }
                }
            }
            double normU = double.CreateTruncating(T.CreateTruncating(Math.Sqrt(sumU)));
            double denom = Ref.PyMax(1.0, normU / (Math.Sqrt(n) * options.ClipThreshold));
            T step = C<T>(-alpha / denom);
            TV stepV = TV.Create(step);
            var stepL = Lane<T>.Create(step);
            for (int b = 0; b < batches; b++)
            {
                T floor = factored ? Floor(pr, b, rows, eps1) : T.One;
                for (int i = 0; i < rows; i++)
                {
                    var u = Row(pr, pc, pv, pg, b, i, rows, cols, factored, floor, eps1Squared, maximize);
                    nint at = (nint)(b * rows + i) * cols, j = 0;
                    for (; j <= cols - TV.Count; j += TV.Count) (TV.Load(pp + at + j) + stepV * u.U<TV>(at, j)).Store(pp + at + j);
                    for (; j < cols; j++) (Lane<T>.Load(pp + at + j) + stepL * u.U<Lane<T>>(at, j)).Store(pp + at + j);
                }
            }
        }
    }

    /// <summary>The factors' row and column means of g^2, lerped in: sums in double, index order, as the Reference.</summary>
    static unsafe void Factors<T>(T* g, T* rowVar, T* colVar, int batches, int rows, int cols, T w, T oneMinusW, bool high, bool maximize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double[] colSums = ArrayPool<double>.Shared.Rent(cols);
        try
        {
            for (int b = 0; b < batches; b++)
            {
                T* at = g + (nint)b * rows * cols;
                for (int i = 0; i < rows; i++)
                {
                    double sum = 0;
                    T* row = at + (nint)i * cols;
                    for (int j = 0; j < cols; j++) { double x = double.CreateTruncating(maximize ? -row[j] : row[j]); sum += x * x; }
                    T* r = rowVar + (nint)b * rows + i;
                    *r = Ref.Lerp(*r, T.CreateTruncating(sum / cols), w, oneMinusW, high);
                }
                // Column sums over rows in row order, one accumulator per column: each column's additions in the Reference's order.
                Array.Clear(colSums, 0, cols);
                for (int i = 0; i < rows; i++)
                {
                    T* row = at + (nint)i * cols;
                    for (int j = 0; j < cols; j++) { double x = double.CreateTruncating(maximize ? -row[j] : row[j]); colSums[j] += x * x; }
                }
                for (int j = 0; j < cols; j++)
                {
                    T* c = colVar + (nint)b * cols + j;
                    *c = Ref.Lerp(*c, T.CreateTruncating(colSums[j] / rows), w, oneMinusW, high);
                }
            }
        }
        finally { ArrayPool<double>.Shared.Return(colSums); }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static unsafe void LerpSquare<T, TV>(T* v, T* g, nint i, T w, T oneMinusW, bool high, bool maximize)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct, IVec<TV, T>
    {
        TV gv = TV.Load(g + i);
        if (maximize) gv = -gv;
        TV a = TV.Load(v + i), b = gv * gv;
        (high ? b - (b - a) * TV.Create(oneMinusW) : a + TV.Create(w) * (b - a)).Store(v + i);
    }

    /// <summary>max(mean of batch b's row factor, eps1): the sum in double, index order, as the Reference.</summary>
    static unsafe T Floor<T>(T* rowVar, int b, int rows, T eps1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sum = 0;
        for (int k = 0; k < rows; k++) sum += double.CreateTruncating(rowVar[(nint)b * rows + k]);
        return T.Max(T.CreateTruncating(sum / rows), eps1);
    }

    static unsafe URow<T> Row<T>(T* rowVar, T* colVar, T* variance, T* g, int b, int i, int rows, int cols, bool factored, T floor, T eps1Squared, bool maximize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var u = new URow<T> { G = g, Eps1Squared = eps1Squared, Maximize = maximize, Factored = factored, Variance = variance, Floor = floor };
        if (factored)
        {
            u.R = rowVar[(nint)b * rows + i];
            u.Col = colVar + (nint)b * cols;
        }
        return u;
    }

    /// <summary>U = 1/sqrt(max(V, eps1^2)) * g over one row of the last dimension, V = R_i * C_j / floor (factored) or the variance.</summary>
    unsafe struct URow<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T* G, Col, Variance;
        public T R, Floor, Eps1Squared;
        public bool Factored, Maximize;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly TV U<TV>(nint at, nint j) where TV : struct, IVec<TV, T>
        {
            TV v = Factored ? TV.Create(R) * TV.Load(Col + j) / TV.Create(Floor) : TV.Load(Variance + at + j);
            TV gv = TV.Load(G + at + j);
            if (Maximize) gv = -gv;
            return TV.Create(T.One) / TV.Sqrt(TV.Max(v, TV.Create(Eps1Squared))) * gv;
        }
    }
}
