using System.Runtime.CompilerServices;
using NetNumerics.Nn;
using NetNumerics.Fast.Kernels;

namespace NetNumerics.Fast.Nn.Layers;

/// <summary>
/// A 3x3, stride-1 convolution by Winograd's minimal filtering F(2x2, 3x3) (Lavin and Gray, "Fast Algorithms for Convolutional
/// Neural Networks", 2016): each 2x2 tile of outputs is Y = A^T [ sum over input channels of (G g G^T) . (B^T d B) ] A for
/// its 4x4 input tile d, with 16 multiplies per tile and channel pair where the direct sum has 36. With the 16 transformed
/// points xi = 4a + b as a batch, the channel sums are 16 GEMMs: M_xi [tiles x out] = U_xi [tiles x in] W_xi [in x out],
/// U = B^T d B, W = G g G^T (once per step, <see cref="Prepare"/>). Backward is the same map transposed: with
/// V = A dY A^T, the input gradient adds B (V_xi W_xi^T) B^T onto each tile's 4x4 inputs, and the weight gradient is
/// G^T (sum over tiles of U_xi^T V_xi) G.
/// <para>Tiles cover the top-left gh x gw outputs (the crop a pool reads, or the whole map), 2 x 2 each, sample by sample in
/// raster order; inputs outside the image (padding, or a last tile past an odd map) read as +0 and outputs past the map are
/// dropped. Every sum is a chain in a fixed order from +0 (the GEMMs' K = channels, in one block up to 256; the weight gradient one FMA
/// chain per element over all tiles in order; the input gradient adds tile after tile), so a tile whose dY is +0 changes no
/// bit: a chain from +0 never yields -0, and adding a zero to a value that is not -0 leaves it. That is why the fused layer,
/// which has no tiles outside the pool's windows, gives the bits of the unfused conv, which has them with dY = +0.</para>
/// <para>The rounding differs from the direct sum: every result is within gamma_d of the same algorithm run on absolute
/// values (proved in the properties, with d derived there), not within the direct sum's gamma_K bound. An infinite input
/// can give NaN where the direct sum gives an infinity (the transforms subtract inputs); both are non-finite, which the
/// trainer's NaN check stops on either way.</para>
/// </summary>
internal sealed unsafe class Winograd3x3
{
    /// <summary>Whether a conv runs this way: 3x3, stride 1, input channels a multiple of 16 and filters of 32, so every
    /// vector width (4, 8, 16 floats; GEMM panels of two vectors) divides them and every machine takes the same path.</summary>
    public static bool Supports(Conv2DSpec spec, TensorShape input) =>
        spec.KernelHeight == 3 && spec.KernelWidth == 3 && spec.Stride == 1 && input.Channels % 16 == 0 && spec.Filters % 32 == 0;

    readonly int cin, cout, inH, inW, outH, outW, padTop, padLeft;
    readonly int lengthF, lengthB;
    readonly ArraySegment<float> buffer;
    readonly float* transformed, packedF, packedB, transposed;

    public Winograd3x3(Conv2DSpec spec, TensorShape input, TensorShape output, int padTop, int padLeft)
    {
        cin = input.Channels; cout = spec.Filters; inH = input.Height; inW = input.Width;
        outH = output.Height; outW = output.Width; this.padTop = padTop; this.padLeft = padLeft;
        lengthF = Sgemm.PackedLength(cin, cout); lengthB = Sgemm.PackedLength(cout, cin);
        buffer = AlignedBuffer.Allocate<float>(16 * (cin * cout + lengthF + lengthB) + 9 * cin * cout);
        fixed (float* p = buffer.Array) transformed = p + buffer.Offset;
        packedF = transformed + 16 * cin * cout;
        packedB = packedF + 16 * lengthF;
        transposed = packedB + 16 * lengthB;
    }

    /// <summary>Samples per block: about 160 tiles (the seed CNN: 6 samples of 25), so each GEMM has rows enough to amortize
    /// its B panels. Measured on the seed CNN's conv2 (AVX2, `--layers`, paired A/B): 1 sample per block 7.6 / 15.0 ms
    /// forward / backward, 2: 6.5 / 14.0, 5: 6.1 / 13.9, 6: 6.0 / 13.7, 8 (the whole chunk): 6.0 / 14.1.</summary>
    public int SamplesPerBlock(int gh, int gw) => Math.Max(1, 160 / Math.Max(1, Tiles(gh, gw)));

    static int Tiles(int gh, int gw) => (gh + 1) / 2 * ((gw + 1) / 2);

    /// <summary>Scratch floats for a gh x gw crop: U (or P), M (or V), the weight gradient's sums and its 3x3 result.</summary>
    public int ScratchFloats(int gh, int gw)
    {
        int r = SamplesPerBlock(gh, gw) * Tiles(gh, gw);
        return 16 * r * cin + 16 * r * cout + 16 * cin * cout + 9 * cin * cout;
    }

    /// <summary>W_xi = G g G^T for each (in, out) pair of the internal weights (W[o K + (i 3 + j) in + c]), G = [1 0 0;
    /// 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1], packed per xi for the forward GEMM (in x out) and the input gradient's (out x in).
    /// The weights are first transposed to [K x out], so the transform runs on vectors of filters and writes each plane
    /// in order (written per (in, out) pair, sixteen stores 8 KiB apart for the seed conv2 fought over one L1 set: 0.32 ms
    /// per step against 0.07 now, same bits).</summary>
    public void Prepare(float* weights)
    {
        int k = 9 * cin;
        for (int o = 0; o < cout; o++)
            for (int kk = 0; kk < k; kk++) transposed[(long)kk * cout + o] = weights[(long)o * k + kk];
        if (Sgemm.Width == 512) Transform<V512<float>>();
        else if (Sgemm.Width == 256) Transform<V256<float>>();
        else Transform<V128<float>>();
        for (int xi = 0; xi < 16; xi++)
        {
            float* w = transformed + (long)xi * cin * cout;
            Sgemm.Pack(cin, cout, w, cout, 1, packedF + (long)xi * lengthF);   // (c, o) at w[c * out + o]
            Sgemm.Pack(cout, cin, w, 1, cout, packedB + (long)xi * lengthB);   // (o, c) at the same place
        }
    }

    /// <summary>G g G^T for every input channel and vector of filters: G g has rows g0, (g0 + g2 + g1) / 2, (g0 + g2 - g1) / 2,
    /// g2 (per column), then the same on each row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void Transform<TV>() where TV : struct, IVec<TV, float>
    {
        var half = TV.Create(0.5f);
        nint plane = (nint)cin * cout, tap = (nint)cin * cout;
        for (int c = 0; c < cin; c++)
            for (int o = 0; o < cout; o += TV.Count)
            {
                float* g = transposed + (long)c * cout + o, dst = transformed + (long)c * cout + o;
                GRows(TV.Load(g), TV.Load(g + 3 * tap), TV.Load(g + 6 * tap), half, out TV t00, out TV t10, out TV t20, out TV t30);
                GRows(TV.Load(g + tap), TV.Load(g + 4 * tap), TV.Load(g + 7 * tap), half, out TV t01, out TV t11, out TV t21, out TV t31);
                GRows(TV.Load(g + 2 * tap), TV.Load(g + 5 * tap), TV.Load(g + 8 * tap), half, out TV t02, out TV t12, out TV t22, out TV t32);
                StoreRow(t00, t01, t02, half, dst, plane);
                StoreRow(t10, t11, t12, half, dst + 4 * plane, plane);
                StoreRow(t20, t21, t22, half, dst + 8 * plane, plane);
                StoreRow(t30, t31, t32, half, dst + 12 * plane, plane);
            }
    }

    /// <summary>One column of G g from the column (g0, g1, g2) of g.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void GRows<TV>(TV g0, TV g1, TV g2, TV half, out TV t0, out TV t1, out TV t2, out TV t3) where TV : struct, IVec<TV, float>
    {
        TV e = g0 + g2;
        t0 = g0; t1 = half * (e + g1); t2 = half * (e - g1); t3 = g2;
    }

    /// <summary>Row (r0, r1, r2) of G g times G^T: r0, (r0 + r2 + r1) / 2, (r0 + r2 - r1) / 2, r2 to four planes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void StoreRow<TV>(TV r0, TV r1, TV r2, TV half, float* dst, nint plane) where TV : struct, IVec<TV, float>
    {
        TV e = r0 + r2;
        r0.Store(dst); (half * (e + r1)).Store(dst + plane); (half * (e - r1)).Store(dst + 2 * plane); r2.Store(dst + 3 * plane);
    }

    /// <summary>
    /// The conv outputs of n samples over the gh x gw crop, bias added. pooled == null: stored as a [n x gh x gw x out] map.
    /// Otherwise each tile is a 2x2 pool window (pool 2, crop = 2 x the pooled map): ReLU and the first strictly greatest go to
    /// pooled and winners (<see cref="FastConvReluPool.ReluPoolStore{TV}"/>) and the conv outputs are never stored.
    /// </summary>
    public void Forward(float* x, int n, int gh, int gw, float* bias, float* y, float* pooled, float* winners, float* work, GemmWorkspace ws)
    {
        if (Sgemm.Width == 512) Forward<V512<float>>(x, n, gh, gw, bias, y, pooled, winners, work, ws);
        else if (Sgemm.Width == 256) Forward<V256<float>>(x, n, gh, gw, bias, y, pooled, winners, work, ws);
        else Forward<V128<float>>(x, n, gh, gw, bias, y, pooled, winners, work, ws);
    }

    internal void Forward<TV>(float* x, int n, int gh, int gw, float* bias, float* y, float* pooled, float* winners, float* work, GemmWorkspace ws)
        where TV : struct, IVec<TV, float>
    {
        int th = (gh + 1) / 2, tw = (gw + 1) / 2, tiles = th * tw, spb = SamplesPerBlock(gh, gw);
        float* u = work, m = u + 16 * spb * tiles * cin;
        for (int s0 = 0; s0 < n; s0 += spb)
        {
            int ns = Math.Min(spb, n - s0), r = ns * tiles;
            InputTransform<TV>(x, s0, ns, th, tw, u, r);
            for (int xi = 0; xi < 16; xi++)   // K = in: one chain from +0 per element (one K block up to 256 channels)
                Sgemm.MultiplyPacked(r, cout, cin, u + (long)xi * r * cin, cin, 1, packedF + (long)xi * lengthF, m + (long)xi * r * cout, cout, false, ws);
            OutputTransform<TV>(m, r, s0, ns, th, tw, gh, gw, bias, y, pooled, winners);
        }
    }

    /// <summary>U_xi[tile, c] = (B^T d B)[xi] for the tiles of samples s0 .. s0 + ns, B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0;
    /// 0 1 0 -1]; plane xi at u + xi r in. Tiles that reach outside the image are gathered into a zero-padded copy first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void InputTransform<TV>(float* x, int s0, int ns, int th, int tw, float* u, int r) where TV : struct, IVec<TV, float>
    {
        float* pad = stackalloc float[16 * cin];
        nint plane = (nint)r * cin, rowStride = (nint)inW * cin;
        int tile = 0;
        for (int s = s0; s < s0 + ns; s++)
            for (int tp = 0; tp < th; tp++)
                for (int tq = 0; tq < tw; tq++, tile++)
                {
                    int h0 = 2 * tp - padTop, w0 = 2 * tq - padLeft;
                    float* src;
                    nint rs;
                    if (h0 >= 0 && w0 >= 0 && h0 + 4 <= inH && w0 + 4 <= inW) { src = x + ((long)(s * inH + h0) * inW + w0) * cin; rs = rowStride; }
                    else
                    {
                        for (int i = 0; i < 4; i++)
                            for (int j = 0; j < 4; j++)
                            {
                                int ih = h0 + i, iw = w0 + j;
                                float* dst = pad + (4 * i + j) * cin;
                                if (ih < 0 || ih >= inH || iw < 0 || iw >= inW) Vec.Zero(dst, cin);
                                else Vec.Copy(x + ((long)(s * inH + ih) * inW + iw) * cin, dst, cin);
                            }
                        src = pad; rs = 4 * cin;
                    }
                    float* dst0 = u + (long)tile * cin;
                    for (int c = 0; c < cin; c += TV.Count) TransformInput<TV>(src + c, rs, cin, dst0 + c, plane);
                }
    }

    /// <summary>U = (B^T d) B for one vector of channels: d[i][j] at d + i rs + j cs, U[a][b] to plane 4a + b. Row a of
    /// B^T d (d0 - d2, d1 + d2, d2 - d1, d1 - d3 over the rows of d) is built from two rows of d at a time and transformed
    /// at once, so twelve vectors at most are live instead of sixteen: the same operations, 0.50 -> 0.41-0.45 ms per step
    /// for the forward transforms of the seed CNN's conv2 (1 thread, timed inside the layer).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void TransformInput<TV>(float* d, nint rs, nint cs, float* dst, nint plane) where TV : struct, IVec<TV, float>
    {
        float* r0 = d, r1 = d + rs, r2 = d + 2 * rs, r3 = d + 3 * rs;
        Rows(TV.Load(r0) - TV.Load(r2), TV.Load(r0 + cs) - TV.Load(r2 + cs), TV.Load(r0 + 2 * cs) - TV.Load(r2 + 2 * cs), TV.Load(r0 + 3 * cs) - TV.Load(r2 + 3 * cs), dst, plane);
        Rows(TV.Load(r1) + TV.Load(r2), TV.Load(r1 + cs) + TV.Load(r2 + cs), TV.Load(r1 + 2 * cs) + TV.Load(r2 + 2 * cs), TV.Load(r1 + 3 * cs) + TV.Load(r2 + 3 * cs), dst + 4 * plane, plane);
        Rows(TV.Load(r2) - TV.Load(r1), TV.Load(r2 + cs) - TV.Load(r1 + cs), TV.Load(r2 + 2 * cs) - TV.Load(r1 + 2 * cs), TV.Load(r2 + 3 * cs) - TV.Load(r1 + 3 * cs), dst + 8 * plane, plane);
        Rows(TV.Load(r1) - TV.Load(r3), TV.Load(r1 + cs) - TV.Load(r3 + cs), TV.Load(r1 + 2 * cs) - TV.Load(r3 + 2 * cs), TV.Load(r1 + 3 * cs) - TV.Load(r3 + 3 * cs), dst + 12 * plane, plane);
    }

    /// <summary>Row a of (B^T d) B, the same combination of its four columns, to planes 4a .. 4a + 3.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Rows<TV>(TV e0, TV e1, TV e2, TV e3, float* o, nint plane) where TV : struct, IVec<TV, float>
    {
        (e0 - e2).Store(o); (e1 + e2).Store(o + plane); (e2 - e1).Store(o + 2 * plane); (e1 - e3).Store(o + 3 * plane);
    }

    /// <summary>Y = A^T M A + bias per tile, A^T = [1 1 1 0; 0 1 -1 -1]; stored (clipped to the gh x gw map) or pooled.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void OutputTransform<TV>(float* m, int r, int s0, int ns, int th, int tw, int gh, int gw, float* bias, float* y, float* pooled, float* winners)
        where TV : struct, IVec<TV, float>
    {
        nint plane = (nint)r * cout;
        int tile = 0;
        for (int s = s0; s < s0 + ns; s++)
            for (int tp = 0; tp < th; tp++)
                for (int tq = 0; tq < tw; tq++, tile++)
                {
                    float* src = m + (long)tile * cout;
                    for (int c = 0; c < cout; c += TV.Count)
                    {
                        float* q = src + c;
                        // (M A)[a][j] for row a (planes 4a + b hold M[a][b]), A^T = [1 1 1 0; 0 1 -1 -1]: j = 0 sums b = 0..2, j = 1 is b1 - b2 - b3
                        TV z00 = TV.Load(q) + TV.Load(q + plane) + TV.Load(q + 2 * plane);
                        TV z10 = TV.Load(q + 4 * plane) + TV.Load(q + 5 * plane) + TV.Load(q + 6 * plane);
                        TV z20 = TV.Load(q + 8 * plane) + TV.Load(q + 9 * plane) + TV.Load(q + 10 * plane);
                        TV z30 = TV.Load(q + 12 * plane) + TV.Load(q + 13 * plane) + TV.Load(q + 14 * plane);
                        TV z01 = TV.Load(q + plane) - TV.Load(q + 2 * plane) - TV.Load(q + 3 * plane);
                        TV z11 = TV.Load(q + 5 * plane) - TV.Load(q + 6 * plane) - TV.Load(q + 7 * plane);
                        TV z21 = TV.Load(q + 9 * plane) - TV.Load(q + 10 * plane) - TV.Load(q + 11 * plane);
                        TV z31 = TV.Load(q + 13 * plane) - TV.Load(q + 14 * plane) - TV.Load(q + 15 * plane);
                        // Y[i][j] = A^T (M A): i = 0 sums rows a = 0..2, i = 1 is a1 - a2 - a3
                        TV y00 = z00 + z10 + z20, y01 = z01 + z11 + z21, y10 = z10 - z20 - z30, y11 = z11 - z21 - z31;
                        TV bv = TV.Load(bias + c);
                        if (pooled != null)
                        {
                            long o = ((long)(s * th + tp) * tw + tq) * cout + c;
                            FastConvReluPool.ReluPoolStore(y00, y01, y10, y11, bv, pooled + o, winners + o);
                            continue;
                        }
                        int p = 2 * tp, qq = 2 * tq;
                        float* row = y + ((long)(s * gh + p) * gw + qq) * cout + c;
                        (y00 + bv).Store(row);
                        if (qq + 1 < gw) (y01 + bv).Store(row + cout);
                        if (p + 1 < gh)
                        {
                            (y10 + bv).Store(row + (long)gw * cout);
                            if (qq + 1 < gw) (y11 + bv).Store(row + (long)(gw + 1) * cout);
                        }
                    }
                }
    }

    /// <summary>
    /// Backward over n samples: db = column sums of dY (rows in order), dW (internal layout, into grad) and, unless dx is
    /// null, dx (cleared here). dY comes from <paramref name="dyRows"/> a block of whole samples at a time (at most
    /// <see cref="SamplesPerBlock"/> x positions rows). Per block: V = A dY A^T and U = B^T d B for its tiles; the weight
    /// sums S_xi [in x out] continue one FMA chain per element over the tiles in order (<see cref="OuterSums{TV}"/>);
    /// P_xi = V_xi W_xi^T (a GEMM, K = out in one block) and dx += B P B^T tile after tile. At the end dW = G^T S G.
    /// </summary>
    public void Backward<TRows>(ref TRows dyRows, float* x, int n, int gh, int gw, float* dx, float* grad, float* db, float* work, GemmWorkspace ws)
        where TRows : struct, IConvGradRows
    {
        if (Sgemm.Width == 512) Backward<TRows, V512<float>>(ref dyRows, x, n, gh, gw, dx, grad, db, work, ws);
        else if (Sgemm.Width == 256) Backward<TRows, V256<float>>(ref dyRows, x, n, gh, gw, dx, grad, db, work, ws);
        else Backward<TRows, V128<float>>(ref dyRows, x, n, gh, gw, dx, grad, db, work, ws);
    }

    internal void Backward<TRows, TV>(ref TRows dyRows, float* x, int n, int gh, int gw, float* dx, float* grad, float* db, float* work, GemmWorkspace ws)
        where TRows : struct, IConvGradRows where TV : struct, IVec<TV, float>
    {
        int th = (gh + 1) / 2, tw = (gw + 1) / 2, tiles = th * tw, spb = SamplesPerBlock(gh, gw), positions = outH * outW;
        float* u = work, v = u + 16 * spb * tiles * cin, sums = v + 16 * spb * tiles * cout, dwt = sums + 16 * cin * cout;
        Vec.Zero(sums, 16 * cin * cout);
        Vec.Zero(db, cout);
        if (dx != null) new Span<float>(dx, n * inH * inW * cin).Clear();
        for (int s0 = 0; s0 < n; s0 += spb)
        {
            int ns = Math.Min(spb, n - s0), r = ns * tiles;
            float* dy = dyRows.Rows(s0 * positions, ns * positions);
            for (int row = 0; row < ns * positions; row++) Vec.Add(db, dy + (long)row * cout, cout);   // rows in order
            GradTransform<TV>(dy, ns, th, tw, v, r);
            InputTransform<TV>(x, s0, ns, th, tw, u, r);
            for (int xi = 0; xi < 16; xi++) OuterSums<TV>(u + (long)xi * r * cin, v + (long)xi * r * cout, r, cin, cout, sums + (long)xi * cin * cout);
            if (dx == null) continue;
            for (int xi = 0; xi < 16; xi++)   // P_xi into U's place (U is used up)
                Sgemm.MultiplyPacked(r, cin, cout, v + (long)xi * r * cout, cout, 1, packedB + (long)xi * lengthB, u + (long)xi * r * cin, cin, false, ws);
            InputGradient<TV>(u, r, s0, ns, th, tw, dx);
        }
        WeightTransform<TV>(sums, dwt);
        int k = 9 * cin;
        for (int kk = 0; kk < k; kk++)
            for (int o = 0; o < cout; o++) grad[o * k + kk] = dwt[kk * cout + o];
    }

    /// <summary>V_xi[tile, o] = (A g A^T)[xi] for each tile's 2x2 dY g (rows past the map read +0), A = [1 0; 1 1; 1 -1; 0 -1]:
    /// rows h = g0, g0 + g1, g0 - g1, -g1, then each row (h0, h1) -> h0, h0 + h1, h0 - h1, -h1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void GradTransform<TV>(float* dy, int ns, int th, int tw, float* v, int r) where TV : struct, IVec<TV, float>
    {
        nint plane = (nint)r * cout;
        var zero = TV.Create(0f);
        int tile = 0;
        for (int s = 0; s < ns; s++)
            for (int tp = 0; tp < th; tp++)
                for (int tq = 0; tq < tw; tq++, tile++)
                {
                    int p = 2 * tp, q = 2 * tq;
                    bool right = q + 1 < outW, down = p + 1 < outH;
                    float* g0 = dy + ((long)(s * outH + p) * outW + q) * cout, g1 = g0 + (long)outW * cout;
                    float* dst = v + (long)tile * cout;
                    for (int c = 0; c < cout; c += TV.Count)
                    {
                        TV g00 = TV.Load(g0 + c), g01 = right ? TV.Load(g0 + cout + c) : zero;
                        TV g10 = down ? TV.Load(g1 + c) : zero, g11 = down && right ? TV.Load(g1 + cout + c) : zero;
                        float* o = dst + c;
                        GradRow(g00, g01, o, plane);
                        GradRow(g00 + g10, g01 + g11, o + 4 * plane, plane);
                        GradRow(g00 - g10, g01 - g11, o + 8 * plane, plane);
                        GradRow(-g10, -g11, o + 12 * plane, plane);
                    }
                }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void GradRow<TV>(TV h0, TV h1, float* o, nint plane) where TV : struct, IVec<TV, float>
    {
        h0.Store(o); (h0 + h1).Store(o + plane); (h0 - h1).Store(o + 2 * plane); (-h1).Store(o + 3 * plane);
    }

    /// <summary>sums[c, o] (+)= sum over rows of u[row, c] v[row, o]: for each 4 x 2-vector block, eight FMA chains loaded
    /// from sums, run over the rows in order, stored back (one chain per element over every call). Its own method, so the
    /// accumulators stay in registers.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    static void OuterSums<TV>(float* u, float* v, int rows, int cin, int cout, float* sums) where TV : struct, IVec<TV, float>
    {
        int w = TV.Count;
        for (int c0 = 0; c0 < cin; c0 += 4)
            for (int o0 = 0; o0 < cout; o0 += 2 * w)
            {
                float* s0 = sums + (long)c0 * cout + o0, s1 = s0 + cout, s2 = s1 + cout, s3 = s2 + cout;
                TV a0 = TV.Load(s0), b0 = TV.Load(s0 + w), a1 = TV.Load(s1), b1 = TV.Load(s1 + w);
                TV a2 = TV.Load(s2), b2 = TV.Load(s2 + w), a3 = TV.Load(s3), b3 = TV.Load(s3 + w);
                float* pu = u + c0, pv = v + o0;
                for (int r = 0; r < rows; r++, pu += cin, pv += cout)
                {
                    TV v0 = TV.Load(pv), v1 = TV.Load(pv + w), x;
                    x = TV.Create(pu[0]); a0 = TV.FusedMultiplyAdd(x, v0, a0); b0 = TV.FusedMultiplyAdd(x, v1, b0);
                    x = TV.Create(pu[1]); a1 = TV.FusedMultiplyAdd(x, v0, a1); b1 = TV.FusedMultiplyAdd(x, v1, b1);
                    x = TV.Create(pu[2]); a2 = TV.FusedMultiplyAdd(x, v0, a2); b2 = TV.FusedMultiplyAdd(x, v1, b2);
                    x = TV.Create(pu[3]); a3 = TV.FusedMultiplyAdd(x, v0, a3); b3 = TV.FusedMultiplyAdd(x, v1, b3);
                }
                a0.Store(s0); b0.Store(s0 + w); a1.Store(s1); b1.Store(s1 + w);
                a2.Store(s2); b2.Store(s2 + w); a3.Store(s3); b3.Store(s3 + w);
            }
    }

    /// <summary>dx += B P B^T per tile (P_xi = plane xi), tiles in order, B = [1 0 0 0; 0 1 -1 1; -1 1 1 0; 0 0 0 -1]:
    /// Q_i = (B P)_i is P0, P1 - P2 + P3, P1 + P2 - P0, -P3 over rows, and D_ij the same over Q_i's columns. Inputs
    /// outside the image (padding, past an odd map) are dropped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void InputGradient<TV>(float* p, int r, int s0, int ns, int th, int tw, float* dx) where TV : struct, IVec<TV, float>
    {
        nint plane = (nint)r * cin;
        int tile = 0;
        for (int s = s0; s < s0 + ns; s++)
            for (int tp = 0; tp < th; tp++)
                for (int tq = 0; tq < tw; tq++, tile++)
                {
                    int h0 = 2 * tp - padTop, w0 = 2 * tq - padLeft;
                    float* src = p + (long)tile * cin;
                    for (int i = 0; i < 4; i++)
                    {
                        int ih = h0 + i;
                        if (ih < 0 || ih >= inH) continue;
                        float* row = dx + ((long)(s * inH + ih) * inW + w0) * cin;
                        for (int c = 0; c < cin; c += TV.Count)
                        {
                            float* q = src + c;
                            TV q0, q1, q2, q3;
                            if (i == 0) QRow(q, plane, 0, out q0, out q1, out q2, out q3);
                            else if (i == 3) { QRow(q, plane, 3, out q0, out q1, out q2, out q3); q0 = -q0; q1 = -q1; q2 = -q2; q3 = -q3; }
                            else
                            {
                                QRow(q, plane, 0, out TV a0, out TV a1, out TV a2, out TV a3);
                                QRow(q, plane, 1, out TV b0, out TV b1, out TV b2, out TV b3);
                                QRow(q, plane, 2, out TV e0, out TV e1, out TV e2, out TV e3);
                                QRow(q, plane, 3, out TV f0, out TV f1, out TV f2, out TV f3);
                                if (i == 1) { q0 = b0 - e0 + f0; q1 = b1 - e1 + f1; q2 = b2 - e2 + f2; q3 = b3 - e3 + f3; }
                                else { q0 = b0 + e0 - a0; q1 = b1 + e1 - a1; q2 = b2 + e2 - a2; q3 = b3 + e3 - a3; }
                            }
                            TV d0 = q0, d1 = q1 - q2 + q3, d2 = q1 + q2 - q0, d3 = -q3;
                            AddAt(row, 0, w0, cin, c, d0); AddAt(row, 1, w0, cin, c, d1);
                            AddAt(row, 2, w0, cin, c, d2); AddAt(row, 3, w0, cin, c, d3);
                        }
                    }
                }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void QRow<TV>(float* q, nint plane, int a, out TV p0, out TV p1, out TV p2, out TV p3) where TV : struct, IVec<TV, float>
    {
        float* o = q + 4 * a * plane;
        p0 = TV.Load(o); p1 = TV.Load(o + plane); p2 = TV.Load(o + 2 * plane); p3 = TV.Load(o + 3 * plane);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    void AddAt<TV>(float* row, int j, int w0, int cin, int c, TV d) where TV : struct, IVec<TV, float>
    {
        int iw = w0 + j;
        if (iw < 0 || iw >= inW) return;
        float* at = row + (long)j * cin + c;
        (TV.Load(at) + d).Store(at);
    }

    /// <summary>dwt[(i 3 + j) in + c, o] = (G^T S G)[i][j] for each (c, o), G^T = [1 1/2 1/2 0; 0 1/2 -1/2 0; 0 1/2 1/2 1]:
    /// over rows N_0 = S0 + (S1 + S2) / 2, N_1 = (S1 - S2) / 2, N_2 = (S1 + S2) / 2 + S3, then the same over columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void WeightTransform<TV>(float* sums, float* dwt) where TV : struct, IVec<TV, float>
    {
        nint plane = (nint)cin * cout, tap = (nint)cin * cout;
        var half = TV.Create(0.5f);
        for (int c = 0; c < cin; c++)
            for (int o = 0; o < cout; o += TV.Count)
            {
                float* q = sums + (long)c * cout + o, dst = dwt + (long)c * cout + o;
                TV m00 = TV.Load(q), m01 = TV.Load(q + plane), m02 = TV.Load(q + 2 * plane), m03 = TV.Load(q + 3 * plane);
                TV m10 = TV.Load(q + 4 * plane), m11 = TV.Load(q + 5 * plane), m12 = TV.Load(q + 6 * plane), m13 = TV.Load(q + 7 * plane);
                TV m20 = TV.Load(q + 8 * plane), m21 = TV.Load(q + 9 * plane), m22 = TV.Load(q + 10 * plane), m23 = TV.Load(q + 11 * plane);
                TV m30 = TV.Load(q + 12 * plane), m31 = TV.Load(q + 13 * plane), m32 = TV.Load(q + 14 * plane), m33 = TV.Load(q + 15 * plane);
                GtColumn(m00, m10, m20, m30, half, out TV n00, out TV n10, out TV n20);
                GtColumn(m01, m11, m21, m31, half, out TV n01, out TV n11, out TV n21);
                GtColumn(m02, m12, m22, m32, half, out TV n02, out TV n12, out TV n22);
                GtColumn(m03, m13, m23, m33, half, out TV n03, out TV n13, out TV n23);
                GtColumn(n00, n01, n02, n03, half, out TV g00, out TV g01, out TV g02);
                GtColumn(n10, n11, n12, n13, half, out TV g10, out TV g11, out TV g12);
                GtColumn(n20, n21, n22, n23, half, out TV g20, out TV g21, out TV g22);
                g00.Store(dst); g01.Store(dst + tap); g02.Store(dst + 2 * tap);
                g10.Store(dst + 3 * tap); g11.Store(dst + 4 * tap); g12.Store(dst + 5 * tap);
                g20.Store(dst + 6 * tap); g21.Store(dst + 7 * tap); g22.Store(dst + 8 * tap);
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void GtColumn<TV>(TV s0, TV s1, TV s2, TV s3, TV half, out TV n0, out TV n1, out TV n2) where TV : struct, IVec<TV, float>
    {
        TV h = half * (s1 + s2);
        n0 = s0 + h; n1 = half * (s1 - s2); n2 = h + s3;
    }
}
