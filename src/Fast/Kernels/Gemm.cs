using System.Runtime.CompilerServices;


namespace NetNumerics.Fast.Kernels;

/// <summary>
/// The GEMM behind <see cref="Sgemm"/> at one vector width TV, in the Goto/BLIS structure: K in blocks, B packed into panels
/// of <see cref="NR"/> = 2 vectors of columns (or read in place), and ONE register-tiled micro-kernel (<see cref="Tile"/>) of
/// <see cref="MR"/> x NR that broadcasts A from any strided view (row-major rows, a transposed matrix, a packed panel alike).
/// Each C element is the sum over k of a_ik b_kj by a chain of FMAs, in k order, one chain per K block, the blocks added to C
/// in order: the bits depend only on K and its blocking, never on the width, the tile or the thread.
/// </summary>
internal static unsafe class Gemm<TV> where TV : struct, IVec<TV, float>
{
    /// <summary>Tile columns: two vectors.</summary>
    public static int NR { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => 2 * TV.Count; }

    /// <summary>Tile rows: 12 with 16-float vectors (AVX-512 has 32 registers: 24 accumulators, 2 of B, 1 broadcast),
    /// else 6 (AVX2 and SSE have 16: 12 + 2 + 1).</summary>
    public static int MR { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => TV.Count >= 16 ? 12 : 6; }

    public const int KC = Sgemm.KC, MC = Sgemm.MC;

    /// <summary>K blocks: ceil(k / KC) blocks of equal depth (the last one shorter by the remainder), so no block is tiny.</summary>
    internal static int BlockDepth(int k) => (k + (k + KC - 1) / KC - 1) / ((k + KC - 1) / KC);

    public static int PackedLength(int k, int n) => (n + NR - 1) / NR * NR * Math.Max(k, 1);

    public static void Pack(int k, int n, float* b, int bRow, int bCol, float* dst)
    {
        if (k == 0) return;
        int kb = BlockDepth(k), panels = (n + NR - 1) / NR;
        for (int pc = 0; pc < k; pc += kb)
            PackB(Math.Min(kb, k - pc), n, b + (long)pc * bRow, bRow, bCol, dst + (long)panels * NR * pc);
    }

    public static void Multiply(int m, int n, int k, float* a, int aRow, int aCol, float* b, int bRow, int bCol,
        float* c, int ldc, bool accumulate, GemmWorkspace ws)
    {
        if (m == 0 || n == 0) return;
        if (k == 0) { Clear(m, n, c, ldc, accumulate); return; }
        // Few rows of C (a conv weight gradient with few taps): packing B would cost as much as the product, so read it in place.
        bool bInPlace = bCol == 1 && n % NR == 0 && m < 2 * MR;
        if (!bInPlace) ws.EnsureN(n);
        int kb = BlockDepth(k);
        for (int pc = 0; pc < k; pc += kb)
        {
            int kc = Math.Min(kb, k - pc);
            float* bk = b + (long)pc * bRow;
            if (bInPlace) Block(m, n, kc, a + (long)pc * aCol, aRow, aCol, bk, bRow, NR, c, ldc, accumulate || pc > 0, ws);
            else
            {
                PackB(kc, n, bk, bRow, bCol, ws.PackB);
                Block(m, n, kc, a + (long)pc * aCol, aRow, aCol, ws.PackB, NR, (nint)NR * kc, c, ldc, accumulate || pc > 0, ws);
            }
        }
    }

    public static void MultiplyPacked(int m, int n, int k, float* a, int aRow, int aCol, float* packedB,
        float* c, int ldc, bool accumulate, GemmWorkspace ws)
    {
        if (m == 0 || n == 0) return;
        if (k == 0) { Clear(m, n, c, ldc, accumulate); return; }
        int kb = BlockDepth(k), panels = (n + NR - 1) / NR;
        for (int pc = 0; pc < k; pc += kb)
        {
            int kc = Math.Min(kb, k - pc);
            Block(m, n, kc, a + (long)pc * aCol, aRow, aCol, packedB + (long)panels * NR * pc, NR, (nint)NR * kc, c, ldc, accumulate || pc > 0, ws);
        }
    }

    /// <summary>C (+)= A^T B, A [k x m] and B [k x n] both read in place, K in blocks of exactly KC; n % NR == 0.</summary>
    public static void OuterProductSum(int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate, GemmWorkspace ws)
    {
        if (m == 0 || n == 0) return;
        if (k == 0) { Clear(m, n, c, ldc, accumulate); return; }
        for (int pc = 0; pc < k; pc += KC)
            Block(m, n, Math.Min(KC, k - pc), a + (long)pc * lda, 1, lda, b + (long)pc * ldb, ldb, NR, c, ldc, accumulate || pc > 0, ws);
    }

    static void Clear(int m, int n, float* c, int ldc, bool accumulate)
    {
        if (!accumulate) for (int i = 0; i < m; i++) new Span<float>(c + (long)i * ldc, n).Clear();
    }

    /// <summary>One K block: C (+)= A[:, block] B[block, :]. B panel jp starts at b + jp * bPanel, its row k at + k * bK.
    /// Full MR-row tiles read A in place; the last rows of each MC block, if fewer, are packed with zero rows.</summary>
    static void Block(int m, int n, int kc, float* a, nint aRow, nint aCol, float* b, nint bK, nint bPanel, float* c, int ldc, bool acc, GemmWorkspace ws)
    {
        int nPanels = (n + NR - 1) / NR;
        for (int ic = 0; ic < m; ic += MC)
        {
            int mc = Math.Min(MC, m - ic), full = mc / MR * MR;
            float* ablock = a + ic * aRow;
            if (full < mc) PackA(mc - full, kc, ablock + full * aRow, aRow, aCol, ws.PackA);
            for (int jp = 0; jp < nPanels; jp++)
            {
                int nr = Math.Min(NR, n - jp * NR);
                float* bp = b + jp * bPanel, cc = c + (long)ic * ldc + jp * NR;
                for (int ir = 0; ir < full; ir += MR)
                    Tile(kc, ablock + ir * aRow, aRow, aCol, bp, bK, cc + (long)ir * ldc, ldc, acc, MR, nr);
                if (full < mc) Tile(kc, ws.PackA, 1, MR, bp, bK, cc + (long)full * ldc, ldc, acc, mc - full, nr);
            }
        }
    }

    /// <summary>Panels of NR columns: panel j holds B[k, j*NR .. j*NR + NR) at [k * NR + c], zero past column n.</summary>
    static void PackB(int kc, int n, float* b, int bRow, int bCol, float* dst)
    {
        int w = TV.Count;
        for (int j0 = 0; j0 < n; j0 += NR)
        {
            int nr = Math.Min(NR, n - j0);
            if (bCol == 1 && nr == NR)
                for (int k = 0; k < kc; k++)
                {
                    float* src = b + (long)k * bRow + j0;
                    TV.Load(src).Store(dst + k * NR);
                    TV.Load(src + w).Store(dst + k * NR + w);
                }
            else
                for (int j = 0; j < NR; j++)
                {
                    if (j < nr)
                    {
                        float* src = b + (long)(j0 + j) * bCol;
                        for (int k = 0; k < kc; k++) dst[k * NR + j] = src[(long)k * bRow];
                    }
                    else for (int k = 0; k < kc; k++) dst[k * NR + j] = 0;
                }
            dst += NR * kc;
        }
    }

    /// <summary>mr &lt; MR rows of A as one panel: A[r, k] at [k * MR + r], rows mr..MR-1 zero.</summary>
    static void PackA(int mr, int kc, float* a, nint aRow, nint aCol, float* dst)
    {
        for (int r = 0; r < MR; r++)
        {
            float* src = a + r * aRow;
            if (r < mr) for (int k = 0; k < kc; k++) dst[k * MR + r] = src[k * aCol];
            else for (int k = 0; k < kc; k++) dst[k * MR + r] = 0;
        }
    }

    /// <summary>
    /// The micro-kernel: C[mr x nr] (+)= sum over k &lt; kc of A[r, k] B[k, :], A[r, k] at a[r aRow + k aCol] broadcast from
    /// memory, B row k at b + k bK (two vector loads). Rows 3q..3q+2 are addressed from base pointer q (0, L, 2L: no extra
    /// registers). With MR = 6 the code for rows 6..11 is dead and the JIT drops it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Tile(int kc, float* a, nint aRow, nint aCol, float* b, nint bK, float* c, int ldc, bool accumulate, int mr, int nr)
    {
        TV c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
           c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default,
           c60 = default, c61 = default, c70 = default, c71 = default, c80 = default, c81 = default,
           c90 = default, c91 = default, ca0 = default, ca1 = default, cb0 = default, cb1 = default;
        nint L = aRow * sizeof(float), step = aCol * sizeof(float);
        byte* p0 = (byte*)a, p3 = p0 + 3 * L, p6 = p0 + 6 * L, p9 = p0 + 9 * L;
        int w = TV.Count;
        for (int k = 0; k < kc; k++)
        {
            TV b0 = TV.Load(b), b1 = TV.Load(b + w), x;
            x = TV.Create(*(float*)p0); c00 = TV.FusedMultiplyAdd(x, b0, c00); c01 = TV.FusedMultiplyAdd(x, b1, c01);
            x = TV.Create(*(float*)(p0 + L)); c10 = TV.FusedMultiplyAdd(x, b0, c10); c11 = TV.FusedMultiplyAdd(x, b1, c11);
            x = TV.Create(*(float*)(p0 + 2 * L)); c20 = TV.FusedMultiplyAdd(x, b0, c20); c21 = TV.FusedMultiplyAdd(x, b1, c21);
            x = TV.Create(*(float*)p3); c30 = TV.FusedMultiplyAdd(x, b0, c30); c31 = TV.FusedMultiplyAdd(x, b1, c31);
            x = TV.Create(*(float*)(p3 + L)); c40 = TV.FusedMultiplyAdd(x, b0, c40); c41 = TV.FusedMultiplyAdd(x, b1, c41);
            x = TV.Create(*(float*)(p3 + 2 * L)); c50 = TV.FusedMultiplyAdd(x, b0, c50); c51 = TV.FusedMultiplyAdd(x, b1, c51);
            if (MR == 12)
            {
                x = TV.Create(*(float*)p6); c60 = TV.FusedMultiplyAdd(x, b0, c60); c61 = TV.FusedMultiplyAdd(x, b1, c61);
                x = TV.Create(*(float*)(p6 + L)); c70 = TV.FusedMultiplyAdd(x, b0, c70); c71 = TV.FusedMultiplyAdd(x, b1, c71);
                x = TV.Create(*(float*)(p6 + 2 * L)); c80 = TV.FusedMultiplyAdd(x, b0, c80); c81 = TV.FusedMultiplyAdd(x, b1, c81);
                x = TV.Create(*(float*)p9); c90 = TV.FusedMultiplyAdd(x, b0, c90); c91 = TV.FusedMultiplyAdd(x, b1, c91);
                x = TV.Create(*(float*)(p9 + L)); ca0 = TV.FusedMultiplyAdd(x, b0, ca0); ca1 = TV.FusedMultiplyAdd(x, b1, ca1);
                x = TV.Create(*(float*)(p9 + 2 * L)); cb0 = TV.FusedMultiplyAdd(x, b0, cb0); cb1 = TV.FusedMultiplyAdd(x, b1, cb1);
                p6 += step; p9 += step;
            }
            p0 += step; p3 += step; b += bK;
        }
        if (mr == MR && nr == NR)
        {
            Row(c, c00, c01, accumulate); Row(c + ldc, c10, c11, accumulate); Row(c + 2 * ldc, c20, c21, accumulate);
            Row(c + 3 * ldc, c30, c31, accumulate); Row(c + 4 * ldc, c40, c41, accumulate); Row(c + 5 * ldc, c50, c51, accumulate);
            if (MR == 12)
            {
                Row(c + 6 * ldc, c60, c61, accumulate); Row(c + 7 * ldc, c70, c71, accumulate); Row(c + 8 * ldc, c80, c81, accumulate);
                Row(c + 9 * ldc, c90, c91, accumulate); Row(c + 10 * ldc, ca0, ca1, accumulate); Row(c + 11 * ldc, cb0, cb1, accumulate);
            }
            return;
        }
        float* t = stackalloc float[12 * 32];
        c00.Store(t); c01.Store(t + w); c10.Store(t + NR); c11.Store(t + NR + w); c20.Store(t + 2 * NR); c21.Store(t + 2 * NR + w);
        c30.Store(t + 3 * NR); c31.Store(t + 3 * NR + w); c40.Store(t + 4 * NR); c41.Store(t + 4 * NR + w); c50.Store(t + 5 * NR); c51.Store(t + 5 * NR + w);
        if (MR == 12)
        {
            c60.Store(t + 6 * NR); c61.Store(t + 6 * NR + w); c70.Store(t + 7 * NR); c71.Store(t + 7 * NR + w); c80.Store(t + 8 * NR); c81.Store(t + 8 * NR + w);
            c90.Store(t + 9 * NR); c91.Store(t + 9 * NR + w); ca0.Store(t + 10 * NR); ca1.Store(t + 10 * NR + w); cb0.Store(t + 11 * NR); cb1.Store(t + 11 * NR + w);
        }
        for (int r = 0; r < mr; r++)
            for (int j = 0; j < nr; j++)
                c[(long)r * ldc + j] = accumulate ? c[(long)r * ldc + j] + t[r * NR + j] : t[r * NR + j];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Row(float* c, TV lo, TV hi, bool accumulate)
    {
        if (accumulate) { lo += TV.Load(c); hi += TV.Load(c + TV.Count); }
        lo.Store(c); hi.Store(c + TV.Count);
    }
}
