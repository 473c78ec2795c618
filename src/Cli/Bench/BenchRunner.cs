using System.Diagnostics;
using System.Globalization;
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
/// probe's samples between its steps (or the FMA probe alone), then the copy probe, then the optimizers (in memory, their
/// Fast samples alternate with copy-probe samples of the same size). The
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
            var copies = new Dictionary<int, CopyArrays>();
            CopyArrays Arrays(int n) => copies.TryGetValue(n, out var a) ? a : copies[n] = new CopyArrays(n);
            if (sections.HasFlag(BenchSections.Copy)) Copy(plan, results, progress, Arrays);
            if (sections.HasFlag(BenchSections.Optimizers)) Optimizers(plan, optimizers, results, progress, Arrays);
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
            Action run = () => pool.Run(body, t);
            MedianTimer.WarmUp(run, plan.Warmup, plan.WarmupSeconds);
            double s = MedianTimer.Seconds(run, 0, plan.Repetitions);
            results.Fma.Add(new FmaRow(t, t * FmaPeak.FlopsOf(plan.FmaIterations) / s / 1e9));
        }
    }

    /// <summary>The copy probe's four arrays of one size, shared by the copy section and the optimizers' paired samples.</summary>
    sealed class CopyArrays(int n)
    {
        readonly (ArraySegment<float> P, ArraySegment<float> G, ArraySegment<float> M, ArraySegment<float> V) a = CopyKernel.Arrays(n);
        public void Run() => CopyKernel.Run(a.P, a.G, a.M, a.V);
    }

    static void Copy(BenchPlan plan, BenchResults results, Action<string> progress, Func<int, CopyArrays> arrays)
    {
        progress($"copy probe ({CopyKernel.BytesPerElement} B per element)");
        foreach (var (threads, n) in new[] { (1, plan.InCache), (1, plan.InMemory), (2, plan.InMemory) })
        {
            var copy = arrays(n);
            KernelDriver.ThreadsHere = threads;
            Action body = copy.Run;
            MedianTimer.WarmUp(body, plan.Warmup, plan.WarmupSeconds);
            int inner = n == plan.InCache ? MedianTimer.InnerFor(body, plan.InCacheSampleSeconds) : 1;
            double s = MedianTimer.Seconds(body, 0, plan.Repetitions, inner);
            results.Copy.Add(new CopyRow(threads, n, s * 1e9 / n));
        }
    }

    /// <summary>
    /// Each optimizer's Reference update, then its Fast update (in memory on 1 and on 2 threads). In memory, one copy-probe
    /// sample of the same size on as many threads is taken before each Fast sample, so the fraction of copy bandwidth compares two figures taken milliseconds apart. In cache
    /// the yardstick is the copy section's 16,384-element figure: alternating there put the copy's 256 KiB and the
    /// optimizer's 128-320 KiB in one 512 KiB L2 and the paired copy fell to 29-41 GB/s against 92-96 standalone (Zen 3).
    /// </summary>
    static void Optimizers(BenchPlan plan, IReadOnlyList<OptimizerSpec> specs, BenchResults results, Action<string> progress, Func<int, CopyArrays> arrays)
    {
        KernelDriver.ThreadsHere = 1;   // one thread, as the BenchmarkDotNet OptimizerBenchmarks
        foreach (int n in new[] { plan.InCache, plan.InMemory })
        {
            var p = AlignedBuffer.Allocate<float>(n);
            var g = AlignedBuffer.Allocate<float>(n);
            OptimizerBenchInput.Fill(p, g);
            bool inCache = n == plan.InCache;
            Action copyBody = arrays(n).Run;
            double standaloneCopy = results.Copy.First(c => c.Threads == 1 && c.Elements == n).NsPerElement;
            foreach (var spec in specs)
            {
                var reference = ReferenceOptimizers.For(spec.Options);
                int[] shape = OptimizerBenchInput.Shape(reference, n);
                string name = OptimizerParser.Print(spec);   // shape-aware ones are measured as a matrix (OptimizerBenchInput.Shape)
                progress(string.Create(CultureInfo.InvariantCulture, $"{name}, {n:N0} floats"));
                var refState = reference.Init<float>(shape);
                Action refBody = () => reference.Update(refState, p.AsSpan(), g.AsSpan(), 1e-3);
                MedianTimer.WarmUp(refBody, plan.Warmup, plan.WarmupSeconds);
                double refSeconds = MedianTimer.Seconds(refBody, 0, plan.Repetitions, inCache ? MedianTimer.InnerFor(refBody, plan.InCacheSampleSeconds) : 1);

                var fast = FastOptimizers.For(spec.Options);
                var fastState = fast.Init<float>(shape);
                Action fastBody = () => fast.Update(fastState, p.AsSpan(), g.AsSpan(), 1e-3);
                // Every update reads p, g and each state slot and writes p and each slot (slots shorter than the tensor count as such).
                long slotElements = Enumerable.Range(0, fastState.SlotNames.Count).Sum(k => (long)fastState.SlotAt(k).Length);
                int bytes = (int)((3L * n + 2 * slotElements) * sizeof(float) / n);
                var one = Paired(1);
                results.Optimizers.Add(new OptimizerRow(name, n, bytes, refSeconds * 1e9 / n, one.Fast, one.Copy));
                if (!inCache)
                {
                    // In memory also on 2 threads: the large-tensor split (fixed blocks over the worker pool), against the 2-thread copy.
                    var two = Paired(2);
                    results.Optimizers.Add(new OptimizerRow(name, n, bytes, refSeconds * 1e9 / n, two.Fast, two.Copy, Threads: 2));
                }

                // Fast's median ns/element on `threads` threads, and the copy probe's: in memory sampled just before each Fast
                // sample on as many threads; in cache the standalone 1-thread copy row.
                (double Fast, double Copy) Paired(int threads)
                {
                    KernelDriver.ThreadsHere = threads;
                    try
                    {
                        MedianTimer.WarmUp(fastBody, plan.Warmup, plan.WarmupSeconds);
                        if (!inCache) MedianTimer.WarmUp(copyBody, plan.Warmup, 0);
                        int inner = inCache ? MedianTimer.InnerFor(fastBody, plan.InCacheSampleSeconds) : 1;
                        var fastSamples = new double[plan.Repetitions];
                        var copySamples = new double[plan.Repetitions];
                        for (int r = 0; r < plan.Repetitions; r++)
                        {
                            copySamples[r] = inCache ? standaloneCopy * n / 1e9 : MedianTimer.Seconds(copyBody, 0, 1);
                            fastSamples[r] = MedianTimer.Seconds(fastBody, 0, 1, inner);
                        }
                        return (MedianTimer.Median(fastSamples) * 1e9 / n, MedianTimer.Median(copySamples) * 1e9 / n);
                    }
                    finally { KernelDriver.ThreadsHere = 1; }
                }
                refState = null!; fastState = null!;
                if (n > plan.InCache) GC.Collect();   // the 40-120 MB states of the last optimizer: keep the peak memory to one optimizer's
            }
        }
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
            var stepCpu = new double[plan.CnnRepetitions];
            var probeSeconds = new double[plan.CnnRepetitions];
            var probeCpu = new double[plan.CnnRepetitions];
            for (int w = 0; w < plan.CnnWarmup; w++) { probe(); train(); }
            for (int r = 0; r < plan.CnnRepetitions; r++)
            {
                (probeSeconds[r], probeCpu[r]) = MedianTimer.WallAndCpu(probe);
                (stepSeconds[r], stepCpu[r]) = MedianTimer.WallAndCpu(train);
            }
            double probeFlops = t * FmaPeak.FlopsOf(plan.FmaIterations);
            results.Fma.Add(new FmaRow(t, probeFlops / MedianTimer.Median(probeSeconds) / 1e9));
            results.Cnn.Add(new CnnRow(t, BenchPlan.Batch, flops, MedianTimer.Median(stepSeconds) * 1e3, MedianTimer.Median(stepCpu) * 1e3,
                probeFlops / MedianTimer.Median(probeCpu) / 1e9));
        }
    }
}
