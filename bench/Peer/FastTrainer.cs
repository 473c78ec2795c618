using NetNumerics.Fast.Nn;
using NetNumerics.Nn;
using NetNumerics.Training;
using NetNumerics.Fast.Optimizers;
using NetNumerics.Optimizers;

namespace NetNumerics.Bench.Peer;

/// <summary>
/// The Fast CNN (NetworkSpec.MnistSeed, 431,242 parameters) trained the way the library trains it: TrainStep (forward,
/// dropout, backward into model.Parameters' gradients) then one Adam update (Keras defaults: lr 1e-3, b1 .9, b2 .999,
/// eps 1e-7) over every tensor.
/// </summary>
sealed class FastTrainer
{
    const double LearningRate = 1e-3;
    readonly FastModel model;
    readonly OptimizerSet optimizer;
    long step;

    public FastTrainer(int threads)
    {
        model = new FastModel(NetworkSpec.MnistSeed(), seed: 1,
            new FastModelOptions { MaxDegreeOfParallelism = threads, MaxBatch = SyntheticMnist.Batch });
        optimizer = new OptimizerSet(FastOptimizers.For(new AdamOptions()), FastClipping.Instance, model.Parameters);
    }

    public int ParameterCount => model.Spec.ParameterCount;

    /// <summary>One step on the batch images[start..start+250): returns the batch's summed loss.</summary>
    public double Step(float[] images, int[] labels, int start)
    {
        var result = model.TrainStep(images.AsSpan(start * SyntheticMnist.Pixels, SyntheticMnist.Batch * SyntheticMnist.Pixels),
            labels.AsSpan(start, SyntheticMnist.Batch), seed: 1, step);
        optimizer.Step(model.Parameters, LearningRate);
        step++;
        return result.LossSum;
    }
}
