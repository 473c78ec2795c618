using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NetNumerics.Nn;
using NetNumerics.Fast.Kernels;

namespace NetNumerics.Fast.Nn.Layers;

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
internal sealed unsafe class FastConvReluPool : FastLayer
{
    /// <summary>Bytes of column matrix and conv outputs per forward block (whole samples), to stay in L2.</summary>
    const int BlockBytes = 384 * 1024;

    readonly FastConv2D conv;
    readonly int pool, channels, samplesPerBlock;
    readonly bool direct;

    public FastConvReluPool(FastConv2D conv, MaxPool2DSpec poolSpec) : base(conv.Input, poolSpec.OutputShape(conv.Output), conv.Index)
    {
        if (!CanFuse(poolSpec)) throw new ArgumentException($"pool {poolSpec.Pool} with stride {poolSpec.EffectiveStride}: only windows that tile the map (stride = pool) fuse.", nameof(poolSpec));
        this.conv = conv;
        pool = poolSpec.Pool;
        channels = conv.Output.Channels;
        samplesPerBlock = Math.Max(1, BlockBytes / (conv.Positions * (conv.Taps + channels) * sizeof(float)));
        direct = conv.Spec.Padding == Padding.Valid && conv.Taps <= DirectMaxTaps && pool == 2 && channels % Sgemm.NR == 0;
    }

    /// <summary>Few taps (conv1: 9): the forward is a direct convolution (<see cref="DirectForward{TV}"/>), no im2col, no GEMM call.</summary>
    const int DirectMaxTaps = 32;

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
        if (direct)
        {
            if (Sgemm.Width == 512) DirectForward<V512<float>>(x, y, s.State, n);
            else if (Sgemm.Width == 256) DirectForward<V256<float>>(x, y, s.State, n);
            else DirectForward<V128<float>>(x, y, s.State, n);
            return;
        }
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

    /// <summary>
    /// Conv, ReLU and 2x2 max-pool in registers, for few taps and valid padding: for each window and vector of channels, the
    /// four conv outputs are four FMA chains over the taps in K order from +0 (the weights W^T from the GEMM's packed panels,
    /// the inputs broadcast from x), plus the bias: the GEMM's operations exactly (one K block, C = bias + chain), so the same
    /// bits, without writing the conv output or im2col. Positions outside every window are never computed. Sgemm's width.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void DirectForward<TV>(float* x, float* y, float* winners, int n) where TV : struct, IVec<TV, float>
    {
        int k = conv.Taps, c = channels, nr = Gemm<TV>.NR, w = TV.Count, cin = Input.Channels, st = conv.Spec.Stride;
        int* offset = stackalloc int[k];
        conv.TapOffsets(offset);
        float* wt = conv.PackedWt, bias = conv.BiasPointer;
        var zero = TV.Create(0f);
        long rowStep = (long)st * Input.Width * cin, colStep = (long)st * cin;   // next conv output row / column in x
        for (int s = 0; s < n; s++)
        {
            float* xs = x + (long)s * Input.Length;
            for (int wp = 0; wp < Output.Height; wp++)
                for (int wq = 0; wq < Output.Width; wq++)
                {
                    float* p0 = xs + 2 * wp * rowStep + 2 * wq * colStep, p1 = p0 + colStep, p2 = p0 + rowStep, p3 = p2 + colStep;
                    long o = (long)s * Output.Length + (wp * Output.Width + wq) * c;
                    for (int ch = 0; ch < c; ch += w)
                    {
                        float* wv = wt + (ch / nr) * nr * k + ch % nr;   // panel of columns ch.., row t at + t * nr
                        TV a0 = zero, a1 = zero, a2 = zero, a3 = zero;
                        for (int t = 0; t < k; t++)
                        {
                            var b = TV.Load(wv + t * nr);
                            int at = offset[t];
                            a0 = TV.FusedMultiplyAdd(TV.Create(p0[at]), b, a0);
                            a1 = TV.FusedMultiplyAdd(TV.Create(p1[at]), b, a1);
                            a2 = TV.FusedMultiplyAdd(TV.Create(p2[at]), b, a2);
                            a3 = TV.FusedMultiplyAdd(TV.Create(p3[at]), b, a3);
                        }
                        var bv = TV.Load(bias + ch);
                        TV v0 = a0 + bv, v1 = a1 + bv, v2 = a2 + bv, v3 = a3 + bv;
                        v0 = TV.SelectGreater(v0, zero, v0, zero); v1 = TV.SelectGreater(v1, zero, v1, zero);
                        v2 = TV.SelectGreater(v2, zero, v2, zero); v3 = TV.SelectGreater(v3, zero, v3, zero);
                        TV best = v0, place = zero;
                        place = TV.SelectGreater(v1, best, TV.Create(1f), place); best = TV.SelectGreater(v1, best, v1, best);
                        place = TV.SelectGreater(v2, best, TV.Create(2f), place); best = TV.SelectGreater(v2, best, v2, best);
                        place = TV.SelectGreater(v3, best, TV.Create(3f), place); best = TV.SelectGreater(v3, best, v3, best);
                        best.Store(y + o + ch);
                        place.Store(winners + o + ch);
                    }
                }
        }
    }

    /// <summary>
    /// The weight and bias gradients of <see cref="DirectForward{TV}"/> (first layer: no dx), without im2col or dY rows: for each
    /// vector of channels and group of up to nine taps, nine register accumulators run over the conv outputs in the GEMM's K
    /// blocks and row order, adding x[patch + tap] * g with g the row's gradient as <see cref="GradRows{TV}"/> builds it (also
    /// added, rows in order, into db). Per block acc = FMA chain from +0, then dW^T = acc (first block) or acc + dW^T: the
    /// GEMM's operations, the same bits. work: K * channels floats (dW^T).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void DirectWeightGradient<TV>(float* x, float* y, float* dy, float* winners, int n, float* grad, float* work) where TV : struct, IVec<TV, float>
    {
        int k = conv.Taps, c = channels, w = TV.Count, cw = conv.Output.Width, cht = conv.Output.Height, cin = Input.Channels, st = conv.Spec.Stride;
        int rows = n * conv.Positions, kb = conv.GradBlockRows(rows);
        int* offset = stackalloc int[k];
        conv.TapOffsets(offset);
        TV zero = TV.Create(0f), half = TV.Create(0.5f);
        float* dwt = work, db = grad + WeightCount;
        for (int ch = 0; ch < c; ch += w)
            for (int t0 = 0; t0 < k; t0 += 9)
            {
                // taps t0 .. t0 + 8; past the last tap the offsets repeat it (computed, never stored)
                int o0 = offset[t0], o1 = offset[Math.Min(t0 + 1, k - 1)], o2 = offset[Math.Min(t0 + 2, k - 1)], o3 = offset[Math.Min(t0 + 3, k - 1)],
                    o4 = offset[Math.Min(t0 + 4, k - 1)], o5 = offset[Math.Min(t0 + 5, k - 1)], o6 = offset[Math.Min(t0 + 6, k - 1)],
                    o7 = offset[Math.Min(t0 + 7, k - 1)], o8 = offset[Math.Min(t0 + 8, k - 1)];
                TV dbAcc = zero;
                for (int r0 = 0; r0 < rows; r0 += kb)
                {
                    int rb = Math.Min(kb, rows - r0);
                    TV a0 = zero, a1 = zero, a2 = zero, a3 = zero, a4 = zero, a5 = zero, a6 = zero, a7 = zero, a8 = zero;
                    int s = r0 / conv.Positions, pq = r0 - s * conv.Positions, p = pq / cw, q = pq - p * cw;
                    for (int r = 0; r < rb;)
                    {
                        // The one or two rows (q even and q + 1) of this conv row in the same window share its loads.
                        int count = (q & 1) == 0 && q + 1 < cw && r + 1 < rb ? 2 : 1;
                        int wp = p >> 1, wq = q >> 1;
                        bool inside = wp < Output.Height && wq < Output.Width;
                        TV gv = zero, won = zero;
                        if (inside)
                        {
                            long o = (long)s * Output.Length + (wp * Output.Width + wq) * c + ch;
                            gv = TV.SelectGreater(TV.Load(y + o), zero, TV.Load(dy + o) + zero, zero);
                            won = TV.Load(winners + o);
                        }
                        float* patch = x + (long)s * Input.Length + ((long)p * st * Input.Width + q * st) * cin;
                        int place = (p & 1) * 2 + (q & 1);
                        for (int u = 0; u < count; u++, patch += st * cin)
                        {
                            TV g = inside ? TV.SelectGreater(half, TV.Abs(won - TV.Create(place + u)), gv, zero) : zero;
                            dbAcc += g;
                            a0 = TV.FusedMultiplyAdd(TV.Create(patch[o0]), g, a0); a1 = TV.FusedMultiplyAdd(TV.Create(patch[o1]), g, a1);
                            a2 = TV.FusedMultiplyAdd(TV.Create(patch[o2]), g, a2); a3 = TV.FusedMultiplyAdd(TV.Create(patch[o3]), g, a3);
                            a4 = TV.FusedMultiplyAdd(TV.Create(patch[o4]), g, a4); a5 = TV.FusedMultiplyAdd(TV.Create(patch[o5]), g, a5);
                            a6 = TV.FusedMultiplyAdd(TV.Create(patch[o6]), g, a6); a7 = TV.FusedMultiplyAdd(TV.Create(patch[o7]), g, a7);
                            a8 = TV.FusedMultiplyAdd(TV.Create(patch[o8]), g, a8);
                        }
                        r += count; q += count;
                        if (q == cw) { q = 0; if (++p == cht) { p = 0; s++; } }
                    }
                    Put(a0, 0); Put(a1, 1); Put(a2, 2); Put(a3, 3); Put(a4, 4); Put(a5, 5); Put(a6, 6); Put(a7, 7); Put(a8, 8);

                    void Put(TV a, int j)
                    {
                        if (t0 + j >= k) return;
                        float* d = dwt + (t0 + j) * c + ch;
                        (r0 == 0 ? a : a + TV.Load(d)).Store(d);
                    }
                }
                if (t0 == 0) dbAcc.Store(db + ch);
            }
        for (int t = 0; t < k; t++)
            for (int o = 0; o < c; o++) grad[o * k + t] = dwt[t * c + o];
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
        if (direct && dx == null)
        {
            if (Sgemm.Width == 512) DirectWeightGradient<V512<float>>(x, y, dy, s.State, n, grad, s.Floats);
            else if (Sgemm.Width == 256) DirectWeightGradient<V256<float>>(x, y, dy, s.State, n, grad, s.Floats);
            else DirectWeightGradient<V128<float>>(x, y, dy, s.State, n, grad, s.Floats);
            return;
        }
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
        int s = r0 / positions, pq = r0 - s * positions, p = pq / w, q = pq - p * w;
        for (int r = 0; r < count; r++)
        {
            float* dst = block + (long)r * c;
            int wp = p / pool, wq = q / pool;
            if (wp >= Output.Height || wq >= Output.Width)   // past the last whole window: the pool ignores it
                for (int ch = ch0; ch < end; ch += TV.Count) zero.Store(dst + ch);
            else
            {
                var place = TV.Create((p - wp * pool) * pool + (q - wq * pool));
                long o = (long)s * Output.Length + (wp * Output.Width + wq) * c;
                for (int ch = ch0; ch < end; ch += TV.Count)
                {
                    var g = TV.SelectGreater(TV.Load(y + o + ch), zero, TV.Load(dy + o + ch) + zero, zero);
                    // winners hold exact small integers: |winner - place| < 1/2 iff this row's place won
                    TV.SelectGreater(half, TV.Abs(TV.Load(winners + o + ch) - place), g, zero).Store(dst + ch);
                }
            }
            if (++q == w) { q = 0; if (++p == conv.Output.Height) { p = 0; s++; } }
        }
        return end;
    }
}
