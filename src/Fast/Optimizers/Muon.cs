using System.Buffers;
using System.Numerics;
using NetNumerics.Fast.Kernels;
using NetNumerics.Optimizers;
using NetNumerics.Reference.Optimizers;

namespace NetNumerics.Fast.Optimizers;

/// <summary>
/// Muon with the Newton-Schulz products on fast kernels and every other operation the Reference's, in its order
/// (NetNumerics.Reference.Optimizers.Muon): float on the project's SGEMM (<see cref="Sgemm"/>: FMA chains in k order within
/// fixed K blocks, so within a derived bound of the Reference's naive loops, not bit-identical); double on a vectorized
/// i-k-j loop that adds the products of each entry from 0 in k order, multiply then add, as the naive loop does:
/// bit-identical to the Reference. Scratch comes from the shared array pool; one thread per update.
/// </summary>
public sealed class FastMuon(MuonOptions options) : OptimizerBase(options)
{
    /// <summary>Muon keeps the tensor's shape.</summary>
    protected internal override bool ShapeAware => true;

    /// <inheritdoc/>
    protected internal override int[] SlotLengths(ReadOnlySpan<int> shape)
    {
        var (rows, cols) = MuonOptions.MatrixOf(shape);
        return [rows * cols];
    }

    /// <inheritdoc/>
    protected override void Apply<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr)
    {
        var rented = new List<T[]>(5);
        try
        {
            Muon.Step(options, state, p, g, lr, new GemmProduct<T>(), n => { var a = ArrayPool<T>.Shared.Rent(Math.Max(n, 1)); rented.Add(a); return a; });
        }
        finally { foreach (var a in rented) ArrayPool<T>.Shared.Return(a); }
    }
}

/// <summary>float: <see cref="Sgemm"/>; any other T: the vectorized i-k-j loop (bit-identical to the Reference's naive loop).</summary>
internal readonly unsafe struct GemmProduct<T> : IMatrixProduct<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    [ThreadStatic] static GemmWorkspace? workspace;

    public void Multiply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, bool bTransposed, Span<T> c, int m, int k, int n)
    {
        if (m == 0 || n == 0) return;
        if (typeof(T) == typeof(float))
        {
            fixed (T* pa = a) fixed (T* pb = b) fixed (T* pc = c)
                Sgemm.Multiply(m, n, k, (float*)pa, k, 1, (float*)pb, bTransposed ? 1 : n, bTransposed ? k : 1, (float*)pc, n, false, workspace ??= new GemmWorkspace());
            return;
        }
        T[]? t = null;
        try
        {
            ReadOnlySpan<T> rowMajor = b;
            if (bTransposed)
            {
                t = ArrayPool<T>.Shared.Rent(k * n);
                for (int j = 0; j < n; j++)
                    for (int q = 0; q < k; q++) t[q * n + j] = b[j * k + q];
                rowMajor = t.AsSpan(0, k * n);
            }
            fixed (T* pa = a) fixed (T* pb = rowMajor) fixed (T* pc = c)
                switch (SimdWidth.Current)
                {
                    case VectorWidth.Bits512: Ikj<V512<T>>(pa, pb, pc, m, k, n); break;
                    case VectorWidth.Bits256: Ikj<V256<T>>(pa, pb, pc, m, k, n); break;
                    case VectorWidth.Bits128: Ikj<V128<T>>(pa, pb, pc, m, k, n); break;
                    default: Ikj<Lane<T>>(pa, pb, pc, m, k, n); break;
                }
        }
        finally { if (t is not null) ArrayPool<T>.Shared.Return(t); }
    }

    /// <summary>C[i, :] = 0, then C[i, :] = C[i, :] + A[i, q] * B[q, :] for q = 0, 1, ...: each entry from 0 in k order.</summary>
    static void Ikj<TV>(T* a, T* b, T* c, int m, int k, int n) where TV : struct, IVec<TV, T>
    {
        for (int i = 0; i < m; i++)
        {
            T* ci = c + (nint)i * n;
            new Span<T>(ci, n).Clear();
            for (int q = 0; q < k; q++)
            {
                T aiq = a[(nint)i * k + q];
                T* bq = b + (nint)q * n;
                TV av = TV.Create(aiq);
                var al = Lane<T>.Create(aiq);
                nint j = 0;
                for (; j <= n - TV.Count; j += TV.Count) (TV.Load(ci + j) + av * TV.Load(bq + j)).Store(ci + j);
                for (; j < n; j++) (Lane<T>.Load(ci + j) + al * Lane<T>.Load(bq + j)).Store(ci + j);
            }
        }
    }
}
