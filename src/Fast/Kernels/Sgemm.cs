using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetNumerics.Fast.Kernels;

/// <summary>Packing buffers of <see cref="Sgemm"/>, allocated once (64-byte aligned, pinned) and reused: no allocation per call.</summary>
internal sealed unsafe class GemmWorkspace
{
    internal float* PackA, PackB;
    int capacityB;
    ArraySegment<float> a, b;

    public GemmWorkspace(int maxN = 256)
    {
        a = AlignedBuffer.Allocate<float>(Sgemm.MC * Sgemm.KC);
        fixed (float* p = a.Array) PackA = p + a.Offset;
        EnsureN(maxN);
    }

    internal void EnsureN(int n)
    {
        int need = (n + Sgemm.NR - 1) / Sgemm.NR * Sgemm.NR * Sgemm.KC;
        if (need <= capacityB) return;
        b = AlignedBuffer.Allocate<float>(need);
        fixed (float* p = b.Array) PackB = p + b.Offset;
        capacityB = need;
    }
}

/// <summary>
/// Single-precision GEMM, C (+)= A B, in the Goto/BLIS structure: K in blocks of at most <see cref="KC"/> (split evenly);
/// B packed into panels of <see cref="NR"/> columns, A into panels of <see cref="MR"/> rows (blocks of <see cref="MC"/>),
/// and a 12x32 register-blocked Vector512 FMA micro-kernel (24 zmm accumulators). A and B are strided views
/// (element (i, k) of A at a[i * aRow + k * aCol]) so transposes cost nothing but the packing. A row-major A
/// (aCol = 1) is not packed: the kernel broadcasts straight from its rows. B can be packed once and reused
/// (<see cref="Pack"/>, <see cref="MultiplyPacked"/>), e.g. weights once per training step. C is row-major with row
/// stride ldc. Single-threaded and deterministic: each C element is summed in a fixed order that depends only on K.
/// </summary>
internal static unsafe class Sgemm
{
    public const int MR = 12, NR = 32, KC = 256, MC = MR * 16;

    /// <summary>K blocks: ceil(k / KC) blocks of equal depth (the last one shorter by the remainder), so no block is tiny.</summary>
    static int BlockDepth(int k) => (k + (k + KC - 1) / KC - 1) / ((k + KC - 1) / KC);

    /// <summary>Floats needed by <see cref="Pack"/> for a k x n B.</summary>
    public static int PackedLength(int k, int n) => (n + NR - 1) / NR * NR * Math.Max(k, 1);

    /// <summary>Pack B[k x n] (element (k, j) at b[k * bRow + j * bCol]) for <see cref="MultiplyPacked"/>: K block after K block, each as NR-column panels.</summary>
    public static void Pack(int k, int n, float* b, int bRow, int bCol, float* dst)
    {
        if (k == 0) return;
        int kb = BlockDepth(k), panels = (n + NR - 1) / NR;
        for (int pc = 0; pc < k; pc += kb)
            PackB(Math.Min(kb, k - pc), n, b + (long)pc * bRow, bRow, bCol, dst + (long)panels * NR * pc);
    }

    /// <summary>C[m x n] = (accumulate ? C : 0) + A[m x k] B[k x n].</summary>
    public static void Multiply(int m, int n, int k, float* a, int aRow, int aCol, float* b, int bRow, int bCol,
        float* c, int ldc, bool accumulate, GemmWorkspace ws)
    {
        if (m == 0 || n == 0) return;
        if (k == 0) { Clear(m, n, c, ldc, accumulate); return; }
        ws.EnsureN(n);
        int kb = BlockDepth(k);
        for (int pc = 0; pc < k; pc += kb)
        {
            int kc = Math.Min(kb, k - pc);
            PackB(kc, n, b + (long)pc * bRow, bRow, bCol, ws.PackB);
            Block(m, n, kc, a + (long)pc * aCol, aRow, aCol, ws.PackB, c, ldc, accumulate || pc > 0, ws);
        }
    }

    /// <summary>C[m x n] = (accumulate ? C : 0) + A[m x k] B[k x n] with B prepared by <see cref="Pack"/>.</summary>
    public static void MultiplyPacked(int m, int n, int k, float* a, int aRow, int aCol, float* packedB,
        float* c, int ldc, bool accumulate, GemmWorkspace ws)
    {
        if (m == 0 || n == 0) return;
        if (k == 0) { Clear(m, n, c, ldc, accumulate); return; }
        int kb = BlockDepth(k), panels = (n + NR - 1) / NR;
        for (int pc = 0; pc < k; pc += kb)
            Block(m, n, Math.Min(kb, k - pc), a + (long)pc * aCol, aRow, aCol, packedB + (long)panels * NR * pc, c, ldc, accumulate || pc > 0, ws);
    }

    static void Clear(int m, int n, float* c, int ldc, bool accumulate)
    {
        if (!accumulate) for (int i = 0; i < m; i++) new Span<float>(c + (long)i * ldc, n).Clear();
    }

    /// <summary>One K block: C += A[:, block] Bpacked[block, :].</summary>
    static void Block(int m, int n, int kc, float* a, int aRow, int aCol, float* packedB, float* c, int ldc, bool acc, GemmWorkspace ws)
    {
        int nPanels = (n + NR - 1) / NR;
        bool rowMajor = aCol == 1 && Vector512.IsHardwareAccelerated;
        for (int ic = 0; ic < m; ic += MC)
        {
            int mc = Math.Min(MC, m - ic);
            float* ablock = a + (long)ic * aRow;
            int full = rowMajor ? mc / MR * MR : 0;   // full 12-row tiles read A in place; the rest is packed
            if (full < mc) PackA(mc - full, kc, ablock + (long)full * aRow, aRow, aCol, ws.PackA);
            for (int jp = 0; jp < nPanels; jp++)
            {
                int nr = Math.Min(NR, n - jp * NR);
                float* bp = packedB + (long)jp * NR * kc;
                float* cc = c + (long)ic * ldc + jp * NR;
                for (int ir = 0; ir < full; ir += MR)
                    RowKernel(kc, ablock + (long)ir * aRow, aRow, bp, cc + (long)ir * ldc, ldc, acc, nr);
                for (int ir = full; ir < mc; ir += MR)
                    Kernel(kc, ws.PackA + (long)(ir - full) * kc, bp, cc + (long)ir * ldc, ldc, acc, Math.Min(MR, mc - ir), nr);
            }
        }
    }

    /// <summary>Panels of NR columns: panel j holds B[k, j*NR .. j*NR + NR) for k = 0..kc, zero past column n.</summary>
    static void PackB(int kc, int n, float* b, int bRow, int bCol, float* dst)
    {
        for (int j0 = 0; j0 < n; j0 += NR)
        {
            int nr = Math.Min(NR, n - j0);
            if (bCol == 1 && nr == NR)
            {
                for (int k = 0; k < kc; k++)
                    Vector512.Store(Vector512.Load(b + (long)k * bRow + j0), dst + k * NR);
                for (int k = 0; k < kc; k++)
                    Vector512.Store(Vector512.Load(b + (long)k * bRow + j0 + 16), dst + k * NR + 16);
            }
            else
            {
                for (int j = 0; j < NR; j++)
                {
                    if (j < nr)
                    {
                        float* src = b + (long)(j0 + j) * bCol;
                        for (int k = 0; k < kc; k++) dst[k * NR + j] = src[(long)k * bRow];
                    }
                    else for (int k = 0; k < kc; k++) dst[k * NR + j] = 0;
                }
            }
            dst += NR * kc;
        }
    }

    /// <summary>Panels of MR rows: panel i holds A[i*MR + r, k] at [k * MR + r], zero past row m.</summary>
    static void PackA(int mc, int kc, float* a, int aRow, int aCol, float* dst)
    {
        for (int i0 = 0; i0 < mc; i0 += MR)
        {
            int mr = Math.Min(MR, mc - i0);
            if (aRow == 1 && mr == MR)
            {
                for (int k = 0; k < kc; k++)
                {
                    float* src = a + i0 + (long)k * aCol;
                    Vector256.Store(Vector256.Load(src), dst + k * MR);
                    Vector128.Store(Vector128.Load(src + 8), dst + k * MR + 8);
                }
                dst += MR * kc;
                continue;
            }
            for (int r = 0; r < MR; r++)
            {
                if (r < mr)
                {
                    float* src = a + (long)(i0 + r) * aRow;
                    if (aCol == 1) for (int k = 0; k < kc; k++) dst[k * MR + r] = src[k];
                    else for (int k = 0; k < kc; k++) dst[k * MR + r] = src[(long)k * aCol];
                }
                else for (int k = 0; k < kc; k++) dst[k * MR + r] = 0;
            }
            dst += MR * kc;
        }
    }

    /// <summary>
    /// C[m x n] = A^T B for A[k x m] (row r at a + r lda) and B[k x n] (row r at b + r ldb), both read in place (no packing):
    /// each 12 x 32 tile of C sums the outer products of 12 contiguous floats of A's row r and 32 of B's row r, r in order,
    /// in blocks of <see cref="KC"/> rows (a conv/dense weight gradient: col^T dY). Requires n % 32 == 0. When m &lt; 12 the
    /// tile reads 12 - m floats past each A row, so a must stay readable to a[(k - 1) lda + 11]; when m &gt;= 12 the last
    /// tile is shifted back inside the row instead.
    /// </summary>
    public static void OuterProductSum(int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc)
    {
        if (n % NR != 0 || !Vector512.IsHardwareAccelerated)
        {
            // Fallback (allocates). The kernels read the workspace's pinned buffers through raw pointers only, so without
            // KeepAlive the JIT may let the workspace (and with it the buffers) be collected while Multiply still reads them:
            // an intermittent AccessViolationException in conv1's backward on CPUs without AVX-512.
            var ws = new GemmWorkspace(n);
            Multiply(m, n, k, a, 1, lda, b, ldb, 1, c, ldc, accumulate: false, ws);
            GC.KeepAlive(ws);
            return;
        }
        if (k == 0) { Clear(m, n, c, ldc, false); return; }
        for (int pc = 0; pc < k; pc += KC)
        {
            int kc = Math.Min(KC, k - pc);
            for (int i0 = 0; i0 < m; i0 += MR)
            {
                int mr = Math.Min(MR, m - i0), start = i0, skip = 0;
                if (mr < MR && m >= MR) { start = m - MR; skip = MR - mr; mr = MR; }
                for (int j0 = 0; j0 < n; j0 += NR)
                    OuterKernel(kc, a + (long)pc * lda + start, lda, b + (long)pc * ldb + j0, ldb, c + (long)start * ldc + j0, ldc, pc > 0, mr, skip);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void OuterKernel(int kc, float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate, int mr, int skip)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
            c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default,
            c60 = default, c61 = default, c70 = default, c71 = default, c80 = default, c81 = default,
            c90 = default, c91 = default, ca0 = default, ca1 = default, cb0 = default, cb1 = default;
        for (int k = 0; k < kc; k++)
        {
            var b0 = Vector512.Load(b); var b1 = Vector512.Load(b + 16);
            Vector512<float> x;
            x = Vector512.Create(a[0]); c00 = Vector512.FusedMultiplyAdd(x, b0, c00); c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(a[1]); c10 = Vector512.FusedMultiplyAdd(x, b0, c10); c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(a[2]); c20 = Vector512.FusedMultiplyAdd(x, b0, c20); c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(a[3]); c30 = Vector512.FusedMultiplyAdd(x, b0, c30); c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(a[4]); c40 = Vector512.FusedMultiplyAdd(x, b0, c40); c41 = Vector512.FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(a[5]); c50 = Vector512.FusedMultiplyAdd(x, b0, c50); c51 = Vector512.FusedMultiplyAdd(x, b1, c51);
            x = Vector512.Create(a[6]); c60 = Vector512.FusedMultiplyAdd(x, b0, c60); c61 = Vector512.FusedMultiplyAdd(x, b1, c61);
            x = Vector512.Create(a[7]); c70 = Vector512.FusedMultiplyAdd(x, b0, c70); c71 = Vector512.FusedMultiplyAdd(x, b1, c71);
            x = Vector512.Create(a[8]); c80 = Vector512.FusedMultiplyAdd(x, b0, c80); c81 = Vector512.FusedMultiplyAdd(x, b1, c81);
            x = Vector512.Create(a[9]); c90 = Vector512.FusedMultiplyAdd(x, b0, c90); c91 = Vector512.FusedMultiplyAdd(x, b1, c91);
            x = Vector512.Create(a[10]); ca0 = Vector512.FusedMultiplyAdd(x, b0, ca0); ca1 = Vector512.FusedMultiplyAdd(x, b1, ca1);
            x = Vector512.Create(a[11]); cb0 = Vector512.FusedMultiplyAdd(x, b0, cb0); cb1 = Vector512.FusedMultiplyAdd(x, b1, cb1);
            a += lda; b += ldb;
        }
        if (skip == 0)
        {
            StoreTile(c, ldc, accumulate, mr, NR, c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51,
                c60, c61, c70, c71, c80, c81, c90, c91, ca0, ca1, cb0, cb1);
            return;
        }
        float* t = stackalloc float[MR * NR];
        c00.Store(t); c01.Store(t + 16); c10.Store(t + 32); c11.Store(t + 48); c20.Store(t + 64); c21.Store(t + 80);
        c30.Store(t + 96); c31.Store(t + 112); c40.Store(t + 128); c41.Store(t + 144); c50.Store(t + 160); c51.Store(t + 176);
        c60.Store(t + 192); c61.Store(t + 208); c70.Store(t + 224); c71.Store(t + 240); c80.Store(t + 256); c81.Store(t + 272);
        c90.Store(t + 288); c91.Store(t + 304); ca0.Store(t + 320); ca1.Store(t + 336); cb0.Store(t + 352); cb1.Store(t + 368);
        for (int r = skip; r < MR; r++)
            for (int j = 0; j < NR; j++)
                c[(long)r * ldc + j] = accumulate ? c[(long)r * ldc + j] + t[r * NR + j] : t[r * NR + j];
    }

    /// <summary>The micro-kernel on 12 full rows of a row-major A (stride lda), broadcasting in place: rows r at p + r lda, with
    /// three base pointers (rows 0, 4, 8) and byte offsets L, 2L, 3L so the 12 addresses need no extra registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void RowKernel(int kc, float* a, int lda, float* b, float* c, int ldc, bool accumulate, int nr)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
            c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default,
            c60 = default, c61 = default, c70 = default, c71 = default, c80 = default, c81 = default,
            c90 = default, c91 = default, ca0 = default, ca1 = default, cb0 = default, cb1 = default;
        nint L = (nint)lda * sizeof(float), L3 = 3 * L;
        byte* p0 = (byte*)a, p4 = p0 + 4 * L, p8 = p0 + 8 * L;
        for (int k = 0; k < kc; k++)
        {
            var b0 = Vector512.LoadAligned(b); var b1 = Vector512.LoadAligned(b + 16);
            Vector512<float> x;
            x = Vector512.Create(*(float*)p0); c00 = Vector512.FusedMultiplyAdd(x, b0, c00); c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(*(float*)(p0 + L)); c10 = Vector512.FusedMultiplyAdd(x, b0, c10); c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(*(float*)(p0 + 2 * L)); c20 = Vector512.FusedMultiplyAdd(x, b0, c20); c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(*(float*)(p0 + L3)); c30 = Vector512.FusedMultiplyAdd(x, b0, c30); c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(*(float*)p4); c40 = Vector512.FusedMultiplyAdd(x, b0, c40); c41 = Vector512.FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(*(float*)(p4 + L)); c50 = Vector512.FusedMultiplyAdd(x, b0, c50); c51 = Vector512.FusedMultiplyAdd(x, b1, c51);
            x = Vector512.Create(*(float*)(p4 + 2 * L)); c60 = Vector512.FusedMultiplyAdd(x, b0, c60); c61 = Vector512.FusedMultiplyAdd(x, b1, c61);
            x = Vector512.Create(*(float*)(p4 + L3)); c70 = Vector512.FusedMultiplyAdd(x, b0, c70); c71 = Vector512.FusedMultiplyAdd(x, b1, c71);
            x = Vector512.Create(*(float*)p8); c80 = Vector512.FusedMultiplyAdd(x, b0, c80); c81 = Vector512.FusedMultiplyAdd(x, b1, c81);
            x = Vector512.Create(*(float*)(p8 + L)); c90 = Vector512.FusedMultiplyAdd(x, b0, c90); c91 = Vector512.FusedMultiplyAdd(x, b1, c91);
            x = Vector512.Create(*(float*)(p8 + 2 * L)); ca0 = Vector512.FusedMultiplyAdd(x, b0, ca0); ca1 = Vector512.FusedMultiplyAdd(x, b1, ca1);
            x = Vector512.Create(*(float*)(p8 + L3)); cb0 = Vector512.FusedMultiplyAdd(x, b0, cb0); cb1 = Vector512.FusedMultiplyAdd(x, b1, cb1);
            p0 += sizeof(float); p4 += sizeof(float); p8 += sizeof(float); b += NR;
        }
        StoreTile(c, ldc, accumulate, MR, nr, c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51,
            c60, c61, c70, c71, c80, c81, c90, c91, ca0, ca1, cb0, cb1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Kernel(int kc, float* a, float* b, float* c, int ldc, bool accumulate, int mr, int nr)
    {
        if (!Vector512.IsHardwareAccelerated) { ScalarKernel(kc, a, b, c, ldc, accumulate, mr, nr); return; }
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
            c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default,
            c60 = default, c61 = default, c70 = default, c71 = default, c80 = default, c81 = default,
            c90 = default, c91 = default, ca0 = default, ca1 = default, cb0 = default, cb1 = default;
        for (int k = 0; k < kc; k++)
        {
            var b0 = Vector512.LoadAligned(b); var b1 = Vector512.LoadAligned(b + 16);
            Vector512<float> x;
            x = Vector512.Create(a[0]); c00 = Vector512.FusedMultiplyAdd(x, b0, c00); c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(a[1]); c10 = Vector512.FusedMultiplyAdd(x, b0, c10); c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(a[2]); c20 = Vector512.FusedMultiplyAdd(x, b0, c20); c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(a[3]); c30 = Vector512.FusedMultiplyAdd(x, b0, c30); c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(a[4]); c40 = Vector512.FusedMultiplyAdd(x, b0, c40); c41 = Vector512.FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(a[5]); c50 = Vector512.FusedMultiplyAdd(x, b0, c50); c51 = Vector512.FusedMultiplyAdd(x, b1, c51);
            x = Vector512.Create(a[6]); c60 = Vector512.FusedMultiplyAdd(x, b0, c60); c61 = Vector512.FusedMultiplyAdd(x, b1, c61);
            x = Vector512.Create(a[7]); c70 = Vector512.FusedMultiplyAdd(x, b0, c70); c71 = Vector512.FusedMultiplyAdd(x, b1, c71);
            x = Vector512.Create(a[8]); c80 = Vector512.FusedMultiplyAdd(x, b0, c80); c81 = Vector512.FusedMultiplyAdd(x, b1, c81);
            x = Vector512.Create(a[9]); c90 = Vector512.FusedMultiplyAdd(x, b0, c90); c91 = Vector512.FusedMultiplyAdd(x, b1, c91);
            x = Vector512.Create(a[10]); ca0 = Vector512.FusedMultiplyAdd(x, b0, ca0); ca1 = Vector512.FusedMultiplyAdd(x, b1, ca1);
            x = Vector512.Create(a[11]); cb0 = Vector512.FusedMultiplyAdd(x, b0, cb0); cb1 = Vector512.FusedMultiplyAdd(x, b1, cb1);
            a += MR; b += NR;
        }
        StoreTile(c, ldc, accumulate, mr, nr, c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51,
            c60, c61, c70, c71, c80, c81, c90, c91, ca0, ca1, cb0, cb1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void StoreTile(float* c, int ldc, bool accumulate, int mr, int nr,
        Vector512<float> c00, Vector512<float> c01, Vector512<float> c10, Vector512<float> c11, Vector512<float> c20, Vector512<float> c21,
        Vector512<float> c30, Vector512<float> c31, Vector512<float> c40, Vector512<float> c41, Vector512<float> c50, Vector512<float> c51,
        Vector512<float> c60, Vector512<float> c61, Vector512<float> c70, Vector512<float> c71, Vector512<float> c80, Vector512<float> c81,
        Vector512<float> c90, Vector512<float> c91, Vector512<float> ca0, Vector512<float> ca1, Vector512<float> cb0, Vector512<float> cb1)
    {
        if (mr == MR && nr == NR)
        {
            Store(c, c00, c01, accumulate); Store(c + ldc, c10, c11, accumulate); Store(c + 2 * ldc, c20, c21, accumulate);
            Store(c + 3 * ldc, c30, c31, accumulate); Store(c + 4 * ldc, c40, c41, accumulate); Store(c + 5 * ldc, c50, c51, accumulate);
            Store(c + 6 * ldc, c60, c61, accumulate); Store(c + 7 * ldc, c70, c71, accumulate); Store(c + 8 * ldc, c80, c81, accumulate);
            Store(c + 9 * ldc, c90, c91, accumulate); Store(c + 10 * ldc, ca0, ca1, accumulate); Store(c + 11 * ldc, cb0, cb1, accumulate);
            return;
        }
        float* t = stackalloc float[MR * NR];
        c00.Store(t); c01.Store(t + 16); c10.Store(t + 32); c11.Store(t + 48); c20.Store(t + 64); c21.Store(t + 80);
        c30.Store(t + 96); c31.Store(t + 112); c40.Store(t + 128); c41.Store(t + 144); c50.Store(t + 160); c51.Store(t + 176);
        c60.Store(t + 192); c61.Store(t + 208); c70.Store(t + 224); c71.Store(t + 240); c80.Store(t + 256); c81.Store(t + 272);
        c90.Store(t + 288); c91.Store(t + 304); ca0.Store(t + 320); ca1.Store(t + 336); cb0.Store(t + 352); cb1.Store(t + 368);
        for (int r = 0; r < mr; r++)
            for (int j = 0; j < nr; j++)
                c[(long)r * ldc + j] = accumulate ? c[(long)r * ldc + j] + t[r * NR + j] : t[r * NR + j];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Store(float* c, Vector512<float> lo, Vector512<float> hi, bool accumulate)
    {
        if (accumulate) { lo += Vector512.Load(c); hi += Vector512.Load(c + 16); }
        lo.Store(c); hi.Store(c + 16);
    }

    static void ScalarKernel(int kc, float* a, float* b, float* c, int ldc, bool accumulate, int mr, int nr)
    {
        for (int r = 0; r < mr; r++)
            for (int j = 0; j < nr; j++)
            {
                float s = 0;
                for (int k = 0; k < kc; k++) s = MathF.FusedMultiplyAdd(a[k * MR + r], b[k * NR + j], s);
                c[(long)r * ldc + j] = accumulate ? c[(long)r * ldc + j] + s : s;
            }
    }
}
