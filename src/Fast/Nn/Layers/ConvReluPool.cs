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
/// is the pooled value, so x &gt; 0 there iff pooled &gt; 0, and each conv output is in one window (or in none: past the last
/// whole window, where the gradient is +0). The conv computes only the outputs some window reads (its crop,
/// <see cref="FastConv2D.CropHeight"/>): forward builds im2col and the GEMM over those, and backward's input gradient skips
/// the +0 rows outside it (the weight gradient keeps them, for its K blocks).
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
        samplesPerBlock = Math.Max(1, BlockBytes / (CroppedPositions * (conv.Taps + channels) * sizeof(float)));
        conv.CropHeight = Output.Height * pool;   // the conv outputs some window reads
        conv.CropWidth = Output.Width * pool;
        direct = conv.Spec.Padding == Padding.Valid && conv.Taps <= DirectMaxTaps && pool == 2 && channels % Sgemm.NR == 0;
    }

    /// <summary>Few taps (conv1: 9): the forward is a direct convolution (<see cref="DirectForward{TV}"/>), no im2col, no GEMM call.</summary>
    const int DirectMaxTaps = 32;

    /// <summary>Whether a max-pool after conv and ReLU can join them: windows that tile the map, so each conv output is in at most one.</summary>
    public static bool CanFuse(MaxPool2DSpec pool) => pool.EffectiveStride == pool.Pool;

    internal override int SpecLayerCount => 3;
    internal FastConv2D Conv => conv;
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
    int BlockRows => samplesPerBlock * CroppedPositions;

    /// <summary>Conv outputs per sample that some pool window reads: forward computes only these.</summary>
    int CroppedPositions => conv.CropHeight * conv.CropWidth;
    public override int ScratchFloats(int chunk) => conv.WorkFloats + ColFloats + ConvBlockFloats + conv.GradRowsPerCall * channels;

    // A Winograd conv builds no column matrix, and with pool 2 stores no conv outputs either.
    int ColFloats => conv.UsesWinograd ? 0 : BlockRows * conv.Taps;
    int ConvBlockFloats => conv.UsesWinograd && pool == 2 ? 0 : BlockRows * channels;

    float* Col(LayerScratch s) => s.Floats + conv.WorkFloats;
    float* ConvBlock(LayerScratch s) => Col(s) + ColFloats;
    float* GradBlock(LayerScratch s) => ConvBlock(s) + ConvBlockFloats;

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
        int positions = CroppedPositions;
        if (conv.UsesWinograd && pool == 2)   // each 2x2 output tile is a pool window: ReLU and the pool on the tile
        {
            conv.WinogradForward(x, n, y, winners, s.Floats, s.Gemm);
            return;
        }
        for (int s0 = 0; s0 < n; s0 += samplesPerBlock)
        {
            int s1 = Math.Min(n, s0 + samplesPerBlock);
            if (conv.UsesWinograd) conv.WinogradForward(x + (long)s0 * Input.Length, s1 - s0, block, null, s.Floats, s.Gemm);
            else
            {
                conv.Im2Col(x, col, s0 * positions, (s1 - s0) * positions, conv.CropHeight, conv.CropWidth);
                conv.ForwardRows(col, (s1 - s0) * positions, block, s.Gemm);
            }
            long o = (long)s0 * Output.Length;
            int done = Vector512.IsHardwareAccelerated ? ReluPool<V512<float>>(block, s1 - s0, y + o, winners + o, 0)
                : Vector256.IsHardwareAccelerated ? ReluPool<V256<float>>(block, s1 - s0, y + o, winners + o, 0)
                : ReluPool<V128<float>>(block, s1 - s0, y + o, winners + o, 0);
            if (done < channels) ReluPool<Lane<float>>(block, s1 - s0, y + o, winners + o, done);
        }
    }

    /// <summary>
    /// Conv, ReLU and 2x2 max-pool in registers, for few taps and valid padding: for each window and pair of channel vectors,
    /// the four conv outputs are eight FMA chains over the taps in K order from +0 (the weights W^T from the GEMM's packed
    /// panels, one panel row = the pair; the inputs broadcast from x, each broadcast feeding both vectors), plus the bias: the
    /// GEMM's operations exactly (one K block, C = bias + chain), so the same bits, without writing the conv output or im2col.
    /// Eight independent chains keep both FMA pipes busy (four would wait on the FMA latency). Positions outside every window
    /// are never computed. Sgemm's width; channels are a multiple of the panel width (2 vectors).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void DirectForward<TV>(float* x, float* y, float* winners, int n) where TV : struct, IVec<TV, float>
    {
        int k = conv.Taps, c = channels, nr = Gemm<TV>.NR, w = TV.Count, cin = Input.Channels, st = conv.Spec.Stride;
        int* offset = stackalloc int[k];
        conv.TapOffsets(offset);
        float* wt = conv.PackedWt, bias = conv.BiasPointer;
        long rowStep = (long)st * Input.Width * cin, colStep = (long)st * cin;   // next conv output row / column in x
        for (int s = 0; s < n; s++)
        {
            float* xs = x + (long)s * Input.Length;
            for (int wp = 0; wp < Output.Height; wp++)
                for (int wq = 0; wq < Output.Width; wq++)
                {
                    float* p0 = xs + 2 * wp * rowStep + 2 * wq * colStep, p1 = p0 + colStep, p2 = p0 + rowStep, p3 = p2 + colStep;
                    long o = (long)s * Output.Length + (wp * Output.Width + wq) * c;
                    for (int ch = 0; ch < c; ch += nr)
                    {
                        float* wv = wt + (long)ch * k;   // panel of columns ch .. ch + nr, row t at + t * nr
                        TV a0 = default, a1 = default, a2 = default, a3 = default, e0 = default, e1 = default, e2 = default, e3 = default;
                        for (int t = 0; t < k; t++)
                        {
                            TV b = TV.Load(wv + t * nr), d = TV.Load(wv + t * nr + w), v;
                            int at = offset[t];
                            v = TV.Create(p0[at]); a0 = TV.FusedMultiplyAdd(v, b, a0); e0 = TV.FusedMultiplyAdd(v, d, e0);
                            v = TV.Create(p1[at]); a1 = TV.FusedMultiplyAdd(v, b, a1); e1 = TV.FusedMultiplyAdd(v, d, e1);
                            v = TV.Create(p2[at]); a2 = TV.FusedMultiplyAdd(v, b, a2); e2 = TV.FusedMultiplyAdd(v, d, e2);
                            v = TV.Create(p3[at]); a3 = TV.FusedMultiplyAdd(v, b, a3); e3 = TV.FusedMultiplyAdd(v, d, e3);
                        }
                        ReluPoolStore(a0, a1, a2, a3, TV.Load(bias + ch), y + o + ch, winners + o + ch);
                        ReluPoolStore(e0, e1, e2, e3, TV.Load(bias + ch + w), y + o + ch + w, winners + o + ch + w);
                    }
                }
        }
    }

    /// <summary>One window's four conv chains plus the bias, ReLU, and the first strictly greatest (value to y, place to winners).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void ReluPoolStore<TV>(TV a0, TV a1, TV a2, TV a3, TV bv, float* y, float* winners) where TV : struct, IVec<TV, float>
    {
        var zero = TV.Create(0f);
        TV v0 = a0 + bv, v1 = a1 + bv, v2 = a2 + bv, v3 = a3 + bv;
        v0 = TV.SelectGreater(v0, zero, v0, zero); v1 = TV.SelectGreater(v1, zero, v1, zero);
        v2 = TV.SelectGreater(v2, zero, v2, zero); v3 = TV.SelectGreater(v3, zero, v3, zero);
        TV best = v0, place = zero;
        place = TV.SelectGreater(v1, best, TV.Create(1f), place); best = TV.SelectGreater(v1, best, v1, best);
        place = TV.SelectGreater(v2, best, TV.Create(2f), place); best = TV.SelectGreater(v2, best, v2, best);
        place = TV.SelectGreater(v3, best, TV.Create(3f), place); best = TV.SelectGreater(v3, best, v3, best);
        best.Store(y);
        place.Store(winners);
    }

    /// <summary>
    /// The weight and bias gradients of <see cref="DirectForward{TV}"/> (first layer: no dx). Per K block of rows (the GEMM's):
    /// the block's conv-output gradient rows are built once by <see cref="GradRows{TV}"/> and its patches copied into a small
    /// tap-major column block (tap t's values of the block's rows at t * rows; the taps rounded up to nine, zero past the
    /// last, computed and never stored: one contiguous copy per tap and conv output row at stride 1); then for each
    /// vector of channels and group of nine taps <see cref="TapSums{TV}"/> runs nine FMA chains over the block's rows in order
    /// from +0, adding x[patch + tap] * g, while db adds g, rows in order over all blocks. dW^T = chain (first block) or
    /// chain + dW^T: the GEMM's operations, the same bits. work: K * channels floats (dW^T); block: K-block rows of gradient;
    /// col: K-block rows of taps, tap-major.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void DirectWeightGradient<TV>(float* x, float* y, float* dy, float* winners, int n, float* grad, float* work, float* block, float* col) where TV : struct, IVec<TV, float>
    {
        int k = conv.Taps, kp = (k + 8) / 9 * 9, c = channels, w = TV.Count, cw = conv.Output.Width, cht = conv.Output.Height, cin = Input.Channels, st = conv.Spec.Stride;
        int rows = n * conv.Positions, kb = conv.GradBlockRows(rows);
        int* offset = stackalloc int[k];
        conv.TapOffsets(offset);
        float* dwt = work, db = grad + WeightCount, sums = stackalloc float[9 * TV.Count];
        long step = (long)st * cin;   // x from one conv output to the next along a row
        for (int r0 = 0; r0 < rows; r0 += kb)
        {
            int rb = Math.Min(kb, rows - r0);
            GradRows<TV>(r0, rb, y, dy, winners, block, 0);
            int s = r0 / conv.Positions, pq = r0 - s * conv.Positions, p = pq / cw, q = pq - p * cw;
            for (int r = 0; r < rb;)
            {
                int len = Math.Min(cw - q, rb - r);   // rows left in this conv output row
                float* patch = x + (long)s * Input.Length + ((long)p * st * Input.Width + q * st) * cin;
                for (int t = 0; t < k; t++)
                {
                    float* src = patch + offset[t], dst = col + (long)t * rb + r;
                    if (step == 1) Vec.Copy(src, dst, len);
                    else for (int j = 0; j < len; j++) dst[j] = src[j * step];
                }
                r += len; q += len;
                if (q == cw) { q = 0; if (++p == cht) { p = 0; s++; } }
            }
            for (int t = k; t < kp; t++) Vec.Zero(col + (long)t * rb, rb);
            for (int ch = 0; ch < c; ch += w)
                for (int t0 = 0; t0 < k; t0 += 9)
                {
                    TV dbAcc = r0 == 0 ? TV.Create(0f) : TV.Load(db + ch);
                    TapSums<TV>(col + (long)t0 * rb, rb, block + ch, c, rb, ref dbAcc, sums);
                    if (t0 == 0) dbAcc.Store(db + ch);
                    for (int j = 0; j < 9 && t0 + j < k; j++)
                    {
                        float* d = dwt + (t0 + j) * c + ch;
                        var a = TV.Load(sums + j * w);
                        (r0 == 0 ? a : a + TV.Load(d)).Store(d);
                    }
                }
        }
        for (int t = 0; t < k; t++)
            for (int o = 0; o < c; o++) grad[o * k + t] = dwt[t * c + o];
    }

    /// <summary>sums[j] = FMA chain from +0 over rows r &lt; rb of col[j * stride + r] * g[r * c] (j &lt; 9), db += g[r * c] in
    /// row order. Its own method, so the ten accumulators stay in registers (the JIT kept them in memory inside the caller's
    /// loops); taps 3i..3i+2 are read from base pointer i at 0, S and 2S bytes (as the GEMM tile's rows: no extra registers).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    static void TapSums<TV>(float* col, nint stride, float* g, int c, int rb, ref TV db, float* sums) where TV : struct, IVec<TV, float>
    {
        TV a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default, a8 = default, dbAcc = db;
        nint S = stride * sizeof(float);
        byte* b0 = (byte*)col, b3 = b0 + 3 * S, b6 = b0 + 6 * S;
        for (int r = 0; r < rb; r++, b0 += sizeof(float), b3 += sizeof(float), b6 += sizeof(float), g += c)
        {
            var gv = TV.Load(g);
            dbAcc += gv;
            a0 = TV.FusedMultiplyAdd(TV.Create(*(float*)b0), gv, a0); a1 = TV.FusedMultiplyAdd(TV.Create(*(float*)(b0 + S)), gv, a1);
            a2 = TV.FusedMultiplyAdd(TV.Create(*(float*)(b0 + 2 * S)), gv, a2); a3 = TV.FusedMultiplyAdd(TV.Create(*(float*)b3), gv, a3);
            a4 = TV.FusedMultiplyAdd(TV.Create(*(float*)(b3 + S)), gv, a4); a5 = TV.FusedMultiplyAdd(TV.Create(*(float*)(b3 + 2 * S)), gv, a5);
            a6 = TV.FusedMultiplyAdd(TV.Create(*(float*)b6), gv, a6); a7 = TV.FusedMultiplyAdd(TV.Create(*(float*)(b6 + S)), gv, a7);
            a8 = TV.FusedMultiplyAdd(TV.Create(*(float*)(b6 + 2 * S)), gv, a8);
        }
        int w = TV.Count;
        a0.Store(sums); a1.Store(sums + w); a2.Store(sums + 2 * w); a3.Store(sums + 3 * w); a4.Store(sums + 4 * w);
        a5.Store(sums + 5 * w); a6.Store(sums + 6 * w); a7.Store(sums + 7 * w); a8.Store(sums + 8 * w);
        db = dbAcc;
    }

    /// <summary>block: the cropped conv outputs (<see cref="CroppedPositions"/> per sample). y = max over each window of ReLU(conv output), winners = the first strictly greatest's place i * pool + j;
    /// channels [ch0, end) in steps of TV.Count, returns end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    int ReluPool<TV>(float* block, int samples, float* y, float* winners, int ch0) where TV : struct, IVec<TV, float>
    {
        int w = conv.CropWidth, h = conv.CropHeight, c = channels, end = ch0 + (c - ch0) / TV.Count * TV.Count;
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
            if (Sgemm.Width == 512) DirectWeightGradient<V512<float>>(x, y, dy, s.State, n, grad, s.Floats, GradBlock(s), Col(s));
            else if (Sgemm.Width == 256) DirectWeightGradient<V256<float>>(x, y, dy, s.State, n, grad, s.Floats, GradBlock(s), Col(s));
            else DirectWeightGradient<V128<float>>(x, y, dy, s.State, n, grad, s.Floats, GradBlock(s), Col(s));
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
