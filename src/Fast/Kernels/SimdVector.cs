using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

[assembly: InternalsVisibleTo("NetNumerics.Properties")]
[assembly: InternalsVisibleTo("NetNumerics.Bench")]

namespace NetNumerics.Fast.Kernels;

/// <summary>
/// The few vector operations an optimizer kernel needs, over one vector width (Vector512/256/128)
/// or one scalar lane. A kernel is written once, generic over this interface, and the driver runs it
/// at the widest accelerated width and finishes the tail with <see cref="Lane{T}"/>: every lane of
/// every width computes the same IEEE operations in the same order, so the result does not depend on
/// the width or on where the tail starts. (.NET's own ISimdVector is internal.)
/// </summary>
internal unsafe interface IVec<TSelf, T> where TSelf : struct, IVec<TSelf, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    static abstract int Count { get; }
    static abstract TSelf Load(T* source);
    void Store(T* destination);
    static abstract TSelf Create(T value);
    static abstract TSelf operator +(TSelf a, TSelf b);
    static abstract TSelf operator -(TSelf a, TSelf b);
    static abstract TSelf operator *(TSelf a, TSelf b);
    static abstract TSelf operator /(TSelf a, TSelf b);
    static abstract TSelf Sqrt(TSelf a);
    /// <summary>IEEE 754 maximum, as T.Max (NaN propagates, +0 &gt; -0).</summary>
    static abstract TSelf Max(TSelf a, TSelf b);
    static abstract TSelf Min(TSelf a, TSelf b);
    static abstract TSelf Abs(TSelf a);
    /// <summary>IEEE 754 negation: flips the sign bit (so -(+0) is -0), as T's unary minus.</summary>
    static abstract TSelf operator -(TSelf a);
    /// <summary><c>a*b + c</c> rounded once, as T.FusedMultiplyAdd.</summary>
    static abstract TSelf FusedMultiplyAdd(TSelf a, TSelf b, TSelf c);
}

internal readonly unsafe struct V512<T>(Vector512<T> v) : IVec<V512<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly Vector512<T> _v = v;
    public static int Count => Vector512<T>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512<T> Load(T* s) => new(Vector512.Load(s));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Store(T* d) => _v.Store(d);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512<T> Create(T x) => new(Vector512.Create(x));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512<T> operator +(V512<T> a, V512<T> b) => new(a._v + b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512<T> operator -(V512<T> a, V512<T> b) => new(a._v - b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512<T> operator *(V512<T> a, V512<T> b) => new(a._v * b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512<T> operator /(V512<T> a, V512<T> b) => new(a._v / b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512<T> Sqrt(V512<T> a) => new(Vector512.Sqrt(a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512<T> Max(V512<T> a, V512<T> b) => new(Vector512.Max(a._v, b._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512<T> Min(V512<T> a, V512<T> b) => new(Vector512.Min(a._v, b._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512<T> Abs(V512<T> a) => new(Vector512.Abs(a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512<T> operator -(V512<T> a) => new(a._v ^ Vector512.Create(T.NegativeZero));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V512<T> FusedMultiplyAdd(V512<T> a, V512<T> b, V512<T> c)
    {
        if (typeof(T) == typeof(float))
            return new(Vector512.FusedMultiplyAdd(a._v.AsSingle(), b._v.AsSingle(), c._v.AsSingle()).As<float, T>());
        if (typeof(T) == typeof(double))
            return new(Vector512.FusedMultiplyAdd(a._v.AsDouble(), b._v.AsDouble(), c._v.AsDouble()).As<double, T>());
        throw new NotSupportedException($"Vector512<{typeof(T).Name}> has no fused multiply-add.");
    }
}

internal readonly unsafe struct V256<T>(Vector256<T> v) : IVec<V256<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly Vector256<T> _v = v;
    public static int Count => Vector256<T>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256<T> Load(T* s) => new(Vector256.Load(s));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Store(T* d) => _v.Store(d);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256<T> Create(T x) => new(Vector256.Create(x));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256<T> operator +(V256<T> a, V256<T> b) => new(a._v + b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256<T> operator -(V256<T> a, V256<T> b) => new(a._v - b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256<T> operator *(V256<T> a, V256<T> b) => new(a._v * b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256<T> operator /(V256<T> a, V256<T> b) => new(a._v / b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256<T> Sqrt(V256<T> a) => new(Vector256.Sqrt(a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256<T> Max(V256<T> a, V256<T> b) => new(Vector256.Max(a._v, b._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256<T> Min(V256<T> a, V256<T> b) => new(Vector256.Min(a._v, b._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256<T> Abs(V256<T> a) => new(Vector256.Abs(a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256<T> operator -(V256<T> a) => new(a._v ^ Vector256.Create(T.NegativeZero));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V256<T> FusedMultiplyAdd(V256<T> a, V256<T> b, V256<T> c)
    {
        if (typeof(T) == typeof(float))
            return new(Vector256.FusedMultiplyAdd(a._v.AsSingle(), b._v.AsSingle(), c._v.AsSingle()).As<float, T>());
        if (typeof(T) == typeof(double))
            return new(Vector256.FusedMultiplyAdd(a._v.AsDouble(), b._v.AsDouble(), c._v.AsDouble()).As<double, T>());
        throw new NotSupportedException($"Vector256<{typeof(T).Name}> has no fused multiply-add.");
    }
}

internal readonly unsafe struct V128<T>(Vector128<T> v) : IVec<V128<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly Vector128<T> _v = v;
    public static int Count => Vector128<T>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V128<T> Load(T* s) => new(Vector128.Load(s));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Store(T* d) => _v.Store(d);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V128<T> Create(T x) => new(Vector128.Create(x));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V128<T> operator +(V128<T> a, V128<T> b) => new(a._v + b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V128<T> operator -(V128<T> a, V128<T> b) => new(a._v - b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V128<T> operator *(V128<T> a, V128<T> b) => new(a._v * b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V128<T> operator /(V128<T> a, V128<T> b) => new(a._v / b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V128<T> Sqrt(V128<T> a) => new(Vector128.Sqrt(a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V128<T> Max(V128<T> a, V128<T> b) => new(Vector128.Max(a._v, b._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V128<T> Min(V128<T> a, V128<T> b) => new(Vector128.Min(a._v, b._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V128<T> Abs(V128<T> a) => new(Vector128.Abs(a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V128<T> operator -(V128<T> a) => new(a._v ^ Vector128.Create(T.NegativeZero));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128<T> FusedMultiplyAdd(V128<T> a, V128<T> b, V128<T> c)
    {
        if (typeof(T) == typeof(float))
            return new(Vector128.FusedMultiplyAdd(a._v.AsSingle(), b._v.AsSingle(), c._v.AsSingle()).As<float, T>());
        if (typeof(T) == typeof(double))
            return new(Vector128.FusedMultiplyAdd(a._v.AsDouble(), b._v.AsDouble(), c._v.AsDouble()).As<double, T>());
        throw new NotSupportedException($"Vector128<{typeof(T).Name}> has no fused multiply-add.");
    }
}

/// <summary>One scalar lane: the tail of every kernel and the fallback when no vector width is accelerated.</summary>
internal readonly unsafe struct Lane<T>(T v) : IVec<Lane<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly T _v = v;
    public static int Count => 1;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane<T> Load(T* s) => new(*s);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Store(T* d) => *d = _v;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane<T> Create(T x) => new(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane<T> operator +(Lane<T> a, Lane<T> b) => new(a._v + b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane<T> operator -(Lane<T> a, Lane<T> b) => new(a._v - b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane<T> operator *(Lane<T> a, Lane<T> b) => new(a._v * b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane<T> operator /(Lane<T> a, Lane<T> b) => new(a._v / b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane<T> Sqrt(Lane<T> a) => new(T.Sqrt(a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane<T> Max(Lane<T> a, Lane<T> b) => new(T.Max(a._v, b._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane<T> Min(Lane<T> a, Lane<T> b) => new(T.Min(a._v, b._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane<T> Abs(Lane<T> a) => new(T.Abs(a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane<T> operator -(Lane<T> a) => new(-a._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane<T> FusedMultiplyAdd(Lane<T> a, Lane<T> b, Lane<T> c) => new(T.FusedMultiplyAdd(a._v, b._v, c._v));
}

/// <summary>An elementwise kernel: reads and writes its arrays at [i, i + TV.Count).</summary>
internal interface IKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    void Apply<TV>(nint i) where TV : struct, IVec<TV, T>;
}

/// <summary>
/// Runs a kernel over n elements in one pass: the widest vectors <see cref="SimdWidth.Current"/> allows (two per
/// iteration), then one-lane tail. <see cref="SimdWidth.Limit"/> caps the width, so every path can be checked.
/// </summary>
internal static class KernelDriver
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T, TK>(ref TK kernel, int n) where T : unmanaged, IFloatingPointIeee754<T> where TK : struct, IKernel<T>
    {
        nint i = 0;
        switch (SimdWidth.Current)
        {
            case VectorWidth.Bits512: i = Loop<T, TK, V512<T>>(ref kernel, n); break;
            case VectorWidth.Bits256: i = Loop<T, TK, V256<T>>(ref kernel, n); break;
            case VectorWidth.Bits128: i = Loop<T, TK, V128<T>>(ref kernel, n); break;
        }
        for (; i < n; i++) kernel.Apply<Lane<T>>(i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static nint Loop<T, TK, TV>(ref TK kernel, int n) where T : unmanaged, IFloatingPointIeee754<T> where TK : struct, IKernel<T> where TV : struct, IVec<TV, T>
    {
        nint i = 0, w = TV.Count;
        for (; i <= n - 2 * w; i += 2 * w)
        {
            kernel.Apply<TV>(i);
            kernel.Apply<TV>(i + w);
        }
        for (; i <= n - w; i += w) kernel.Apply<TV>(i);
        return i;
    }
}
