using NetNumerics.Data;
using NetNumerics.Fast.Nn;
using NetNumerics.Fast.Optimizers;
using NetNumerics.Nn;
using NetNumerics.Optimizers;
using NetNumerics.Properties.Cli;
using NetNumerics.Schedules;
using NetNumerics.Training;
using NetNumerics.Testing;
using Xunit;

namespace NetNumerics.Properties.Training;

/// <summary>
/// Gradient accumulation equals the large batch bit for bit: k micro-batches of b give the gradients, weights and optimizer
/// states of one batch of k*b (Keras #19990 and Optax #1567 are peers getting this wrong). Holds for micro-batches that are
/// whole chunks of the Fast CNN (multiples of 8 samples); other sizes are refused with a message naming the sizes that work.
/// </summary>
[Collection(CnnTraining.Collection)]   // trains the real CNN: one such test at a time
public class GradientAccumulationTests
{
    static readonly Dataset Train = IdxTestData.MnistShaped(200, seed: 21);

    static float[][] Gradients(IModel m) => m.Parameters.Select(p => p.Gradients.ToArray()).ToArray();

    static void AssertSameBits(float[][] a, float[][] b, string what)
    {
        Assert.Equal(a.Length, b.Length);
        for (int i = 0; i < a.Length; i++) NumericAssert.BitExact<float>(a[i], b[i], label: $"{what}: tensor {i}");
    }

    /// <summary>The model alone: parts of 8, 16, 24 or 32 samples (the last one shorter) give the whole batch's gradient
    /// bits, loss sum within the reassociation of one double sum, and the same correct count; 1 and 2 threads.</summary>
    [Theory]
    [InlineData(37, 8, 1)]
    [InlineData(40, 16, 2)]
    [InlineData(40, 24, 1)]
    [InlineData(33, 32, 2)]
    [InlineData(16, 8, 2)]
    public void Micro_batches_of_whole_chunks_give_the_whole_batch_gradient_bits(int batch, int micro, int threads)
    {
        var spec = NetworkSpec.MnistSeed();
        var whole = new FastModel(spec, 3, new FastModelOptions { MaxDegreeOfParallelism = threads, MaxBatch = 40 });
        var parts = new FastModel(spec, 3, new FastModelOptions { MaxDegreeOfParallelism = 3 - threads, MaxBatch = 40 });
        var x = Train.Images.AsSpan(0, batch * 784).ToArray();
        var y = Train.Labels.AsSpan(0, batch).ToArray();
        var r = whole.TrainStep(x, y, seed: 5, step: 9);
        var sum = default(BatchResult);
        for (int o = 0; o < batch; o += micro)
        {
            int m = Math.Min(micro, batch - o);
            sum += parts.TrainStep(x.AsSpan(o * 784, m * 784), y.AsSpan(o, m), 5, 9, new MicroBatch(o, batch));
        }
        AssertSameBits(Gradients(whole), Gradients(parts), $"batch {batch} in parts of {micro}");
        // The loss sums are one double sum of the same float losses, grouped by part: |difference| <= 2 n u sum (n = batch, u = 2^-53).
        Assert.InRange(Math.Abs(sum.LossSum - r.LossSum), 0, 2.0 * batch / (1L << 53) * r.LossSum);
        Assert.Equal((r.Correct, r.Count), (sum.Correct, sum.Count));
    }

    [Fact]
    public void Parts_that_cannot_give_the_whole_batch_bits_are_refused_saying_why()
    {
        var model = new FastModel(NetworkSpec.MnistSeed(), 3, new FastModelOptions { MaxBatch = 40 });
        var x = Train.Images.AsSpan(0, 12 * 784).ToArray();
        var y = Train.Labels.AsSpan(0, 12).ToArray();
        var size = Assert.Throws<ArgumentException>(() => model.TrainStep(x, y, 1, 0, new MicroBatch(0, 24)));
        Assert.Contains("multiple of 8", size.Message);
        var order = Assert.Throws<ArgumentException>(() => model.TrainStep(x.AsSpan(0, 8 * 784), y.AsSpan(0, 8), 1, 0, new MicroBatch(16, 24)));
        Assert.Contains("continues at 0", order.Message);
        var big = Assert.Throws<ArgumentException>(() => model.TrainStep(x.AsSpan(0, 8 * 784), y.AsSpan(0, 8), 1, 0, new MicroBatch(0, 48)));
        Assert.Contains("MaxBatch = 40", big.Message);
        var beyond = Assert.Throws<ArgumentException>(() => model.TrainStep(x, y, 1, 0, new MicroBatch(0, 8)));
        Assert.Contains("does not fit", beyond.Message);
    }

    static TrainingOptions Options(int batch, int k) => new()
    {
        Epochs = 2, BatchSize = batch, AccumulationSteps = k, Seed = 4, ValidationSplit = 0.2, ScheduleGranularity = ScheduleGranularity.PerIteration,
        Clipping = new ClippingOptions { GlobalClipNorm = 2.0 },
    };

    static readonly ISchedule Decay = new FuncSchedule(s => 2e-3 / (1 + 0.05 * s));

    static (Trainer Trainer, TrainingResult Result) Run(int batch, int k)
    {
        var model = new FastModel(NetworkSpec.MnistSeed(), 8, new FastModelOptions { MaxBatch = batch * k });
        var trainer = new Trainer(model, FastOptimizers.For(new AdamWOptions { WeightDecay = 0.01 }), Options(batch, k), Decay, FastClipping.Instance);
        return (trainer, trainer.Fit(Train));
    }

    /// <summary>
    /// Under the trainer (AdamW with weight decay, a per-iteration schedule, global-norm clipping, dropout): 6 x 8, 3 x 16 and
    /// 2 x 24 end with the weights and optimizer states of batches of 48, bit for bit, after 2 epochs of 160 samples (4 updates
    /// each, the last of 16 samples); Adam's step count is the number of updates (8), not of micro-batches. Validation
    /// accuracy is equal; the training and validation losses are the same samples' losses summed in other groupings (parts,
    /// evaluation blocks of BatchSize): each sum of n positive terms is within gamma_(n-1) of the exact sum (Higham §4.2) and
    /// the mean adds one rounding, so two of them agree within 2 gamma_n relative (n = 160 training and 40 validation samples).
    /// </summary>
    [Fact]
    public void Accumulated_training_equals_the_large_batch_bit_for_bit()
    {
        var (big, rb) = Run(48, 1);
        foreach (var (b, k) in new[] { (8, 6), (16, 3), (24, 2) })
        {
            var (acc, ra) = Run(b, k);
            AssertSameBits(big.Model.Parameters.Select(p => p.Values.ToArray()).ToArray(), acc.Model.Parameters.Select(p => p.Values.ToArray()).ToArray(), $"{k} x {b} weights");
            for (int i = 0; i < big.OptimizerStates.Count; i++)
                NumericAssert.BitExact(big.OptimizerStates[i], acc.OptimizerStates[i], label: $"{k} x {b}: optimizer state {i}");
            Assert.All(acc.OptimizerStates, s => Assert.Equal(8, s.Step));
            Assert.Equal(rb.Iterations, ra.Iterations);
            Assert.Equal(rb.History.Select(h => (h.ValAccuracy, h.LearningRate, h.Accuracy)), ra.History.Select(h => (h.ValAccuracy, h.LearningRate, h.Accuracy)));
            for (int e = 0; e < rb.History.Count; e++)
            {
                Assert.InRange(Math.Abs(ra.History[e].Loss - rb.History[e].Loss), 0, 2 * Bounds.Gamma<double>(160) * rb.History[e].Loss);
                Assert.InRange(Math.Abs(ra.History[e].ValLoss!.Value - rb.History[e].ValLoss!.Value), 0, 2 * Bounds.Gamma<double>(40) * rb.History[e].ValLoss!.Value);
            }
        }
    }

    [Fact]
    public void The_trainer_refuses_accumulation_it_cannot_make_exact()
    {
        var fast = new FastModel(NetworkSpec.MnistSeed(), 8, new FastModelOptions { MaxBatch = 48 });
        var odd = Assert.Throws<ArgumentException>(() => new Trainer(fast, FastOptimizers.For(new AdamOptions()), Options(12, 4), clipper: FastClipping.Instance).Fit(Train));
        Assert.Contains("multiple of 8", odd.Message);
        Assert.Contains("use BatchSize 8 or 16", odd.Message);
        var plain = new SoftmaxRegression(784, 10);
        var none = Assert.Throws<ArgumentException>(() => new Trainer(plain, FastOptimizers.For(new AdamOptions()), Options(8, 2), clipper: FastClipping.Instance).Fit(Train));
        Assert.Contains("IAccumulatingModel", none.Message);
    }
}
