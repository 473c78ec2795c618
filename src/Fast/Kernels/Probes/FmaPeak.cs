using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetNumerics.Fast.Kernels.Probes;

/// <summary>
/// The machine's fp32 FMA throughput, measured in the same run as the kernels it is the yardstick for: 12 independent
/// chains a = a * m + c per thread on the widest accelerated vectors (Vector512 with AVX-512, else Vector256), enough to
/// keep two FMA pipes of 4-cycle latency busy (8 chains in flight) with registers to spare (12 + 2 of 16 ymm). Each thread
/// runs <see cref="Iterations"/> rounds of the 12 chains on the same persistent workers the CNN uses (<see cref="WorkerPool"/>).
/// One place for the BenchmarkDotNet suites (bench/Probes, bench/Nn) and the `numerics bench` command.
/// </summary>
internal static class FmaPeak
{
    public const long Iterations = 1 << 22;
    const int Chains = 12;

    /// <summary>The widest accelerated vector width, as the probe and the kernels use it.</summary>
    public static string Width => Vector512.IsHardwareAccelerated ? "AVX-512 (Vector512)" : Vector256.IsHardwareAccelerated ? "AVX2 (Vector256)" : "Vector128";

    /// <summary>Bits of the widest accelerated vector (512, 256 or 128).</summary>
    public static int WidthBits => Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 128;

    static int Lanes => WidthBits / 32;

    /// <summary>Floating-point operations of one thread's run of <see cref="Iterations"/> (2 per lane per FMA).</summary>
    public static double FlopsPerThread => FlopsOf(Iterations);

    /// <summary>Floating-point operations of one thread's run of <paramref name="iterations"/>.</summary>
    public static double FlopsOf(long iterations) => (double)iterations * Chains * Lanes * 2;

    public static float Run(long iterations) => Vector512.IsHardwareAccelerated ? Run<V512<float>>(iterations)
        : Vector256.IsHardwareAccelerated ? Run<V256<float>>(iterations) : Run<V128<float>>(iterations);

    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    static unsafe float Run<TV>(long iterations) where TV : struct, IVec<TV, float>
    {
        // a -> 0.999 a + 1e-3 converges to 1: no overflow, no subnormals, and the JIT cannot fold the loop away.
        TV m = TV.Create(0.999f), c = TV.Create(1e-3f);
        TV a0 = TV.Create(0.1f), a1 = TV.Create(0.2f), a2 = TV.Create(0.3f), a3 = TV.Create(0.4f), a4 = TV.Create(0.5f), a5 = TV.Create(0.6f),
           a6 = TV.Create(0.7f), a7 = TV.Create(0.8f), a8 = TV.Create(0.9f), a9 = TV.Create(1.1f), a10 = TV.Create(1.2f), a11 = TV.Create(1.3f);
        for (long i = 0; i < iterations; i++)
        {
            a0 = TV.FusedMultiplyAdd(a0, m, c); a1 = TV.FusedMultiplyAdd(a1, m, c); a2 = TV.FusedMultiplyAdd(a2, m, c);
            a3 = TV.FusedMultiplyAdd(a3, m, c); a4 = TV.FusedMultiplyAdd(a4, m, c); a5 = TV.FusedMultiplyAdd(a5, m, c);
            a6 = TV.FusedMultiplyAdd(a6, m, c); a7 = TV.FusedMultiplyAdd(a7, m, c); a8 = TV.FusedMultiplyAdd(a8, m, c);
            a9 = TV.FusedMultiplyAdd(a9, m, c); a10 = TV.FusedMultiplyAdd(a10, m, c); a11 = TV.FusedMultiplyAdd(a11, m, c);
        }
        var sum = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11;
        float* lanes = stackalloc float[16];
        sum.Store(lanes);
        return lanes[0];
    }

    /// <summary>GFLOP/s of <paramref name="threads"/> threads running the chains at once (wall time of the slowest).</summary>
    public static double Measure(WorkerPool pool, int threads) => Measure(pool, threads, Iterations);

    /// <summary>The same with <paramref name="iterations"/> rounds per thread.</summary>
    public static double Measure(WorkerPool pool, int threads, long iterations)
    {
        Action<int> body = _ => Run(iterations);
        long t0 = Stopwatch.GetTimestamp();
        pool.Run(body, threads);
        return threads * FlopsOf(iterations) / Stopwatch.GetElapsedTime(t0).TotalSeconds / 1e9;
    }
}
