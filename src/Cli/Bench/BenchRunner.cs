using System.Diagnostics;
using NetNumerics.Fast.Kernels;
using NetNumerics.Fast.Kernels.Probes;
using NetNumerics.Fast.Nn;
using NetNumerics.Fast.Optimizers;
using NetNumerics.Nn;
using NetNumerics.Optimizers;
using NetNumerics.Reference.Optimizers;
using NetNumerics.Training;

namespace NetNumerics.Cli.Bench;

/// <summary>
/// Runs the sections of `numerics bench` in the order that keeps each figure next to its yardstick: the CNN step with the FMA
/// probe's samples between its steps (or the FMA probe alone), then the copy probe, then the optimizers (their bytes/s
/// against that copy). The
/// probes are the ones the BenchmarkDotNet suites use (src/Fast/Kernels/Probes). Thread counts are set for the calling
/// thread only (<see cref="KernelDriver.ThreadsHere"/>), never the process-wide FastOptimizers.MaxDegreeOfParallelism.
/// </summary>
static class BenchRunner
{
    public static BenchResults Run(BenchPlan plan, BenchSections sections, IReadOnlyList<OptimizerSpec> optimizers, Action<string> progress)
    {
        var results = new BenchResults
        {
            Cpu = MachineInfo.CpuModel(),
            Cores = Environment.ProcessorCount,
            VectorWidth = FmaPeak.Width,
            VectorBits = FmaPeak.WidthBits,
            Runtime = $".NET {Environment.Version}",
            Plan = plan,
            LoadBefore = MachineInfo.LoadAverage(),
        };
        long t0 = Stopwatch.GetTimestamp();
        int previousThreads = KernelDriver.ThreadsHere;
        try
        {
            if (sections.HasFlag(BenchSections.Cnn)) Cnn(plan, results, progress);   // with the FMA probe's samples between its steps
            else if (sections.HasFlag(BenchSections.Fma)) Fma(plan, results, progress);
            if (sections.HasFlag(BenchSections.Copy)) Copy(plan, results, progress);
            if (sections.HasFlag(BenchSections.Optimizers)) Optimizers(plan, optimizers, results, progress);
        }
        finally { KernelDriver.ThreadsHere = previousThreads; }
        results.Seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        results.LoadAfter = MachineInfo.LoadAverage();
        return results;
    }

    static void Fma(BenchPlan plan, BenchResults results, Action<string> progress)
    {
        progress($"FMA probe ({FmaPeak.Width}, 12 chains per thread)");
        using var pool = new WorkerPool(BenchPlan.Threads.Max());
        foreach (int t in BenchPlan.Threads)
        {
            Action<int> body = _ => FmaPeak.Run(plan.FmaIterations);
            double s = MedianTimer.Seconds(() => pool.Run(body, t), plan.Warmup, plan.Repetitions);
            results.Fma.Add(new FmaRow(t, t * FmaPeak.FlopsOf(plan.FmaIterations) / s / 1e9));
        }
    }

    static void Copy(BenchPlan plan, BenchResults results, Action<string> progress)
    {
        progress($"copy probe ({CopyKernel.BytesPerElement} B per element)");
        foreach (var (threads, n) in new[] { (1, plan.InCache), (1, plan.InMemory), (2, plan.InMemory) })
        {
            var (p, g, m, v) = CopyKernel.Arrays(n);
            KernelDriver.ThreadsHere = threads;
            Action body = () => CopyKernel.Run(p, g, m, v);
            int inner = n == plan.InCache ? MedianTimer.InnerFor(body, plan.InCacheSampleSeconds) : 1;
            double s = MedianTimer.Seconds(body, plan.Warmup, plan.Repetitions, inner);
            results.Copy.Add(new CopyRow(threads, n, s * 1e9 / n));
        }
    }

    static void Optimizers(BenchPlan plan, IReadOnlyList<OptimizerSpec> specs, BenchResults results, Action<string> progress)
    {
        KernelDriver.ThreadsHere = 1;   // one thread, as the BenchmarkDotNet OptimizerBenchmarks
        foreach (int n in new[] { plan.InCache, plan.InMemory })
        {
            var p = AlignedBuffer.Allocate<float>(n);
            var g = AlignedBuffer.Allocate<float>(n);
            for (int i = 0; i < n; i++)
            {
                p[i] = CounterRng.UniformSingle(1, 0, (ulong)i) - 0.5f;
                g[i] = (CounterRng.UniformSingle(1, 1, (ulong)i) - 0.5f) * 1e-2f;
            }
            foreach (var spec in specs)
            {
                string name = OptimizerParser.Print(spec);
                progress($"{name}, {n:N0} floats");
                double reference = UpdateSeconds(ReferenceOptimizers.For(spec.Options), p, g, n == plan.InCache, plan, out int slots);
                double fast = UpdateSeconds(FastOptimizers.For(spec.Options), p, g, n == plan.InCache, plan, out _);
                // Every update reads p, g and each state slot and writes p and each slot.
                results.Optimizers.Add(new OptimizerRow(name, n, (3 + 2 * slots) * sizeof(float), reference * 1e9 / n, fast * 1e9 / n));
            }
        }
    }

    static double UpdateSeconds(IOptimizer optimizer, ArraySegment<float> p, ArraySegment<float> g, bool inCache, BenchPlan plan, out int slots)
    {
        var state = optimizer.Init<float>(p.Count);
        slots = state.SlotNames.Count;
        Action body = () => optimizer.Update(state, p.AsSpan(), g.AsSpan(), 1e-3);
        int inner = inCache ? MedianTimer.InnerFor(body, plan.InCacheSampleSeconds) : 1;
        return MedianTimer.Seconds(body, plan.Warmup, plan.Repetitions, inner);
    }

    /// <summary>
    /// The seed CNN step at each thread count, its timed samples alternating with the FMA probe's on as many threads, so the
    /// step and its yardstick see the same background load; the FMA rows are those samples' medians.
    /// </summary>
    static void Cnn(BenchPlan plan, BenchResults results, Action<string> progress)
    {
        var rng = new Random(1);   // synthetic MNIST-shaped batch: speed does not depend on the pixels
        var x = new float[BenchPlan.Batch * 784];
        for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextDouble();
        var y = new int[BenchPlan.Batch];
        for (int i = 0; i < y.Length; i++) y[i] = rng.Next(10);
        double flops = SeedCnnFlops.TrainStep(BenchPlan.Batch);
        using var pool = new WorkerPool(BenchPlan.Threads.Max());
        foreach (int t in BenchPlan.Threads)
        {
            progress($"seed CNN step of {BenchPlan.Batch} and FMA probe ({FmaPeak.Width}), {t} thread{(t == 1 ? "" : "s")}");
            var model = new FastModel(NetworkSpec.MnistSeed(), 1, new FastModelOptions { MaxDegreeOfParallelism = t, MaxBatch = BenchPlan.Batch });
            var adam = new OptimizerSet(FastOptimizers.For(new AdamOptions()), FastClipping.Instance, model.Parameters);
            KernelDriver.ThreadsHere = t;
            long step = 0;
            Action train = () =>
            {
                model.TrainStep(x, y, 1, step++);
                adam.Step(model.Parameters, 1e-3);
            };
            Action<int> chains = _ => FmaPeak.Run(plan.FmaIterations);
            Action probe = () => pool.Run(chains, t);
            var stepSeconds = new double[plan.CnnRepetitions];
            var probeSeconds = new double[plan.CnnRepetitions];
            for (int w = 0; w < plan.CnnWarmup; w++) { probe(); train(); }
            for (int r = 0; r < plan.CnnRepetitions; r++)
            {
                probeSeconds[r] = MedianTimer.Seconds(probe, 0, 1);
                stepSeconds[r] = MedianTimer.Seconds(train, 0, 1);
            }
            results.Fma.Add(new FmaRow(t, t * FmaPeak.FlopsOf(plan.FmaIterations) / MedianTimer.Median(probeSeconds) / 1e9));
            results.Cnn.Add(new CnnRow(t, BenchPlan.Batch, flops, MedianTimer.Median(stepSeconds) * 1e3));
        }
    }
}
