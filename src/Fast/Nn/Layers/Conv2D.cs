using NetNumerics.Nn;
using NetNumerics.Fast.Kernels;
namespace NetNumerics.Fast.Nn.Layers;

/// <summary>
/// Convolution as im2col + GEMM (NHWC). Row (s, p, q) of the column matrix holds the input patch in (i, j, c) order,
/// K = kh*kw*in; forward Y[(s,p,q), o] = b[o] + col W^T. The column matrix is never held whole: forward and backward
/// build it a block of rows at a time into cache-sized scratch. Backward, in blocks of rows (the weight gradient's K
/// blocks): dW^T[K x out] += col^T dY, db += column sums of dY, dcol = dY W then col2im adds dcol back into dx, all while the
/// block is in cache. W^T and W are packed for the GEMM once per step (<see cref="Prepare"/>). The rows of dY come from an
/// <see cref="IConvGradRows"/>: in place here, built block by block by <see cref="FastConvReluPool"/>.
/// </summary>
internal sealed unsafe class FastConv2D : FastLayer
{
    readonly Conv2DSpec spec;
    readonly int padTop, padLeft, k;
    readonly ArraySegment<float> packedBuffer;
    readonly float* packedWt, packedW;
    readonly Winograd3x3? winograd;

    /// <summary>winograd: run the conv by Winograd F(2x2, 3x3) if <see cref="Winograd3x3.Supports"/> it.</summary>
    public FastConv2D(Conv2DSpec spec, TensorShape input, int index, bool winograd = false) : base(input, spec.OutputShape(input), index)
    {
        this.spec = spec;
        padTop = spec.PadBefore(input.Height, spec.KernelHeight);
        padLeft = spec.PadBefore(input.Width, spec.KernelWidth);
        k = spec.KernelHeight * spec.KernelWidth * input.Channels;
        CropHeight = Output.Height;
        CropWidth = Output.Width;
        if (winograd && Winograd3x3.Supports(spec, input)) this.winograd = new Winograd3x3(spec, input, Output, padTop, padLeft);
        // the im2col path's packed W^T and W (a Winograd conv packs its own transformed weights)
        int wtLength = this.winograd != null ? 0 : Sgemm.PackedLength(k, spec.Filters), wLength = this.winograd != null ? 0 : Sgemm.PackedLength(spec.Filters, k);
        packedBuffer = AlignedBuffer.Allocate<float>(wtLength + wLength);
        fixed (float* p = packedBuffer.Array) { packedWt = p + packedBuffer.Offset; packedW = packedWt + wtLength; }
    }

    /// <summary>Whether this conv runs by <see cref="Winograd3x3"/> (forward, both gradients) instead of im2col + GEMM.</summary>
    internal bool UsesWinograd => winograd != null;

    public override int WeightCount => spec.Filters * k;
    public override int BiasCount => spec.Filters;
    internal int Positions => Output.Height * Output.Width;

    /// <summary>The top-left CropHeight x CropWidth conv outputs: the ones a following pool reads (<see cref="FastConvReluPool"/>
    /// sets it; the whole map otherwise). Backward, dY is exactly +0 outside it (the pool ignores those outputs), so each such
    /// row of dcol = dY W is +0 (an FMA chain from +0 of products with a zero factor), and adding +0 changes no element of dx
    /// (dx starts at +0 and a sum of floats is -0 only when both terms are): the dx part skips those rows, same bits.</summary>
    internal int CropHeight { get; set; }
    internal int CropWidth { get; set; }
    bool Cropped => CropHeight != Output.Height || CropWidth != Output.Width;
    internal int Taps => k;
    internal Conv2DSpec Spec => spec;
    internal float* PackedWt => packedWt;
    internal float* BiasPointer => Bias;

    /// <summary>Offset in x of tap t = (i, j, c) from its patch's top-left input element (valid padding: every tap inside).</summary>
    internal void TapOffsets(int* offset)
    {
        int c = Input.Channels;
        for (int i = 0, t = 0; i < spec.KernelHeight; i++)
            for (int j = 0; j < spec.KernelWidth; j++)
                for (int ch = 0; ch < c; ch++) offset[t++] = (i * Input.Width + j) * c + ch;
    }

    /// <summary>Few taps (conv1: K = 9): the weight gradient reads dY in place (<see cref="Sgemm.OuterProductSum"/>, K blocks of
    /// exactly KC rows); otherwise a GEMM with K blocks of <see cref="Sgemm.BlockDepth"/> rows.</summary>
    bool FewTaps => k < 2 * Sgemm.MR && spec.Filters % Sgemm.NR == 0;

    /// <summary>Rows of dY per backward block: the weight gradient's K block.</summary>
    internal int GradBlockRows(int rows) => FewTaps ? Sgemm.KC : Sgemm.BlockDepth(rows);

    /// <summary>Rows of the column matrix built at once by <see cref="Forward"/> (and at most by <see cref="BackwardRows"/>).</summary>
    const int ColBlock = Sgemm.KC;

    // one block of the column matrix, dW^T [K x out], one block of dcol rows, one block of dY rows inside the crop
    internal int WorkFloats => winograd != null ? winograd.ScratchFloats(CropHeight, CropWidth)
        : ColBlock * k + k * spec.Filters + Col2ImBlock * k + Sgemm.KC * spec.Filters;

    /// <summary>The most dY rows <see cref="BackwardRows"/> asks of its <see cref="IConvGradRows"/> at once.</summary>
    internal int GradRowsPerCall => winograd != null ? winograd.SamplesPerBlock(CropHeight, CropWidth) * Positions : Sgemm.KC;
    public override int ScratchFloats(int chunk) => WorkFloats;

    public override void ConvertWeights(ReadOnlySpan<float> src, Span<float> dst, bool toSpec)
    {
        int c = Input.Channels, kh = spec.KernelHeight, kw = spec.KernelWidth;
        for (int o = 0; o < spec.Filters; o++)
            for (int ch = 0; ch < c; ch++)
                for (int i = 0; i < kh; i++)
                    for (int j = 0; j < kw; j++)
                    {
                        int specIndex = ((o * c + ch) * kh + i) * kw + j, internalIndex = o * k + (i * kw + j) * c + ch;
                        if (toSpec) dst[specIndex] = src[internalIndex]; else dst[internalIndex] = src[specIndex];
                    }
    }

    public override void Prepare()
    {
        if (winograd != null) { winograd.Prepare(Weights); return; }
        Sgemm.Pack(k, spec.Filters, Weights, 1, k, packedWt);    // W^T: element (kk, o) at W[o * K + kk]
        Sgemm.Pack(spec.Filters, k, Weights, k, 1, packedW);
    }

    public override void Forward(float* x, float* y, int n, in ChunkContext ctx, LayerScratch s)
    {
        if (winograd != null) { winograd.Forward(x, n, Output.Height, Output.Width, Bias, y, null, null, s.Floats, s.Gemm); return; }
        int rows = n * Positions;
        for (int r0 = 0; r0 < rows; r0 += ColBlock)   // rows are independent: any blocking gives the same bits
        {
            int rb = Math.Min(ColBlock, rows - r0);
            Im2Col(x, s.Floats, r0, rb);
            ForwardRows(s.Floats, rb, y + (long)r0 * spec.Filters, s.Gemm);
        }
    }

    /// <summary>Winograd forward over the crop of n samples: winners == null, the conv outputs as a [n x crop] map into y;
    /// otherwise (a 2x2 pool whose windows are the tiles) the pooled map into y and the winners (see <see cref="Winograd3x3.Forward"/>).</summary>
    internal void WinogradForward(float* x, int n, float* y, float* winners, float* work, GemmWorkspace ws) =>
        winograd!.Forward(x, n, CropHeight, CropWidth, Bias, winners == null ? y : null, winners == null ? null : y, winners, work, ws);

    /// <summary>Y[rows x out] = b + col[rows x K] W^T.</summary>
    internal void ForwardRows(float* col, int rows, float* y, GemmWorkspace ws)
    {
        BroadcastRows(y, rows, spec.Filters, Bias);
        Sgemm.MultiplyPacked(rows, spec.Filters, k, col, k, 1, packedWt, y, spec.Filters, accumulate: true, ws);
    }

    public override void Backward(float* x, float* y, float* dy, float* dx, int n, float* grad, in ChunkContext ctx, LayerScratch s)
    {
        var rows = new InPlaceRows(dy, spec.Filters);
        BackwardRows(ref rows, x, s.Floats, dx, n, grad, s.Gemm);
    }

    /// <summary>dY rows read where they are.</summary>
    readonly struct InPlaceRows(float* dy, int outC) : IConvGradRows
    {
        public float* Rows(int r0, int count) => dy + (long)r0 * outC;
    }

    /// <summary>
    /// The backward pass of input x (n samples) with dY rows from <paramref name="dyRows"/>, in blocks of
    /// <see cref="GradBlockRows"/> rows: the same K blocks as one GEMM over all rows, so the same bits, but each block's column
    /// matrix and dY are used for dW, db and dx while they are in cache. work: <see cref="WorkFloats"/> floats. dx may be null.
    /// </summary>
    internal void BackwardRows<TRows>(ref TRows dyRows, float* x, float* work, float* dx, int n, float* grad, GemmWorkspace ws)
        where TRows : struct, IConvGradRows
    {
        if (winograd != null) { winograd.Backward(ref dyRows, x, n, CropHeight, CropWidth, dx, grad, grad + WeightCount, work, ws); return; }
        int rows = n * Positions, outC = spec.Filters, kb = GradBlockRows(rows);
        float* col = work, dwt = col + ColBlock * k, dcol = dwt + k * outC, dyCrop = dcol + Col2ImBlock * k, db = grad + WeightCount;
        bool few = FewTaps, cropped = Cropped;
        Vec.Zero(db, outC);
        if (dx != null) new Span<float>(dx, n * Input.Length).Clear();
        for (int r0 = 0; r0 < rows; r0 += kb)
        {
            int rb = Math.Min(kb, rows - r0);
            float* dy = dyRows.Rows(r0, rb);
            Im2Col(x, col, r0, rb);
            // dW^T [K x out] (+)= col^T dY over this block's rows: A = col^T read in place, as the (few-taps) outer-product sum or a GEMM.
            if (few) Sgemm.OuterProductSum(k, outC, rb, col, k, dy, outC, dwt, outC, r0 > 0, ws);
            else Sgemm.Multiply(k, outC, rb, col, 1, k, dy, outC, 1, dwt, outC, r0 > 0, ws);
            for (int r = 0; r < rb; r++) Vec.Add(db, dy + (long)r * outC, outC);   // rows in order
            if (dx == null) continue;
            if (cropped) { CroppedInputGradient(dy, r0, rb, dyCrop, dcol, dx, ws); continue; }
            // dcol in sub-blocks, each added back into dx at once (rows are independent; col2im adds rows in order either way).
            for (int b0 = 0; b0 < rb; b0 += Col2ImBlock)
            {
                int bb = Math.Min(Col2ImBlock, rb - b0);
                Sgemm.MultiplyPacked(bb, k, outC, dy + (long)b0 * outC, outC, 1, packedW, dcol, k, accumulate: false, ws);
                Col2Im(dcol, dx, r0 + b0, bb, Output.Height, Output.Width);
            }
        }
        for (int kk = 0; kk < k; kk++)
            for (int o = 0; o < outC; o++) grad[o * k + kk] = dwt[kk * outC + o];
    }

    /// <summary>dx += col2im(dY W) for the rows [r0, r0 + count) inside the crop (see <see cref="CropHeight"/>): those rows of
    /// dY copied together (in order; dy holds the block's rows), then the GEMM and col2im over them, rows in order.</summary>
    void CroppedInputGradient(float* dy, int r0, int count, float* dyCrop, float* dcol, float* dx, GemmWorkspace ws)
    {
        int outC = spec.Filters, ch = CropHeight, cw = CropWidth, used = 0, first = -1;
        int s = r0 / Positions, pq = r0 - s * Positions, p = pq / Output.Width, q = pq - p * Output.Width;
        for (int r = 0; r < count; r++)
        {
            if (p < ch && q < cw)
            {
                if (first < 0) first = (s * ch + p) * cw + q;   // its row in the cropped map's order
                Vec.Copy(dy + (long)r * outC, dyCrop + (long)used++ * outC, outC);
            }
            if (++q == Output.Width) { q = 0; if (++p == Output.Height) { p = 0; s++; } }
        }
        for (int b0 = 0; b0 < used; b0 += Col2ImBlock)
        {
            int bb = Math.Min(Col2ImBlock, used - b0);
            Sgemm.MultiplyPacked(bb, k, outC, dyCrop + (long)b0 * outC, outC, 1, packedW, dcol, k, accumulate: false, ws);
            Col2Im(dcol, dx, first + b0, bb, ch, cw);
        }
    }

    /// <summary>Rows [r0, r0 + count) of the column matrix of x into col (row r0 first): for each kernel row i, the taps j whose
    /// input column is inside the image form one contiguous run of (j, c) in both x and col, copied at once; padding taps are
    /// zeroed. The row's (sample, p, q) is stepped, not divided out; short runs (conv1: 3 floats) are copied inline.</summary>
    internal void Im2Col(float* x, float* col, int r0, int count) => Im2Col(x, col, r0, count, Output.Height, Output.Width);

    /// <summary><see cref="Im2Col(float*, float*, int, int)"/> over the top-left gh x gw outputs of each sample: row r is
    /// output (s, p, q) with r = (s gh + p) gw + q.</summary>
    internal void Im2Col(float* x, float* col, int r0, int count, int gh, int gw)
    {
        int c = Input.Channels, h = Input.Height, w = Input.Width, kh = spec.KernelHeight, kw = spec.KernelWidth, st = spec.Stride;
        int positions = gh * gw, run = kw * c;
        int s = r0 / positions, pq = r0 - s * positions, p = pq / gw, q = pq - p * gw;
        float* row = col;
        for (int r = 0; r < count; r++, row += k)
        {
            float* xs = x + (long)s * Input.Length;
            int j0 = Math.Max(0, padLeft - q * st), j1 = Math.Min(kw, w + padLeft - q * st);   // taps with 0 <= iw < w
            for (int i = 0; i < kh; i++)
            {
                int ih = p * st + i - padTop;
                float* dst = row + i * run;
                if (ih < 0 || ih >= h || j1 <= j0) { Vec.Zero(dst, run); continue; }
                float* src = xs + (ih * w + q * st - padLeft) * c;   // tap j = 0 (may lie outside the image; only [j0, j1) is read)
                if (j0 == 0 && j1 == kw && run <= 8) { for (int t = 0; t < run; t++) dst[t] = src[t]; continue; }
                Vec.Zero(dst, j0 * c);
                Vec.Copy(src + j0 * c, dst + j0 * c, (j1 - j0) * c);
                Vec.Zero(dst + j1 * c, (kw - j1) * c);
            }
            if (++q == gw) { q = 0; if (++p == gh) { p = 0; s++; } }
        }
    }

    const int Col2ImBlock = Sgemm.KC;   // a whole weight-gradient block of rows (at most KC): no short sub-block

    /// <summary>Adds rows [r0, r0 + count) of the column matrix (dcol holds just those rows) back onto the input positions
    /// they were copied from (the adjoint of <see cref="Im2Col(float*, float*, int, int, int, int)"/> over the same gh x gw
    /// outputs), rows in order. dx must be cleared beforehand.</summary>
    void Col2Im(float* dcol, float* dx, int r0, int count, int gh, int gw)
    {
        int c = Input.Channels, h = Input.Height, w = Input.Width, kh = spec.KernelHeight, kw = spec.KernelWidth, st = spec.Stride;
        int positions = gh * gw;
        for (int r = r0; r < r0 + count; r++)
        {
            int s = r / positions, pq = r - s * positions, p = pq / gw, q = pq - p * gw;
            float* xs = dx + (long)s * Input.Length;
            float* row = dcol + (long)(r - r0) * k;
            int j0 = Math.Max(0, padLeft - q * st), j1 = Math.Min(kw, w + padLeft - q * st);
            if (j1 <= j0) continue;
            for (int i = 0; i < kh; i++)
            {
                int ih = p * st + i - padTop;
                if (ih < 0 || ih >= h) continue;
                Vec.Add(xs + (ih * w + q * st + j0 - padLeft) * c, row + (i * kw + j0) * c, (j1 - j0) * c);
            }
        }
    }
}

/// <summary>Where <see cref="FastConv2D.BackwardRows"/> gets rows [r0, r0 + count) of dY (count at most one block).</summary>
internal unsafe interface IConvGradRows
{
    float* Rows(int r0, int count);
}
