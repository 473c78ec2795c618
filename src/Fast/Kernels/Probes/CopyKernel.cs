using System.Runtime.CompilerServices;

namespace NetNumerics.Fast.Kernels.Probes;

/// <summary>
/// The bandwidth yardstick of the optimizers: p &lt;- g, m &lt;- p, v &lt;- m + v moves exactly Adam's bytes (reads p, g, m, v
/// and writes p, m, v: <see cref="BytesPerElement"/> = 28 for float) with one add and no dead load, through the same driver,
/// widest vectors, 64-byte-aligned arrays and thread split as an optimizer update (<see cref="KernelDriver"/>).
/// One place for the BenchmarkDotNet suites (bench/Optimizers) and the `numerics bench` command.
/// </summary>
internal unsafe struct CopyKernel : IKernel<float>
{
    /// <summary>Bytes read and written per element: 4 arrays read, 3 written, 4 bytes each.</summary>
    public const int BytesPerElement = 28;

    public float* P, G, M, V;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Apply<TV>(nint i) where TV : struct, IVec<TV, float>
    {
        TV a = TV.Load(P + i), b = TV.Load(G + i), c = TV.Load(M + i), d = TV.Load(V + i);
        b.Store(P + i); a.Store(M + i); (c + d).Store(V + i);
    }

    public static (ArraySegment<float>, ArraySegment<float>, ArraySegment<float>, ArraySegment<float>) Arrays(int n)
    {
        var p = AlignedBuffer.Allocate<float>(n); var g = AlignedBuffer.Allocate<float>(n);
        var m = AlignedBuffer.Allocate<float>(n); var v = AlignedBuffer.Allocate<float>(n);
        for (int i = 0; i < n; i++) { g[i] = i * 1e-6f; v[i] = 0; }
        return (p, g, m, v);
    }

    /// <summary>One pass, split across threads like an optimizer update (FastOptimizers.MaxDegreeOfParallelism, or
    /// <see cref="KernelDriver.ThreadsHere"/> when the calling thread set it).</summary>
    public static void Run(ArraySegment<float> p, ArraySegment<float> g, ArraySegment<float> m, ArraySegment<float> v)
    {
        fixed (float* pp = p.AsSpan()) fixed (float* pg = g.AsSpan()) fixed (float* pm = m.AsSpan()) fixed (float* pv = v.AsSpan())
        {
            var k = new CopyKernel { P = pp, G = pg, M = pm, V = pv };
            KernelDriver.Run<float, CopyKernel>(ref k, p.Count);
        }
    }
}
