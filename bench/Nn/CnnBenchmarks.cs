using NetNumerics.Reference.Nn;
using NetNumerics.Nn;
using NetNumerics.Fast.Nn;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace NetNumerics.Bench.Nn;

/// <summary>Random MNIST-shaped batch of 250 for the seed model (1x28x28, 10 classes).</summary>
static class SeedBatch
{
    public const int Size = 250;
    public static (float[] X, int[] Y) Make()
    {
        var rng = new Random(1);
        return (Enumerable.Range(0, Size * 784).Select(_ => (float)rng.NextDouble()).ToArray(),
                Enumerable.Range(0, Size).Select(_ => rng.Next(10)).ToArray());
    }
}

/// <summary>One training step (forward, backward, gradients of the mean loss) of a batch of 250, Fast on 1 and 2 threads. 17 MFLOP/sample.</summary>
/// Min and median are shown because the 2-core machine is shared: the minimum is the least-disturbed step.
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15)]
[MinColumn, MedianColumn]
public class CnnFastTrainStep
{
    FastModel model = null!;
    float[] x = null!; int[] y = null!;
    long step;

    [Params(1, 2)] public int Threads;

    /// <summary>conv2 by Winograd F(2x2, 3x3) (the default) or by im2col + GEMM.</summary>
    [Params(true, false)] public bool Winograd;

    [GlobalSetup]
    public void Setup()
    {
        (x, y) = SeedBatch.Make();
        model = new FastModel(NetworkSpec.MnistSeed(), 1, new FastModelOptions { MaxDegreeOfParallelism = Threads, MaxBatch = 256, WinogradConvolutions = Winograd });
    }

    [Benchmark] public BatchResult FastTrainStep250() => model.TrainStep(x, y, 1, step++);
}

/// <summary>The Reference (nested loops) on the same step: slow, so few iterations.</summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 2)]
public class CnnReferenceTrainStep
{
    ReferenceModel model = null!;
    float[] x = null!; int[] y = null!;

    [GlobalSetup]
    public void Setup() { (x, y) = SeedBatch.Make(); model = new ReferenceModel(NetworkSpec.MnistSeed(), 1); }

    [Benchmark] public BatchResult ReferenceTrainStep250() => model.TrainStep(x, y, 1, 0);
}
