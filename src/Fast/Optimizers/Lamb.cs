using System.Buffers;
using NetNumerics.Fast.Kernels;
using System.Numerics;
using System.Runtime.CompilerServices;
using NetNumerics.Optimizers;
using NetNumerics.Reference.Optimizers;

namespace NetNumerics.Fast.Optimizers;

/// <summary>
/// LAMB vectorized: the same element-wise operations in the same order as NetNumerics.Reference.Optimizers.Lamb (so m,
/// v and u are bit-identical), and the two norms as vector reductions (<see cref="SquareSum"/>, tiles of 1,024 elements
/// added left to right), which differ from the Reference's left-to-right sums by rounding only: each sum of squares is
/// within gamma_n of the exact one on both paths, so the trust ratio, and through it each parameter, agrees with the
/// Reference within the bound derived next to the property (tests/Properties/Optimizers/LambProperties.cs).
/// The first pass (moments, u, one pair of sums per tile) runs tile by tile, on the pool for a large tensor (whole tiles
/// per parallel block), and the tile sums are added in tile order on the calling thread, so the sums do not depend on the
/// thread count; the second pass (<c>p = p - (T)(lr*r) * u</c>, u recomputed) is an element-wise kernel and may use the pool.
/// </summary>
public sealed class FastLamb(LambOptions options) : OptimizerBase(options)
{
    /// <summary>Elements per tile of the first pass: u is written to a stack buffer of this size and its squares summed. It
    /// divides the driver's parallel block (16,384), so a block holds whole tiles and the tiles are the same on every path.</summary>
    internal const int Tile = 1024;

    /// <inheritdoc/>
    protected override unsafe void Apply<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr)
    {
        var (bc1, bc2) = Lamb.BiasCorrections(options, state.Step);
        var d = new LambDirection<T>
        {
            Bc1 = T.CreateTruncating(bc1), Bc2 = T.CreateTruncating(bc2), Eps = T.CreateTruncating(options.Epsilon),
            Wd = T.CreateTruncating(options.WeightDecay), Decay = options.WeightDecay != 0,
        };
        T b1 = T.CreateTruncating(options.Beta1), oneMinusB1 = T.CreateTruncating(1.0 - options.Beta1);
        T b2 = T.CreateTruncating(options.Beta2), oneMinusB2 = T.CreateTruncating(1.0 - options.Beta2);
        int tiles = (p.Length + Tile - 1) / Tile;
        double[]? rented = tiles > StackTiles ? ArrayPool<double>.Shared.Rent(2 * tiles) : null;
        Span<double> sums = rented != null ? rented : stackalloc double[2 * StackTiles];
        try
        {
            fixed (T* pp = p) fixed (T* pg = g) fixed (T* pm = state.SlotAt(0).Span) fixed (T* pv = state.SlotAt(1).Span) fixed (double* ps = sums)
            {
                var first = new LambFirstPass<T>
                {
                    P = pp, G = pg, M = pm, V = pv, Sums = ps, Tiles = tiles, D = d,
                    B1 = b1, OneMinusB1 = oneMinusB1, B2 = b2, OneMinusB2 = oneMinusB2,
                };
                KernelDriver.RunBlocks(ref first, p.Length);
                double parameterSquares = 0, updateSquares = 0;
                for (int t = 0; t < tiles; t++) { parameterSquares += ps[t]; updateSquares += ps[tiles + t]; }   // tiles in order
                double r = Lamb.TrustRatio(Math.Sqrt(parameterSquares), Math.Sqrt(updateSquares), options.TrustClip);
                var step = new LambStepKernel<T> { P = pp, M = pm, V = pv, D = d, Step = T.CreateTruncating(lr * r) };
                KernelDriver.Run<T, LambStepKernel<T>>(ref step, p.Length);
            }
        }
        finally { if (rented != null) ArrayPool<double>.Shared.Return(rented); }
    }

    /// <summary>Tiles whose two sums fit the stack buffer (256 KiB of tensor at float); larger tensors rent theirs.</summary>
    const int StackTiles = 64;
}

/// <summary>
/// The first pass over the tiles of a block (whole tiles: a parallel block is 16 tiles): the moments (stored), u into a
/// tile buffer on this thread's stack, and the tile's sums of squares of p and u into Sums[tile] and Sums[Tiles + tile].
/// Which thread runs a tile changes nothing in it, and the caller adds the tile sums in tile order.
/// </summary>
unsafe struct LambFirstPass<T> : IBlockBody where T : unmanaged, IFloatingPointIeee754<T>
{
    public T* P, G, M, V;
    public double* Sums;
    public int Tiles;
    public LambDirection<T> D;
    public T B1, OneMinusB1, B2, OneMinusB2;

    public readonly void Block(nint start, nint end, VectorWidth width)
    {
        T* u = stackalloc T[FastLamb.Tile];
        for (nint at = start; at < end; at += FastLamb.Tile)
        {
            int len = (int)Math.Min(FastLamb.Tile, end - at);
            var k = new LambMomentsKernel<T>
            {
                P = P + at, G = G + at, M = M + at, V = V + at, U = u, D = D,
                B1 = B1, OneMinusB1 = OneMinusB1, B2 = B2, OneMinusB2 = OneMinusB2,
            };
            KernelDriver.RunAt<T, LambMomentsKernel<T>>(ref k, len, width);
            int tile = (int)(at / FastLamb.Tile);
            Sums[tile] = SquareSum.Of<T>(new ReadOnlySpan<T>(P + at, len));
            Sums[Tiles + tile] = SquareSum.Of<T>(new ReadOnlySpan<T>(u, len));
        }
    }
}

/// <summary>The Reference's <c>u = (m/bc1) / (sqrt(v/bc2) + eps) [+ wd*p]</c>, lane by lane.</summary>
struct LambDirection<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Bc1, Bc2, Eps, Wd;
    public bool Decay;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly TV Of<TV>(TV m, TV v, TV p) where TV : struct, IVec<TV, T>
    {
        TV mHat = m / TV.Create(Bc1);
        TV vHat = v / TV.Create(Bc2);
        TV u = mHat / (TV.Sqrt(vHat) + TV.Create(Eps));
        return Decay ? u + TV.Create(Wd) * p : u;
    }
}

/// <summary>First pass over one tile: the moments (stored) and u (into the tile buffer U, indexed from the tile's start).</summary>
unsafe struct LambMomentsKernel<T> : IKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T* P, G, M, V, U;
    public LambDirection<T> D;
    public T B1, OneMinusB1, B2, OneMinusB2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Apply<TV>(nint i) where TV : struct, IVec<TV, T>
    {
        TV g = TV.Load(G + i);
        TV m = TV.Create(B1) * TV.Load(M + i) + TV.Create(OneMinusB1) * g;
        TV v = TV.Create(B2) * TV.Load(V + i) + TV.Create(OneMinusB2) * (g * g);
        m.Store(M + i);
        v.Store(V + i);
        D.Of(m, v, TV.Load(P + i)).Store(U + i);
    }
}

/// <summary>Second pass: u again from the new m, v and the old p, then <c>p = p - step*u</c>.</summary>
unsafe struct LambStepKernel<T> : IKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T* P, M, V;
    public LambDirection<T> D;
    public T Step;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Apply<TV>(nint i) where TV : struct, IVec<TV, T>
    {
        TV p = TV.Load(P + i);
        (p - TV.Create(Step) * D.Of(TV.Load(M + i), TV.Load(V + i), p)).Store(P + i);
    }
}
