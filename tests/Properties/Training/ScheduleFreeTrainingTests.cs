using NetNumerics.Training.Checkpoints;
using NetNumerics.Training.Callbacks;
using NetNumerics.Data;
using NetNumerics.Nn;
using NetNumerics.Fast.Optimizers;
using NetNumerics.Optimizers;
using NetNumerics.Reference.Optimizers;
using NetNumerics.Schedules;
using NetNumerics.Training;
using Xunit;

namespace NetNumerics.Properties.Training;

/// <summary>Schedule-Free in the trainer: gradients at y, validation and test at x, y back after each evaluation, and resume.</summary>
public class ScheduleFreeTrainingTests
{
    static readonly Dataset Train = Data.Clusters(150);
    static readonly Dataset Test = Data.Clusters(60, seed: 11);

    static TrainingOptions Options(int epochs) => new() { Epochs = epochs, BatchSize = 16, Seed = 9, ScheduleGranularity = ScheduleGranularity.PerIteration };

    // A warm-up then constant rate, as Schedule-Free is meant to be run (no decay); peak 0.05 (AdamW), or 1.0 (SGD: Optax's default).
    static ISchedule WarmupTo(double peak) => new FuncSchedule(s => peak * Math.Min(1.0, (s + 1) / 20.0));
    static readonly ISchedule Warmup = WarmupTo(0.05);

    static IOptimizer Optimizer(ScheduleFreeOptions o, bool fast) => fast ? FastOptimizers.For(o) : ReferenceOptimizers.For(o);

    static int[] Bits(SoftmaxRegression m) => m.Parameters.SelectMany(p => p.Values.ToArray()).Select(BitConverter.SingleToInt32Bits).ToArray();

    /// <summary>
    /// After Fit the model holds y (the training weights), bit for bit the state's y = z + b1*(x - z) recomputed here; the
    /// reported validation and test results are the model's at x (a copy of the model given the slots x), and Evaluate puts
    /// y back bit for bit.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Validation_and_test_use_x_and_the_training_weights_y_come_back(bool fast)
    {
        foreach (var options in new[] { ScheduleFreeOptions.Sgd, ScheduleFreeOptions.AdamW })
        {
            var model = new SoftmaxRegression(16, 3);
            var trainer = new Trainer(model, Optimizer(options, fast), Options(3), WarmupTo(options.Base is SgdOptions ? 1.0 : 0.05));
            var result = trainer.Fit(Train, Test);
            int[] y = Bits(model);

            var atX = new SoftmaxRegression(16, 3);
            for (int i = 0; i < model.Parameters.Count; i++)
            {
                var s = trainer.OptimizerStates[i];
                s.Slot("x").CopyTo(atX.Parameters[i].Values);
                float b1 = (float)options.Beta1;
                var x = s.Slot("x").Span; var z = s.Slot("z").Span; var values = model.Parameters[i].Values.Span;
                for (int k = 0; k < values.Length; k++)
                    Assert.Equal(BitConverter.SingleToInt32Bits(z[k] + b1 * (x[k] - z[k])), BitConverter.SingleToInt32Bits(values[k]));
            }
            Assert.NotEqual(Bits(atX), y);
            var expectedTest = InBatches(atX, Test, 0, Test.Count);
            Assert.Equal(expectedTest, result.Test);
            int nTrain = (int)Math.Floor(Train.Count * 0.8);
            var expectedVal = InBatches(atX, Train, nTrain, Train.Count - nTrain);
            Assert.Equal(expectedVal.MeanLoss, result.History[^1].ValLoss);
            Assert.Equal(expectedVal.Accuracy, result.History[^1].ValAccuracy);
            Assert.Equal(y, Bits(model));
            Assert.Equal(expectedTest, trainer.Evaluate(Test, 0, Test.Count));
            Assert.Equal(y, Bits(model));
            Assert.True(result.Test!.Value.Accuracy > 0.6, $"{options.Name}: test accuracy {result.Test.Value.Accuracy} on three separable clusters (chance 1/3)");
        }
    }

    /// <summary>The model's results in batches of 16 summed in order, as the trainer evaluates (so the loss sums have the same bits).</summary>
    static BatchResult InBatches(SoftmaxRegression m, Dataset d, int start, int count)
    {
        var total = default(BatchResult);
        for (int s = start; s < start + count; s += 16)
        {
            int k = Math.Min(16, start + count - s);
            total += m.Evaluate(d.Images.AsSpan(s * 16, k * 16), d.Labels.AsSpan(s, k));
        }
        return total;
    }

    static Callback[] Callbacks(string dir) => [new ModelCheckpoint(Path.Combine(dir, "last.ckpt"), new() { EveryBatches = 5 })];

    /// <summary>
    /// A run stopped after 2 of 4 epochs, or crashed mid-epoch (resumed from its last batch checkpoint), ends with the
    /// weights (y), every slot (z, x and the base's) and both scalars bit-identical to the straight run: the checkpoint
    /// carries them (version 2), and the step-1 initialization z_0 = x_0 = y_0 does not run again on resume.
    /// </summary>
    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 0)]
    [InlineData(true, 13)]
    public void Stopped_and_resumed_is_bit_identical(bool fast, long crashAt)
    {
        var options = ScheduleFreeOptions.AdamW with { WeightDecay = 0.01 };
        using var d1 = new TempDir();
        using var d2 = new TempDir();
        var m1 = new SoftmaxRegression(16, 3);
        var t1 = new Trainer(m1, Optimizer(options, fast), Options(4), Warmup);
        var r1 = t1.Fit(Train, callbacks: Callbacks(d1.Path));

        var partial = new Trainer(new SoftmaxRegression(16, 3), Optimizer(options, fast), Options(crashAt == 0 ? 2 : 4), Warmup);
        if (crashAt == 0) partial.Fit(Train, callbacks: Callbacks(d2.Path));
        else Assert.Throws<InvalidOperationException>(() => partial.Fit(Train, callbacks: [.. Callbacks(d2.Path), new Crash(crashAt)]));
        var ck = CheckpointFile.Read(Path.Combine(d2.Path, "last.ckpt"));
        Assert.Equal(crashAt == 0 ? 16 : 10, ck.Iteration);   // 120 training samples: 8 batches of 16 per epoch; checkpoints every 5 batches
        Assert.Equal(["lr_max", "weight_sum"], ck.OptimizerStates[0].ScalarNames);
        Assert.True(ck.OptimizerStates[0].Scalars[1] > 0);

        var m2 = new SoftmaxRegression(16, 3, initSeed: 123);   // other initial weights: everything must come from the file
        var t2 = new Trainer(m2, Optimizer(options, fast), Options(4), Warmup);
        var r2 = t2.Fit(Train, callbacks: Callbacks(d2.Path), resume: ck);
        Assert.Equal(Bits(m1), Bits(m2));
        for (int i = 0; i < t1.OptimizerStates.Count; i++) Assert.True(t1.OptimizerStates[i].BitEquals(t2.OptimizerStates[i]), $"state {i}");
        Assert.Equal(r1.History.Select(h => (h.Loss, h.ValLoss, h.ValAccuracy)), r2.History.Select(h => (h.Loss, h.ValLoss, h.ValAccuracy)));
    }

    sealed class Crash(long atIteration) : Callback
    {
        public override void OnBatchEnd(TrainingContext context, BatchLogs batch)
        {
            if (context.Iteration == atIteration) throw new InvalidOperationException("simulated crash");
        }
    }

    /// <summary>A checkpoint's state blobs carry the scalars; format 1 (no place for them) refuses to write them, and a non-finite scalar is refused on load.</summary>
    [Fact]
    public void Scalars_need_format_2_and_a_non_finite_scalar_is_refused()
    {
        using var d = new TempDir();
        var sf = new Trainer(new SoftmaxRegression(16, 3), ReferenceOptimizers.For(ScheduleFreeOptions.Sgd), Options(1), Warmup);
        sf.Fit(Train, callbacks: [new ModelCheckpoint(Path.Combine(d.Path, "b.ckpt"))]);
        var ck = CheckpointFile.Read(Path.Combine(d.Path, "b.ckpt"));
        Assert.Contains("format 1 has no place for optimizer-state scalars", Assert.Throws<ArgumentException>(() => CheckpointFile.ToBytes(ck, 1)).Message);
        ck.OptimizerStates[1].Scalars[1] = double.PositiveInfinity;
        var e = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.FromBytes(CheckpointFile.ToBytes(ck), "b.ckpt"));
        Assert.Contains("scalar 'weight_sum'", e.Message);
    }

    /// <summary>
    /// EMA and SWA in the trainer: the weights after Fit are the base optimizer's training weights (bit for bit a run without
    /// averaging), the test result is the model's at the average, and a run stopped after 2 of 4 epochs and resumed ends
    /// with the same weights, average and base slots as the straight run.
    /// </summary>
    [Theory]
    [InlineData(WeightAveraging.Ema, false)]
    [InlineData(WeightAveraging.Ema, true)]
    [InlineData(WeightAveraging.Swa, true)]
    public void Ema_and_swa_evaluate_at_the_average_train_as_the_base_and_resume_bit_identical(WeightAveraging mode, bool fast)
    {
        var baseOptions = new AdamOptions();
        var options = new AveragingOptions { Base = baseOptions, Mode = mode, Momentum = 0.9, SwaStart = 12, SwaEvery = 8 };
        IOptimizer Make(IOptimizerOptions o) => fast ? FastOptimizers.For(o) : ReferenceOptimizers.For(o);
        var plain = new SoftmaxRegression(16, 3);
        new Trainer(plain, Make(baseOptions), Options(4), Warmup).Fit(Train);

        using var d1 = new TempDir();
        using var d2 = new TempDir();
        var m1 = new SoftmaxRegression(16, 3);
        var t1 = new Trainer(m1, Make(options), Options(4), Warmup);
        var r1 = t1.Fit(Train, Test, callbacks: Callbacks(d1.Path));
        Assert.Equal(Bits(plain), Bits(m1));
        var atAverage = new SoftmaxRegression(16, 3);
        for (int i = 0; i < m1.Parameters.Count; i++) t1.OptimizerStates[i].Slot("average").CopyTo(atAverage.Parameters[i].Values);
        Assert.NotEqual(Bits(atAverage), Bits(m1));
        Assert.Equal(InBatches(atAverage, Test, 0, Test.Count), r1.Test);

        new Trainer(new SoftmaxRegression(16, 3), Make(options), Options(2), Warmup).Fit(Train, callbacks: Callbacks(d2.Path));
        var ck = CheckpointFile.Read(Path.Combine(d2.Path, "last.ckpt"));
        var m2 = new SoftmaxRegression(16, 3, initSeed: 123);
        var t2 = new Trainer(m2, Make(options), Options(4), Warmup);
        t2.Fit(Train, callbacks: Callbacks(d2.Path), resume: ck);
        Assert.Equal(Bits(m1), Bits(m2));
        for (int i = 0; i < t1.OptimizerStates.Count; i++) Assert.True(t1.OptimizerStates[i].BitEquals(t2.OptimizerStates[i]), $"state {i}");
    }
}
