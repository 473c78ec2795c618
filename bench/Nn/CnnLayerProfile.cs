using System.Diagnostics;
using NetNumerics.Fast.Kernels;
using NetNumerics.Fast.Kernels.Probes;
using NetNumerics.Fast.Nn;
using NetNumerics.Nn;
using NetNumerics.Fast.Optimizers;
using NetNumerics.Optimizers;
using NetNumerics.Training;

namespace NetNumerics.Bench.Nn;

/// <summary>
/// `--layers [ROUNDS] [STEPS]` (not BenchmarkDotNet): where the seed CNN's training step of 250 spends its time, layer by
/// layer, at 1 and 2 threads, next to the in-run FMA peak. Each round measures, back to back in one process: the FMA probe
/// on 1 and on 2 threads, STEPS training steps on a 1-thread model, STEPS on a 2-thread model, each followed by one Adam
/// step over the 431,242 parameters on as many threads (the optimizer row), so all of them see the same background load. Per-layer times come
/// from <see cref="StepProfile"/> (thread CPU milliseconds per step on Linux, summed over the threads that ran the layer's work);
/// every figure is the median over rounds of the per-round mean. FLOP count: 3 x forward = 17.02 MFLOP per sample
/// (conv1 0.389, conv2 4.461, dense1 0.819, dense2 0.005 forward), 4.256 GFLOP per step.
/// </summary>
static class CnnLayerProfile
{
    static readonly double StepGflop = SeedCnnFlops.TrainStep(250) / 1e9;

    public static void Run(int rounds, int steps)
    {
        var spec = NetworkSpec.MnistSeed();
        var (x, y) = SeedBatch.Make();
        int[] threads = [1, 2];
        var models = threads.Select(t => new FastModel(spec, 1, new FastModelOptions { MaxDegreeOfParallelism = t, MaxBatch = 256 })).ToArray();
        var profiles = models.Select(m => m.EnableProfiling()).ToArray();
        var optimizers = models.Select(m => new OptimizerSet(FastOptimizers.For(new AdamOptions()), FastClipping.Instance, m.Parameters)).ToArray();
        var pools = threads.Select(t => new WorkerPool(t)).ToArray();
        string[] names = LayerNames(spec, models[0]);
        int slots = profiles[0].Slots, phases = Enum.GetValues<StepProfile.Phase>().Length;

        var peak = new double[2][]; var stepMs = new double[2][]; var optMs = new double[2][];
        var peakCpu = new double[2][]; var stepCpuMs = new double[2][];   // GFLOP per CPU-second of the probe; CPU-ms of a step (all threads)
        var slotMs = new double[2][][]; var phaseMs = new double[2][][];
        for (int t = 0; t < 2; t++)
        {
            peak[t] = new double[rounds]; stepMs[t] = new double[rounds]; optMs[t] = new double[rounds];
            peakCpu[t] = new double[rounds]; stepCpuMs[t] = new double[rounds];
            slotMs[t] = new double[slots][]; phaseMs[t] = new double[phases][];
            for (int s = 0; s < slots; s++) slotMs[t][s] = new double[rounds];
            for (int p = 0; p < phases; p++) phaseMs[t][p] = new double[rounds];
        }
        long step = 0;
        for (int t = 0; t < 2; t++) for (int w = 0; w < 3; w++) { models[t].TrainStep(x, y, 1, step++); optimizers[t].Step(models[t].Parameters, 1e-3); }
        FmaPeak.Measure(pools[1], 2);
        string load0 = MachineInfo.LoadAverage();
        for (int r = 0; r < rounds; r++)
        {
            for (int t = 0; t < 2; t++)
            {
                var c0 = Environment.CpuUsage.TotalTime;
                peak[t][r] = FmaPeak.Measure(pools[t], threads[t]);
                peakCpu[t][r] = threads[t] * FmaPeak.FlopsPerThread / (Environment.CpuUsage.TotalTime - c0).TotalSeconds / 1e9;
            }
            for (int t = 0; t < 2; t++)
            {
                FastOptimizers.MaxDegreeOfParallelism = threads[t];   // Adam's large tensor (dense1 W) on the same thread count
                profiles[t].Reset();
                double wall = 0, opt = 0;
                var cpu0 = Environment.CpuUsage.TotalTime;
                for (int s = 0; s < steps; s++)
                {
                    long t0 = Stopwatch.GetTimestamp();
                    models[t].TrainStep(x, y, 1, step++);
                    long t1 = Stopwatch.GetTimestamp();
                    optimizers[t].Step(models[t].Parameters, 1e-3);
                    wall += Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds;
                    opt += Stopwatch.GetElapsedTime(t1).TotalMilliseconds;
                }
                stepCpuMs[t][r] = (Environment.CpuUsage.TotalTime - cpu0).TotalMilliseconds / steps;
                stepMs[t][r] = wall / steps; optMs[t][r] = opt / steps;
                var sec = profiles[t].SlotSeconds();
                for (int s = 0; s < slots; s++) slotMs[t][s][r] = sec[s] * 1e3 / steps;
                for (int p = 0; p < phases; p++) phaseMs[t][p][r] = profiles[t].PhaseSeconds((StepProfile.Phase)p) * 1e3 / steps;
            }
        }
        string load1 = MachineInfo.LoadAverage();

        Console.WriteLine($"CPU: {MachineInfo.CpuModel()}, {Environment.ProcessorCount} cores; .NET {Environment.Version}; FMA probe {FmaPeak.Width}");
        Console.WriteLine($"load average before / after: {load0} / {load1}; {rounds} rounds of {steps} steps, medians of round means");
        Console.WriteLine();
        Console.WriteLine($"per-layer times: {(StepProfile.SlotsAreCpuTime ? "thread CPU time" : "wall time")} per step, summed over the threads");
        Console.WriteLine("| layer | 1 thread: forward ms | backward ms | 2 threads: forward thread-ms | backward thread-ms |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        for (int i = 0; i < names.Length; i++)
            Console.WriteLine($"| {names[i]} | {Median(slotMs[0][2 * i]):F2} | {Median(slotMs[0][2 * i + 1]):F2} | {Median(slotMs[1][2 * i]):F2} | {Median(slotMs[1][2 * i + 1]):F2} |");
        var p0 = profiles[0];
        Console.WriteLine($"| softmax + loss | {Median(slotMs[0][p0.SoftmaxSlot]):F2} | | {Median(slotMs[1][p0.SoftmaxSlot]):F2} | |");
        Console.WriteLine($"| dense dW, whole batch | | {Median(slotMs[0][p0.DenseBlockSlot]):F2} | | {Median(slotMs[1][p0.DenseBlockSlot]):F2} |");
        foreach (var ph in new[] { StepProfile.Phase.Load, StepProfile.Phase.Reduce, StepProfile.Phase.Publish })
            Console.WriteLine($"| {PhaseName(ph)} (serial, wall) | {Median(phaseMs[0][(int)ph]):F2} | | {Median(phaseMs[1][(int)ph]):F2} | |");
        foreach (var ph in new[] { StepProfile.Phase.ChunksForward, StepProfile.Phase.Rows, StepProfile.Phase.ChunksBackward })
            Console.WriteLine($"| {PhaseName(ph)} (parallel phase, wall) | {Median(phaseMs[0][(int)ph]):F2} | | {Median(phaseMs[1][(int)ph]):F2} | |");
        Console.WriteLine($"| optimizer step (Adam, wall) | {Median(optMs[0]):F2} | | {Median(optMs[1]):F2} | |");
        Console.WriteLine();
        Console.WriteLine("| threads | FMA peak GFLOP/s | TrainStep ms | + Adam ms | step GFLOP/s | fraction of peak | of executed FLOPs | CPU-ms per step | fraction of peak per CPU-second |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int t = 0; t < 2; t++)
        {
            double pk = Median(peak[t]), total = Median(stepMs[t].Zip(optMs[t], (a, b) => a + b).ToArray());
            double gflops = StepGflop / (total / 1e3), cpu = Median(stepCpuMs[t]);
            Console.WriteLine($"| {threads[t]} | {pk:F1} | {Median(stepMs[t]):F2} | {total:F2} | {gflops:F1} | {gflops / pk:P1} | {gflops / pk * SeedCnnFlops.ExecutedShare:P1} | {cpu:F1} | {StepGflop / (cpu / 1e3) / Median(peakCpu[t]):P1} |");
        }
        Console.WriteLine("(wall: fraction = step GFLOP/s (the model's FLOPs) / probe GFLOP/s; of executed FLOPs: the same on the FLOPs the Fast path runs. CPU: the same with both measured in process CPU time of all threads,");
        Console.WriteLine(" which a loaded machine's descheduling does not inflate; on 2 threads it also counts the workers' spin-waits.)");
        foreach (var p in pools) p.Dispose();
    }

    static string PhaseName(StepProfile.Phase p) => p switch
    {
        StepProfile.Phase.Load => "weights to internal layout + packing",
        StepProfile.Phase.Reduce => "chunk gradient sum",
        StepProfile.Phase.Publish => "gradients to spec layout",
        StepProfile.Phase.ChunksForward => "phase 1: conv part forward, per chunk",
        StepProfile.Phase.Rows => "phase 2: dense part forward + backward, per row block",
        StepProfile.Phase.ChunksBackward => "phase 3: dense dW blocks + conv part backward",
        _ => p.ToString(),
    };

    /// <summary>conv1, relu1, pool1, dropout1, conv2, ... dense2 (kind and ordinal) for the layers as the model runs them:
    /// a fused layer is named by its spec layers joined with '+'.</summary>
    static string[] LayerNames(NetworkSpec spec, FastModel model)
    {
        var counts = new Dictionary<string, int>();
        var specNames = spec.Layers.Select(l =>
        {
            string kind = l switch { Conv2DSpec => "conv", DenseSpec => "dense", MaxPool2DSpec => "pool", DropoutSpec => "dropout", ReluSpec => "relu", FlattenSpec => "flatten", _ => "layer" };
            counts[kind] = counts.GetValueOrDefault(kind) + 1;
            return kind + counts[kind];
        }).ToArray();
        return model.RunLayers.Select(l => string.Join("+", specNames.Skip(l.Index).Take(l.SpecLayerCount))).ToArray();
    }

    static double Median(double[] a)
    {
        var s = a.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }
}
