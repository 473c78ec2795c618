using NetNumerics.Training.Checkpoints;
using NetNumerics.Training.Callbacks;
using NetNumerics.Schedules;
using NetNumerics.Data;
using NetNumerics.Training;
using Xunit;
using NetNumerics.Testing;

namespace NetNumerics.Properties.Training;

/// <summary>A run stopped and resumed from its checkpoint ends with the same bits as the run that never stopped.</summary>
public class ResumeProperties
{
    static readonly Dataset Train = Data.Clusters(150);

    static TrainingOptions Options(int epochs, ScheduleGranularity g) =>
        new() { Epochs = epochs, BatchSize = 16, Seed = 9, ScheduleGranularity = g };

    static readonly ISchedule Decay = new FuncSchedule(s => 0.2 / (1 + 0.1 * s));

    static Callback[] Callbacks(string dir, int everyBatches = 0) =>
    [
        new ReduceLROnPlateauCallback(new() { Patience = 1, Factor = 0.5, Threshold = 0.1 }, monitor: "loss"),
        new EarlyStopping(new() { Patience = 50, RestoreBestWeights = true, Monitor = "val_accuracy" }),
        new ModelCheckpoint(Path.Combine(dir, "last.ckpt"), new() { EveryBatches = everyBatches }),
        new ModelCheckpoint(Path.Combine(dir, "best.ckpt"), new() { SaveBestOnly = true }),
    ];

    static (SoftmaxRegression Model, Trainer Trainer, TrainingResult Result) Straight(int epochs, ScheduleGranularity g, string dir)
    {
        var m = new SoftmaxRegression(16, 3);
        var t = new Trainer(m, new MomentumSgd(), Options(epochs, g), Decay);
        return (m, t, t.Fit(Train, callbacks: Callbacks(dir)));
    }

    static void AssertSameBits(SoftmaxRegression a, Trainer ta, TrainingResult ra, SoftmaxRegression b, Trainer tb, TrainingResult rb)
    {
        for (int i = 0; i < a.Parameters.Count; i++)
            NumericAssert.BitExact<float>(a.Parameters[i].Values.Span, b.Parameters[i].Values.Span, label: $"parameter {i}");
        for (int i = 0; i < ta.OptimizerStates.Count; i++) NumericAssert.BitExact(ta.OptimizerStates[i], tb.OptimizerStates[i], label: $"optimizer state {i}");
        Assert.Equal(ra.Iterations, rb.Iterations);
        Assert.Equal(ra.History.Select(h => (h.Loss, h.Accuracy, h.ValLoss, h.ValAccuracy, h.LearningRate)),
                     rb.History.Select(h => (h.Loss, h.Accuracy, h.ValLoss, h.ValAccuracy, h.LearningRate)));
    }

    [Theory]
    [InlineData(ScheduleGranularity.PerEpoch)]
    [InlineData(ScheduleGranularity.PerIteration)]
    public void Stopped_after_epoch_k_and_resumed_is_bit_identical(ScheduleGranularity g)
    {
        using var d1 = new TempDir();
        using var d2 = new TempDir();
        var (m1, t1, r1) = Straight(7, g, d1.Path);
        // The plateau callback fired: some epoch's rate is below the schedule's (8 batches per epoch).
        Assert.Contains(r1.History, h => h.LearningRate < 0.99 * Decay.At(g == ScheduleGranularity.PerEpoch ? h.Epoch : (h.Epoch + 1) * 8 - 1));

        Straight(5, g, d2.Path);                              // the "stopped" run: 5 of 7 epochs (after the plateau fired)
        var ck = CheckpointFile.Read(Path.Combine(d2.Path, "last.ckpt"));
        Assert.Equal(5, ck.Epoch);
        Assert.NotEqual(1.0, ck.LearningRateMultiplier);
        var m2 = new SoftmaxRegression(16, 3, initSeed: 123);   // different initial weights: everything must come from the file
        var t2 = new Trainer(m2, new MomentumSgd(), Options(7, g), Decay);
        var r2 = t2.Fit(Train, callbacks: Callbacks(d2.Path), resume: ck);
        AssertSameBits(m1, t1, r1, m2, t2, r2);
        Assert.Equal(File.ReadAllBytes(Path.Combine(d1.Path, "best.ckpt")).Length, File.ReadAllBytes(Path.Combine(d2.Path, "best.ckpt")).Length);
    }

    sealed class Crash(long atIteration) : Callback
    {
        public override void OnBatchEnd(TrainingContext context, BatchLogs batch)
        {
            if (context.Iteration == atIteration) throw new InvalidOperationException("simulated crash");
        }
    }

    [Fact]
    public void Crashed_mid_epoch_and_resumed_from_the_batch_checkpoint_is_bit_identical()
    {
        using var d1 = new TempDir();
        using var d2 = new TempDir();
        var (m1, t1, r1) = Straight(7, ScheduleGranularity.PerIteration, d1.Path);

        // 120 training samples / 16 = 8 batches per epoch. Checkpoint every 3 updates; crash once 44 updates are done:
        // the file was written after 42 updates, i.e. after batch 1 of epoch 5 (0-based), so it resumes at batch 2
        // (after the plateau callback has scaled the schedule, at the end of epoch 4).
        var m0 = new SoftmaxRegression(16, 3);
        var t0 = new Trainer(m0, new MomentumSgd(), Options(7, ScheduleGranularity.PerIteration), Decay);
        Assert.Throws<InvalidOperationException>(() => t0.Fit(Train, callbacks: [.. Callbacks(d2.Path, everyBatches: 3), new Crash(44)]));
        var ck = CheckpointFile.Read(Path.Combine(d2.Path, "last.ckpt"));
        Assert.Equal(42, ck.Iteration);
        Assert.Equal(5, ck.Epoch);
        Assert.Equal(2, ck.Batch);
        Assert.NotEqual(1.0, ck.LearningRateMultiplier);

        var m2 = new SoftmaxRegression(16, 3, initSeed: 5);
        var t2 = new Trainer(m2, new MomentumSgd(), Options(7, ScheduleGranularity.PerIteration), Decay);
        var r2 = t2.Fit(Train, callbacks: Callbacks(d2.Path, everyBatches: 3), resume: ck);
        AssertSameBits(m1, t1, r1, m2, t2, r2);
    }

    [Fact]
    public void Resuming_a_run_that_stopped_early_runs_no_more_epochs_and_restores_best_weights()
    {
        using var d = new TempDir();
        var model = new RecordingModel(4, 3, [1.0, 0.4, 0.8, 0.9, 0.95]) { Gradient = s => 0.1f * (s + 1) };
        var path = Path.Combine(d.Path, "last.ckpt");
        var rec = new WeightRecorder();
        var t = new Trainer(model, new PlainSgd(), new TrainingOptions { Epochs = 10, BatchSize = 8, LearningRate = 0.1 });
        var r = t.Fit(Data.Indexed(20), callbacks: [rec, new EarlyStopping(new() { Patience = 3, RestoreBestWeights = true }), new ModelCheckpoint(path)]);
        var ck = CheckpointFile.Read(path);
        Assert.True(ck.Stopped);

        var m2 = new RecordingModel(4, 3);
        var r2 = new Trainer(m2, new PlainSgd(), new TrainingOptions { Epochs = 10, BatchSize = 8, LearningRate = 0.1 })
            .Fit(Data.Indexed(20), callbacks: [new EarlyStopping(new() { Patience = 3, RestoreBestWeights = true })], resume: ck);
        Assert.Empty(m2.TrainBatches);
        Assert.Equal(r.History.Count, r2.History.Count);
        Assert.Equal(rec.PerEpoch[1][0], m2.Parameters[0].Values.ToArray());
    }
}
