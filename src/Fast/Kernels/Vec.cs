using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetNumerics.Fast.Kernels;

/// <summary>
/// Short-run float helpers for the CNN's inner loops (runs of a few dozen floats, where a Span/TensorPrimitives call
/// costs more than the work): Vector512 body when AVX-512 is there, Vector256 body (or the rest of a Vector512 run), scalar
/// tail. Each element gets exactly one IEEE operation, so the width never changes a bit.
/// </summary>
internal static unsafe class Vec
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy(float* src, float* dst, int count)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated) for (; i + 16 <= count; i += 16) Vector512.Store(Vector512.Load(src + i), dst + i);
        for (; i + 8 <= count; i += 8) Vector256.Store(Vector256.Load(src + i), dst + i);
        for (; i < count; i++) dst[i] = src[i];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Zero(float* dst, int count)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated) for (; i + 16 <= count; i += 16) Vector512.Store(Vector512<float>.Zero, dst + i);
        for (; i + 8 <= count; i += 8) Vector256.Store(Vector256<float>.Zero, dst + i);
        for (; i < count; i++) dst[i] = 0;
    }

    /// <summary>dst[i] += src[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(float* dst, float* src, int count)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated) for (; i + 16 <= count; i += 16) Vector512.Store(Vector512.Load(dst + i) + Vector512.Load(src + i), dst + i);
        for (; i + 8 <= count; i += 8) Vector256.Store(Vector256.Load(dst + i) + Vector256.Load(src + i), dst + i);
        for (; i < count; i++) dst[i] += src[i];
    }
}
