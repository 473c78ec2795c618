using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetNumerics.Fast.Kernels;

/// <summary>
/// Short-run float helpers for the CNN's inner loops (runs of a few dozen floats, where a Span/TensorPrimitives call
/// costs more than the work): Vector512 body when AVX-512 is there, Vector256 body (or the rest of a Vector512 run), scalar
/// tail. Each element gets exactly one IEEE operation, so the width never changes a bit.
/// </summary>
/// <remarks>
/// Kept outside the <see cref="IVec{TSelf, T}"/> idiom on purpose. The same three loops as IKernel structs run by
/// <see cref="KernelDriver.RunHere"/> (the width read on every call, a two-vector loop, a one-lane tail of up to
/// 2 x Count - 1 elements) made the seed CNN step slower: 61.0 % against 62.9 % of the in-run FMA probe per CPU-second
/// at 1 thread (about 3 %), the folded build slower in all 8 paired runs of <c>numerics bench --sections cnn</c> (AMD EPYC
/// Zen 3, AVX2, 2026-12-01, load average 20-27). im2col calls these for every output pixel and kernel row, with runs as
/// short as 3 floats (conv1), so per-call overhead counts.
/// </remarks>
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
