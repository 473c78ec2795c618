using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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
    /// <summary>Per lane a &gt; b ? ifTrue : ifFalse (false when either is NaN), as the scalar comparison.</summary>
    static abstract TSelf SelectGreater(TSelf a, TSelf b, TSelf ifTrue, TSelf ifFalse);
    /// <summary>Rounds toward negative infinity, as T.Floor (exact: no rounding error at any width).</summary>
    static abstract TSelf Floor(TSelf a);
    /// <summary>0, 1, ..., Count - 1 in the lanes (one lane: 0): a run of consecutive integers is <c>Create(first) + Indices</c>.</summary>
    static abstract TSelf Indices { get; }
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
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V512<T> SelectGreater(V512<T> a, V512<T> b, V512<T> t, V512<T> f) => new(Vector512.ConditionalSelect(Vector512.GreaterThan(a._v, b._v), t._v, f._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V512<T> Floor(V512<T> a)
    {
        if (typeof(T) == typeof(float)) return new(Vector512.Floor(a._v.AsSingle()).As<float, T>());
        if (typeof(T) == typeof(double)) return new(Vector512.Floor(a._v.AsDouble()).As<double, T>());
        throw new NotSupportedException($"Vector512<{typeof(T).Name}> has no floor.");
    }
    public static V512<T> Indices { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => new(Vector512<T>.Indices); }
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
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V256<T> SelectGreater(V256<T> a, V256<T> b, V256<T> t, V256<T> f) => new(Vector256.ConditionalSelect(Vector256.GreaterThan(a._v, b._v), t._v, f._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V256<T> Floor(V256<T> a)
    {
        if (typeof(T) == typeof(float)) return new(Vector256.Floor(a._v.AsSingle()).As<float, T>());
        if (typeof(T) == typeof(double)) return new(Vector256.Floor(a._v.AsDouble()).As<double, T>());
        throw new NotSupportedException($"Vector256<{typeof(T).Name}> has no floor.");
    }
    public static V256<T> Indices { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => new(Vector256<T>.Indices); }
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
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128<T> SelectGreater(V128<T> a, V128<T> b, V128<T> t, V128<T> f) => new(Vector128.ConditionalSelect(Vector128.GreaterThan(a._v, b._v), t._v, f._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128<T> Floor(V128<T> a)
    {
        if (typeof(T) == typeof(float)) return new(Vector128.Floor(a._v.AsSingle()).As<float, T>());
        if (typeof(T) == typeof(double)) return new(Vector128.Floor(a._v.AsDouble()).As<double, T>());
        throw new NotSupportedException($"Vector128<{typeof(T).Name}> has no floor.");
    }
    public static V128<T> Indices { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => new(Vector128<T>.Indices); }
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
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane<T> SelectGreater(Lane<T> a, Lane<T> b, Lane<T> t, Lane<T> f) => a._v > b._v ? t : f;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane<T> FusedMultiplyAdd(Lane<T> a, Lane<T> b, Lane<T> c) => new(T.FusedMultiplyAdd(a._v, b._v, c._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane<T> Floor(Lane<T> a) => new(T.Floor(a._v));
    public static Lane<T> Indices { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => new(T.Zero); }
    /// <summary>The lane's value (a scalar evaluation of a width-generic formula).</summary>
    public T Value { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => _v; }
}

/// <summary>An elementwise kernel: reads and writes its arrays at [i, i + TV.Count).</summary>
internal interface IKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    void Apply<TV>(nint i) where TV : struct, IVec<TV, T>;
}

/// <summary>Work over a range of elements at a vector width, as <see cref="KernelDriver.RunBlocks"/> hands out: a block
/// body sees whole blocks of <see cref="KernelDriver.ParallelBlock"/> elements (the last one shorter), or the whole run
/// when it stays on the calling thread.</summary>
internal interface IBlockBody
{
    void Block(nint start, nint end, VectorWidth width);
}

/// <summary>
/// Runs a kernel over n elements in one pass: the widest vectors <see cref="SimdWidth.Current"/> allows (two per
/// iteration), then one-lane tail. <see cref="SimdWidth.Limit"/> caps the width, so every path can be checked; the width
/// is read once, on the calling thread, and handed to the workers (they do not see the caller's scope).
/// Large runs (at least <see cref="ParallelMin"/> elements) are cut into fixed blocks of
/// <see cref="ParallelBlock"/> elements that up to <see cref="MaxThreads"/> threads of a shared
/// <see cref="WorkerPool"/> claim in turn. Every element gets the same operations whoever runs it and
/// wherever a block or the tail starts, so the bits do not depend on the thread count.
/// </summary>
internal static class KernelDriver
{
    /// <summary>0 = <see cref="MaxThreads"/>; otherwise the threads a large run started on this thread may use, whatever
    /// <see cref="MaxThreads"/> says (the bench command's 1- and 2-thread rows, without touching the process-wide setting). Per thread.</summary>
    [ThreadStatic] internal static int ThreadsHere;

    /// <summary>Elements per parallel block: 64 KiB of each float array, a multiple of every vector width.</summary>
    internal const int ParallelBlock = 1 << 14;

    /// <summary>Below this a run stays on the calling thread: a round trip through the pool costs tens of microseconds when the
    /// other core is free and milliseconds when it is busy, against about 0.3 ms for an Adam update of a million floats.</summary>
    internal const int ParallelMin = 1 << 20;

    static int maxThreads = Environment.ProcessorCount;
    static long parallelRuns;

    /// <summary>Runs that went to the pool so far (tests check the parallel path really ran).</summary>
    internal static long ParallelRuns => Interlocked.Read(ref parallelRuns);
    static readonly Lazy<WorkerPool> SharedPool = new(() => new WorkerPool(Environment.ProcessorCount));
    static readonly object PoolLock = new();

    /// <summary>Threads a large run may use (1 = always the calling thread); at most the processor count is used.</summary>
    internal static int MaxThreads
    {
        get => maxThreads;
        set { Guard.Positive(value, nameof(MaxThreads)); maxThreads = value; }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T, TK>(ref TK kernel, int n) where T : unmanaged, IFloatingPointIeee754<T> where TK : struct, IKernel<T>
    {
        VectorWidth width = SimdWidth.Current;
        var blocks = new KernelBlocks<T, TK> { Kernel = kernel };
        if (!TryParallel(ref blocks, n, width)) RunRange<T, TK>(ref kernel, 0, n, width);
    }

    /// <summary>A block body over n elements: on the pool in the fixed blocks of <see cref="Run{T, TK}"/> (same threshold and
    /// threads), else one call over [0, n) on the calling thread. The width is read here, on the calling thread.</summary>
    public static void RunBlocks<TB>(ref TB body, int n) where TB : struct, IBlockBody
    {
        VectorWidth width = SimdWidth.Current;
        if (!TryParallel(ref body, n, width)) body.Block(0, n, width);
    }

    /// <summary>Runs the blocks on the shared pool when the run is large, the caller may use more than one thread and the pool
    /// is free (it runs one job at a time: a caller that finds it busy, another thread's update, runs on its own thread).</summary>
    static bool TryParallel<TB>(ref TB body, int n, VectorWidth width) where TB : struct, IBlockBody
    {
        if (n < ParallelMin) return false;
        int threads = Math.Min(ThreadsHere == 0 ? maxThreads : ThreadsHere, Environment.ProcessorCount);
        if (threads <= 1 || !Monitor.TryEnter(PoolLock)) return false;
        try
        {
            var job = ParallelJob<TB>.ForThisThread();
            job.Body = body; job.N = n; job.Width = width; job.Next = 0;
            SharedPool.Value.Run(job.Work, Math.Min(threads, (n + ParallelBlock - 1) / ParallelBlock));
            Interlocked.Increment(ref parallelRuns);
        }
        finally { Monitor.Exit(PoolLock); }
        return true;
    }

    /// <summary>A kernel as a block body: each block runs it over its range.</summary>
    struct KernelBlocks<T, TK> : IBlockBody where T : unmanaged, IFloatingPointIeee754<T> where TK : struct, IKernel<T>
    {
        public TK Kernel;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void Block(nint start, nint end, VectorWidth width)
        {
            var k = Kernel;
            RunRange<T, TK>(ref k, start, end, width);
        }
    }

    /// <summary>The same, never leaving the calling thread: for callers that are themselves one of several workers (the CNN's layers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RunHere<T, TK>(ref TK kernel, int n) where T : unmanaged, IFloatingPointIeee754<T> where TK : struct, IKernel<T> =>
        RunRange<T, TK>(ref kernel, 0, n, SimdWidth.Current);

    /// <summary>The same at a width the caller picks, on the calling thread: <see cref="VectorWidth.Scalar"/> runs every element on one
    /// lane; a width the CPU does not accelerate runs in software (.NET performs the same IEEE operation per lane), so tests can
    /// check every width on any machine.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RunAt<T, TK>(ref TK kernel, int n, VectorWidth width) where T : unmanaged, IFloatingPointIeee754<T> where TK : struct, IKernel<T> =>
        RunRange<T, TK>(ref kernel, 0, n, width);

    /// <summary>Elements [start, end): vectors of <paramref name="width"/> (an accelerated width, as SimdWidth.Current gives), then one-lane tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void RunRange<T, TK>(ref TK kernel, nint start, nint end, VectorWidth width) where T : unmanaged, IFloatingPointIeee754<T> where TK : struct, IKernel<T>
    {
        nint i = start;
        switch (width)
        {
            case VectorWidth.Bits512: i = Loop<T, TK, V512<T>>(ref kernel, start, end); break;
            case VectorWidth.Bits256: i = Loop<T, TK, V256<T>>(ref kernel, start, end); break;
            case VectorWidth.Bits128: i = Loop<T, TK, V128<T>>(ref kernel, start, end); break;
        }
        for (; i < end; i++) kernel.Apply<Lane<T>>(i);
    }

    // Not inlined into RunRange: with all three widths' loops (each inlining the kernel's Apply twice) in one method the
    // JIT ran out of inlining budget before the Vector256 case, so on AVX2 machines kernels with larger bodies (SGD, Adadelta,
    // RAdam) called Apply out of line and ran slower than the scalar Reference. One method per width keeps each loop's
    // Apply inlined; AggressiveOptimization compiles it optimized at once (no tier-0 loop in a first measurement).
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    static nint Loop<T, TK, TV>(ref TK kernel, nint start, nint end) where T : unmanaged, IFloatingPointIeee754<T> where TK : struct, IKernel<T> where TV : struct, IVec<TV, T>
    {
        nint i = start, w = TV.Count;
        for (; i <= end - 2 * w; i += 2 * w)
        {
            kernel.Apply<TV>(i);
            kernel.Apply<TV>(i + w);
        }
        for (; i <= end - w; i += w) kernel.Apply<TV>(i);
        return i;
    }

    /// <summary>One large run handed to the pool: the block body (copied to each worker: bodies are pointers and scalars)
    /// and a block counter. One per calling thread and body type, reused: nothing is allocated per run.</summary>
    sealed class ParallelJob<TB> where TB : struct, IBlockBody
    {
        [ThreadStatic] static ParallelJob<TB>? current;
        public static ParallelJob<TB> ForThisThread() => current ??= new ParallelJob<TB>();

        public TB Body;
        public int N, Next;
        public VectorWidth Width;
        public readonly Action<int> Work;

        ParallelJob() => Work = Blocks;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void Blocks(int worker)
        {
            var body = Body;
            for (int b; (b = Interlocked.Increment(ref Next) - 1) < (N + ParallelBlock - 1) / ParallelBlock;)
            {
                nint start = (nint)b * ParallelBlock;
                body.Block(start, Math.Min(N, start + ParallelBlock), Width);
            }
        }
    }
}
