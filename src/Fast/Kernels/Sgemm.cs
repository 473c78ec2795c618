using System.Runtime.Intrinsics;
using NetNumerics.Fast.Optimizers;

namespace NetNumerics.Fast.Kernels;

/// <summary>Packing buffers of <see cref="Sgemm"/>, allocated once (64-byte aligned, pinned) and reused: no allocation per call.</summary>
internal sealed unsafe class GemmWorkspace
{
    internal float* PackA, PackB;
    int capacityB;
    ArraySegment<float> a, b;

    public GemmWorkspace(int maxN = 256)
    {
        a = AlignedBuffer.Allocate<float>(12 * Sgemm.KC);   // one panel of the widest tile's 12 rows
        fixed (float* p = a.Array) PackA = p + a.Offset;
        EnsureN(maxN);
    }

    internal void EnsureN(int n)
    {
        int need = (n + 31) / 32 * 32 * Sgemm.KC;   // panels of the widest tile's 32 columns
        if (need <= capacityB) return;
        b = AlignedBuffer.Allocate<float>(need);
        fixed (float* p = b.Array) PackB = p + b.Offset;
        capacityB = need;
    }
}

/// <summary>
/// Single-precision GEMM, C (+)= A B, at the widest accelerated vector width (<see cref="Gemm{TV}"/>: one micro-kernel for
/// every operand layout). A and B are strided views (element (i, k) of A at a[i * aRow + k * aCol]) so transposes cost
/// nothing: A is never packed (full tiles broadcast from it in place), B is packed into panels per K block, or once for
/// many calls (<see cref="Pack"/>, <see cref="MultiplyPacked"/>), e.g. weights once per training step. C is row-major with
/// row stride ldc. Single-threaded and deterministic: each C element is summed in a fixed order that depends only on K,
/// the same at every vector width.
/// </summary>
internal static unsafe class Sgemm
{
    public const int KC = 256, MC = 192;

    /// <summary>512, 256 or 128: the vector width every call uses (the widest accelerated one).</summary>
    internal static readonly int Width = Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 128;

    /// <summary>Rows of the register tile at <see cref="Width"/>.</summary>
    public static int MR => Width == 512 ? Gemm<V512<float>>.MR : Width == 256 ? Gemm<V256<float>>.MR : Gemm<V128<float>>.MR;

    /// <summary>Columns of the register tile (and of a packed B panel) at <see cref="Width"/>.</summary>
    public static int NR => Width == 512 ? Gemm<V512<float>>.NR : Width == 256 ? Gemm<V256<float>>.NR : Gemm<V128<float>>.NR;

    /// <summary>Depth of the K blocks <see cref="Multiply"/> cuts k into: ceil(k / KC) blocks of equal depth, the last shorter by
    /// the remainder. Calling Multiply on each such block in turn (accumulating after the first) gives the same bits as one call.</summary>
    public static int BlockDepth(int k) => Gemm<V128<float>>.BlockDepth(k);

    /// <summary>Floats needed by <see cref="Pack"/> for a k x n B.</summary>
    public static int PackedLength(int k, int n) => (n + NR - 1) / NR * NR * Math.Max(k, 1);

    /// <summary>Pack B[k x n] (element (k, j) at b[k * bRow + j * bCol]) for <see cref="MultiplyPacked"/>: K block after K block, each as NR-column panels.</summary>
    public static void Pack(int k, int n, float* b, int bRow, int bCol, float* dst)
    {
        if (Width == 512) Gemm<V512<float>>.Pack(k, n, b, bRow, bCol, dst);
        else if (Width == 256) Gemm<V256<float>>.Pack(k, n, b, bRow, bCol, dst);
        else Gemm<V128<float>>.Pack(k, n, b, bRow, bCol, dst);
    }

    /// <summary>C[m x n] = (accumulate ? C : 0) + A[m x k] B[k x n].</summary>
    public static void Multiply(int m, int n, int k, float* a, int aRow, int aCol, float* b, int bRow, int bCol,
        float* c, int ldc, bool accumulate, GemmWorkspace ws)
    {
        if (Width == 512) Gemm<V512<float>>.Multiply(m, n, k, a, aRow, aCol, b, bRow, bCol, c, ldc, accumulate, ws);
        else if (Width == 256) Gemm<V256<float>>.Multiply(m, n, k, a, aRow, aCol, b, bRow, bCol, c, ldc, accumulate, ws);
        else Gemm<V128<float>>.Multiply(m, n, k, a, aRow, aCol, b, bRow, bCol, c, ldc, accumulate, ws);
    }

    /// <summary>C[m x n] = (accumulate ? C : 0) + A[m x k] B[k x n] with B prepared by <see cref="Pack"/>.</summary>
    public static void MultiplyPacked(int m, int n, int k, float* a, int aRow, int aCol, float* packedB,
        float* c, int ldc, bool accumulate, GemmWorkspace ws)
    {
        if (Width == 512) Gemm<V512<float>>.MultiplyPacked(m, n, k, a, aRow, aCol, packedB, c, ldc, accumulate, ws);
        else if (Width == 256) Gemm<V256<float>>.MultiplyPacked(m, n, k, a, aRow, aCol, packedB, c, ldc, accumulate, ws);
        else Gemm<V128<float>>.MultiplyPacked(m, n, k, a, aRow, aCol, packedB, c, ldc, accumulate, ws);
    }

    /// <summary>
    /// C[m x n] = (accumulate ? C : 0) + A^T B for A[k x m] (row r at a + r lda) and B[k x n] (row r at b + r ldb), both read in place (no packing),
    /// K in blocks of exactly <see cref="KC"/> rows (a conv weight gradient with few taps: col^T dY). Requires n % <see cref="NR"/> == 0.
    /// </summary>
    public static void OuterProductSum(int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate, GemmWorkspace ws)
    {
        if (n % NR != 0) throw new ArgumentException($"n = {n} must be a multiple of NR = {NR}.", nameof(n));
        if (Width == 512) Gemm<V512<float>>.OuterProductSum(m, n, k, a, lda, b, ldb, c, ldc, accumulate, ws);
        else if (Width == 256) Gemm<V256<float>>.OuterProductSum(m, n, k, a, lda, b, ldb, c, ldc, accumulate, ws);
        else Gemm<V128<float>>.OuterProductSum(m, n, k, a, lda, b, ldb, c, ldc, accumulate, ws);
    }
}
