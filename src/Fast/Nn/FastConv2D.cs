namespace NetNumerics.Fast;

/// <summary>
/// Convolution as im2col + GEMM (NHWC). Row (s, p, q) of the column matrix holds the input patch in (i, j, c) order,
/// K = kh*kw*in; forward Y[(s,p,q), o] = b[o] + col W^T. Backward: dW[out x K] = dY^T col, db = column sums of dY,
/// dcol = dY W then col2im adds dcol back into dx. W^T and W are packed for the GEMM once per step (<see cref="Prepare"/>).
/// </summary>
public sealed unsafe class FastConv2D : FastLayer
{
    readonly Conv2DSpec spec;
    readonly int padTop, padLeft, k;
    readonly ArraySegment<float> packedBuffer;
    readonly float* packedWt, packedW;

    public FastConv2D(Conv2DSpec spec, TensorShape input, int index) : base(input, spec.OutputShape(input), index)
    {
        this.spec = spec;
        padTop = spec.PadBefore(input.Height, spec.KernelHeight);
        padLeft = spec.PadBefore(input.Width, spec.KernelWidth);
        k = spec.KernelHeight * spec.KernelWidth * input.Channels;
        int wtLength = Sgemm.PackedLength(k, spec.Filters);
        packedBuffer = AlignedBuffer.Allocate<float>(wtLength + Sgemm.PackedLength(spec.Filters, k));
        fixed (float* p = packedBuffer.Array) { packedWt = p + packedBuffer.Offset; packedW = packedWt + wtLength; }
    }

    public override int WeightCount => spec.Filters * k;
    public override int BiasCount => spec.Filters;
    int Positions => Output.Height * Output.Width;
    // col, dW^T [K x out], one block of dcol rows
    public override int ScratchFloats(int chunk) => chunk * Positions * k + k * spec.Filters + Math.Min(chunk * Positions, Col2ImBlock) * k;

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
        Sgemm.Pack(k, spec.Filters, Weights, 1, k, packedWt);    // W^T: element (kk, o) at W[o * K + kk]
        Sgemm.Pack(spec.Filters, k, Weights, k, 1, packedW);
    }

    public override void Forward(float* x, float* y, int n, in ChunkContext ctx, LayerScratch s)
    {
        float* col = s.Floats;
        Im2Col(x, col, n);
        int rows = n * Positions, outC = spec.Filters;
        BroadcastRows(y, rows, outC, Bias);
        Sgemm.MultiplyPacked(rows, outC, k, col, k, 1, packedWt, y, outC, accumulate: true, s.Gemm);
    }

    public override void Backward(float* x, float* y, float* dy, float* dx, int n, float* grad, in ChunkContext ctx, LayerScratch s)
    {
        float* col = s.Floats;
        int rows = n * Positions, outC = spec.Filters;
        float* dwt = col + (long)rows * k, dcol = dwt + k * outC;
        if (k < 2 * Sgemm.MR && outC % Sgemm.NR == 0)
        {
            // Few taps (conv1: K = 9): packing would cost as much as the product; dW^T = col^T dY read in place, then transposed.
            Sgemm.OuterProductSum(k, outC, rows, col, k, dy, outC, dwt, outC, s.Gemm);
            for (int kk = 0; kk < k; kk++)
                for (int o = 0; o < outC; o++) grad[o * k + kk] = dwt[kk * outC + o];
        }
        else Sgemm.Multiply(outC, k, rows, dy, 1, outC, col, k, 1, grad, k, accumulate: false, s.Gemm);
        ColumnSums(dy, rows, outC, grad + WeightCount);
        if (dx == null) return;
        // dcol in blocks of rows, each added back into dx at once while it is still in cache (same bits as one big GEMM:
        // rows are independent, and col2im adds rows in order either way).
        new Span<float>(dx, n * Input.Length).Clear();
        for (int r0 = 0; r0 < rows; r0 += Col2ImBlock)
        {
            int rb = Math.Min(Col2ImBlock, rows - r0);
            Sgemm.MultiplyPacked(rb, k, outC, dy + (long)r0 * outC, outC, 1, packedW, dcol, k, accumulate: false, s.Gemm);
            Col2Im(dcol, dx, r0, rb);
        }
    }

    /// <summary>Row (s, p, q) of col: for each kernel row i, the taps j whose input column is inside the image form one contiguous
    /// run of (j, c) in both x and col, copied at once; padding taps are zeroed.</summary>
    void Im2Col(float* x, float* col, int n)
    {
        int c = Input.Channels, h = Input.Height, w = Input.Width, kh = spec.KernelHeight, kw = spec.KernelWidth, st = spec.Stride;
        int sampleIn = Input.Length;
        for (int s = 0; s < n; s++)
        {
            float* xs = x + (long)s * sampleIn;
            for (int p = 0; p < Output.Height; p++)
                for (int q = 0; q < Output.Width; q++)
                {
                    float* row = col + ((long)(s * Output.Height + p) * Output.Width + q) * k;
                    int j0 = Math.Max(0, padLeft - q * st), j1 = Math.Min(kw, w + padLeft - q * st);   // taps with 0 <= iw < w
                    for (int i = 0; i < kh; i++)
                    {
                        int ih = p * st + i - padTop;
                        float* dst = row + i * kw * c;
                        if (ih < 0 || ih >= h || j1 <= j0) { Vec.Zero(dst, kw * c); continue; }
                        Vec.Zero(dst, j0 * c);
                        Vec.Copy(xs + (ih * w + q * st + j0 - padLeft) * c, dst + j0 * c, (j1 - j0) * c);
                        Vec.Zero(dst + j1 * c, (kw - j1) * c);
                    }
                }
        }
    }

    const int Col2ImBlock = Sgemm.MC;

    /// <summary>Adds rows [r0, r0 + count) of the column matrix (dcol holds just those rows) back onto the input positions
    /// they were copied from (the adjoint of <see cref="Im2Col"/>), rows in order. dx must be cleared beforehand.</summary>
    void Col2Im(float* dcol, float* dx, int r0, int count)
    {
        int c = Input.Channels, h = Input.Height, w = Input.Width, kh = spec.KernelHeight, kw = spec.KernelWidth, st = spec.Stride;
        int positions = Positions;
        for (int r = r0; r < r0 + count; r++)
        {
            int s = r / positions, pq = r - s * positions, p = pq / Output.Width, q = pq - p * Output.Width;
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
