using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NetNumerics.Fast.Optimizers;

namespace NetNumerics.Fast;

/// <summary>
/// Conv2D, ReLU, MaxPool2D (windows that tile the map: stride = pool) run as one layer, with the bits of the three run one
/// after the other. Forward, a few samples at a time: im2col and the GEMM into a block of conv outputs small enough to stay
/// in cache, then ReLU and the pool's maximum (the first strictly greatest, as the Reference) in one pass over it; only the
/// pooled map and each winner's place in its window leave the layer. Backward never materialises the conv output's
/// gradient either: the conv's backward asks for it a block of rows at a time (<see cref="PooledGradRows"/>), and each
/// row is built from the pooled gradient: g = (pooled &gt; 0 ? dy + 0 : +0) at the window's winner, +0 elsewhere. That is
/// exactly the pool's backward (dx = 0; dx[winner] += dy) followed by ReLU's (x &gt; 0 ? dx : +0): the winner's ReLU output
/// is the pooled value, so x &gt; 0 there iff pooled &gt; 0, and each conv output is in one window.
/// </summary>
public sealed unsafe class FastConvReluPool : FastLayer
{
    /// <summary>Bytes of column matrix and conv outputs per forward block (whole samples), to stay in L2.</summary>
    const int BlockBytes = 384 * 1024;

    readonly FastConv2D conv;
    readonly int pool, channels, samplesPerBlock;

    public FastConvReluPool(FastConv2D conv, MaxPool2DSpec poolSpec) : base(conv.Input, poolSpec.OutputShape(conv.Output), conv.Index)
    {
        if (!CanFuse(poolSpec)) throw new ArgumentException($"pool {poolSpec.Pool} with stride {poolSpec.EffectiveStride}: only windows that tile the map (stride = pool) fuse.", nameof(poolSpec));
        this.conv = conv;
        pool = poolSpec.Pool;
        channels = conv.Output.Channels;
        samplesPerBlock = Math.Max(1, BlockBytes / (conv.Positions * (conv.Taps + channels) * sizeof(float)));
    }

    /// <summary>Whether a max-pool after conv and ReLU can join them: windows that tile the map, so each conv output is in at most one.</summary>
    public static bool CanFuse(MaxPool2DSpec pool) => pool.EffectiveStride == pool.Pool;

    internal override int SpecLayerCount => 3;
    public override int WeightCount => conv.WeightCount;
    public override int BiasCount => conv.BiasCount;
    public override void ConvertWeights(ReadOnlySpan<float> src, Span<float> dst, bool toSpec) => conv.ConvertWeights(src, dst, toSpec);
    public override void Prepare() => conv.Prepare();

    public override void Bind(float* parameters)
    {
        base.Bind(parameters);
        conv.ParamOffset = ParamOffset;
        conv.Bind(parameters);
    }

    public override int StateFloats => Output.Length;   // the winners

    // the conv's work (backward blocks), one forward block of column matrix and of conv outputs, one backward block of dY rows
    int BlockRows => samplesPerBlock * conv.Positions;
    public override int ScratchFloats(int chunk) => conv.WorkFloats + BlockRows * (conv.Taps + channels) + Sgemm.KC * channels;

    float* Col(LayerScratch s) => s.Floats + conv.WorkFloats;
    float* ConvBlock(LayerScratch s) => Col(s) + (long)BlockRows * conv.Taps;
    float* GradBlock(LayerScratch s) => ConvBlock(s) + (long)BlockRows * channels;

    public override void Forward(float* x, float* y, int n, in ChunkContext ctx, LayerScratch s)
    {
        float* col = Col(s), block = ConvBlock(s), winners = s.State;
        int positions = conv.Positions;
        for (int s0 = 0; s0 < n; s0 += samplesPerBlock)
        {
            int s1 = Math.Min(n, s0 + samplesPerBlock);
            conv.Im2Col(x, col, s0 * positions, (s1 - s0) * positions);
            conv.ForwardRows(col, (s1 - s0) * positions, block, s.Gemm);
            long o = (long)s0 * Output.Length;
            int done = Vector512.IsHardwareAccelerated ? ReluPool<V512<float>>(block, s1 - s0, y + o, winners + o, 0)
                : Vector256.IsHardwareAccelerated ? ReluPool<V256<float>>(block, s1 - s0, y + o, winners + o, 0)
                : ReluPool<V128<float>>(block, s1 - s0, y + o, winners + o, 0);
            if (done < channels) ReluPool<Lane<float>>(block, s1 - s0, y + o, winners + o, done);
        }
    }

    /// <summary>y = max over each window of ReLU(conv output), winners = the first strictly greatest's place i * pool + j;
    /// channels [ch0, end) in steps of TV.Count, returns end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    int ReluPool<TV>(float* block, int samples, float* y, float* winners, int ch0) where TV : struct, IVec<TV, float>
    {
        int w = conv.Output.Width, h = conv.Output.Height, c = channels, end = ch0 + (c - ch0) / TV.Count * TV.Count;
        var zero = TV.Create(0f);
        for (int s = 0; s < samples; s++)
            for (int wp = 0; wp < Output.Height; wp++)
                for (int wq = 0; wq < Output.Width; wq++)
                {
                    float* corner = block + ((long)(s * h + wp * pool) * w + wq * pool) * c;
                    long o = (long)s * Output.Length + (wp * Output.Width + wq) * c;
                    for (int ch = ch0; ch < end; ch += TV.Count)
                    {
                        var best = TV.Load(corner + ch);
                        best = TV.SelectGreater(best, zero, best, zero);
                        var at = zero;
                        for (int i = 0; i < pool; i++)
                            for (int j = 0; j < pool; j++)
                            {
                                var v = TV.Load(corner + (i * w + j) * c + ch);
                                v = TV.SelectGreater(v, zero, v, zero);   // ReLU: x > 0 ? x : +0
                                at = TV.SelectGreater(v, best, TV.Create(i * pool + j), at);
                                best = TV.SelectGreater(v, best, v, best);
                            }
                        best.Store(y + o + ch);
                        at.Store(winners + o + ch);
                    }
                }
        return end;
    }

    public override void Backward(float* x, float* y, float* dy, float* dx, int n, float* grad, in ChunkContext ctx, LayerScratch s)
    {
        var rows = new PooledGradRows(this, y, dy, s.State, GradBlock(s));
        conv.BackwardRows(ref rows, x, s.Floats, dx, n, grad, s.Gemm);
    }

    /// <summary>Rows of the conv output's gradient, built from the pooled gradient dy, the pooled values y and the winners.</summary>
    readonly struct PooledGradRows(FastConvReluPool layer, float* y, float* dy, float* winners, float* block) : IConvGradRows
    {
        public float* Rows(int r0, int count)
        {
            int done = Vector512.IsHardwareAccelerated ? layer.GradRows<V512<float>>(r0, count, y, dy, winners, block, 0)
                : Vector256.IsHardwareAccelerated ? layer.GradRows<V256<float>>(r0, count, y, dy, winners, block, 0)
                : layer.GradRows<V128<float>>(r0, count, y, dy, winners, block, 0);
            if (done < layer.channels) layer.GradRows<Lane<float>>(r0, count, y, dy, winners, block, done);
            return block;
        }
    }

    /// <summary>Rows [r0, r0 + count) of dY into block, channels [ch0, end); returns end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    int GradRows<TV>(int r0, int count, float* y, float* dy, float* winners, float* block, int ch0) where TV : struct, IVec<TV, float>
    {
        int w = conv.Output.Width, positions = conv.Positions, c = channels, end = ch0 + (c - ch0) / TV.Count * TV.Count;
        TV zero = TV.Create(0f), half = TV.Create(0.5f);
        for (int r = r0; r < r0 + count; r++)
        {
            int s = r / positions, pq = r - s * positions, p = pq / w, q = pq - p * w, wp = p / pool, wq = q / pool;
            float* dst = block + (long)(r - r0) * c;
            if (wp >= Output.Height || wq >= Output.Width)   // past the last whole window: the pool ignores it
            {
                for (int ch = ch0; ch < end; ch += TV.Count) zero.Store(dst + ch);
                continue;
            }
            var place = TV.Create((p - wp * pool) * pool + (q - wq * pool));
            long o = (long)s * Output.Length + (wp * Output.Width + wq) * c;
            for (int ch = ch0; ch < end; ch += TV.Count)
            {
                var g = TV.SelectGreater(TV.Load(y + o + ch), zero, TV.Load(dy + o + ch) + zero, zero);
                // winners hold exact small integers: |winner - place| < 1/2 iff this row's place won
                TV.SelectGreater(half, TV.Abs(TV.Load(winners + o + ch) - place), g, zero).Store(dst + ch);
            }
        }
        return end;
    }
}
