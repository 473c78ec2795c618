using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace NetNumerics.Bench.Peer;

/// <summary>
/// Shared setup: each [Params] case runs in its own process (BenchmarkDotNet's default out-of-process toolchain), so
/// libtorch's thread counts are set once per process, before any torch work, to the same N the Fast model gets.
/// Both models, their optimizers and the data are built in GlobalSetup; the timed region is training only.
/// </summary>
[MedianColumn, MinColumn, MemoryDiagnoser]
public abstract class PeerBenchmarkBase
{
    FastTrainer fast = null!;
    TorchTrainer torchTrainer = null!;
    float[] images = null!;
    int[] labels = null!;

    [Params(1, 2)] public int Threads;

    protected abstract int Samples { get; }

    [GlobalSetup]
    public void Setup()
    {
        TorchTrainer.SetThreads(Threads);
        (images, labels) = SyntheticMnist.Make(Samples);
        fast = new FastTrainer(Threads);
        torchTrainer = new TorchTrainer(images, labels);
        if (fast.ParameterCount != torchTrainer.ParameterCount)
            throw new InvalidOperationException($"Fast has {fast.ParameterCount} parameters, TorchSharp {torchTrainer.ParameterCount}: not the same model.");
    }

    [GlobalCleanup]
    public void Cleanup() => torchTrainer.Dispose();

    protected double FastSteps(int steps)
    {
        double loss = 0;
        for (int s = 0; s < steps; s++) loss += fast.Step(images, labels, s * SyntheticMnist.Batch);
        return loss;
    }

    protected double TorchSteps(int steps)
    {
        double loss = 0;
        for (int s = 0; s < steps; s++) loss += torchTrainer.Step(s * SyntheticMnist.Batch);
        return loss;
    }
}

/// <summary>(a) One training step of a batch of 250: forward, backward, Adam update. Ratio = TorchSharp / Fast.</summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class PeerTrainStep : PeerBenchmarkBase
{
    protected override int Samples => SyntheticMnist.Batch;

    [Benchmark(Baseline = true)] public double Fast() => FastSteps(1);
    [Benchmark] public double TorchSharp() => TorchSteps(1);
}

/// <summary>
/// (b) One epoch: 48,000 samples = 192 steps of 250, in order, no shuffling or copying. Ratio = TorchSharp / Fast.
/// An epoch takes seconds, so Monitoring (no pilot or overhead stages): one untimed warm-up epoch, then 3 timed ones.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class PeerEpoch : PeerBenchmarkBase
{
    protected override int Samples => SyntheticMnist.EpochSamples;

    [Benchmark(Baseline = true)] public double Fast() => FastSteps(SyntheticMnist.EpochSteps);
    [Benchmark] public double TorchSharp() => TorchSteps(SyntheticMnist.EpochSteps);
}
