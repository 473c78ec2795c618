using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using NetNumerics.Fast.Kernels;
using NetNumerics.Fast.Optimizers;

namespace NetNumerics.Bench.Probes;

/// <summary>
/// The machine's fp32 FMA throughput, measured in the same run as the kernels it is the yardstick for: 12 independent
/// chains a = a * m + c per thread on the widest accelerated vectors (Vector512 with AVX-512, else Vector256), enough to
/// keep two FMA pipes of 4-cycle latency busy (8 chains in flight) with registers to spare (12 + 2 of 16 ymm). Each thread
/// runs <see cref="Iterations"/> rounds of the 12 chains on the same persistent workers the CNN uses (<see cref="WorkerPool"/>).
/// </summary>
internal static class FmaPeak
{
    public const long Iterations = 1 << 22;
    const int Chains = 12;

    public static string Width => Vector512.IsHardwareAccelerated ? "AVX-512 (Vector512)" : Vector256.IsHardwareAccelerated ? "AVX2 (Vector256)" : "Vector128";
    static int Lanes => Vector512.IsHardwareAccelerated ? 16 : Vector256.IsHardwareAccelerated ? 8 : 4;

    /// <summary>Floating-point operations of one thread's run (2 per lane per FMA).</summary>
    public static double FlopsPerThread => (double)Iterations * Chains * Lanes * 2;

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
    public static double Measure(WorkerPool pool, int threads)
    {
        Action<int> body = _ => Run(Iterations);
        long t0 = Stopwatch.GetTimestamp();
        pool.Run(body, threads);
        return threads * FlopsPerThread / Stopwatch.GetElapsedTime(t0).TotalSeconds / 1e9;
    }
}

/// <summary>
/// BenchmarkDotNet form of <see cref="FmaPeak"/>, to run next to the CNN benchmarks:
/// GFLOP/s = Threads x FlopsPerThread / Mean (FlopsPerThread = 2^22 x 12 x lanes x 2: 0.805 GFLOP with Vector256, 1.61 with Vector512).
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15)]
[MinColumn, MedianColumn]
public class FmaPeakBenchmarks
{
    WorkerPool pool = null!;
    Action<int> body = null!;

    [Params(1, 2)] public int Threads;

    [GlobalSetup]
    public void Setup()
    {
        pool = new WorkerPool(Threads);
        body = _ => FmaPeak.Run(FmaPeak.Iterations);
        Console.WriteLine($"// FMA probe: {FmaPeak.Width}, {FmaPeak.FlopsPerThread / 1e9:F3} GFLOP per thread per invocation");
    }

    [GlobalCleanup] public void Cleanup() => pool.Dispose();

    [Benchmark] public void FmaChains() => pool.Run(body, Threads);
}
