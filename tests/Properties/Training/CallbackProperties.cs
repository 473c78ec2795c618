using NetNumerics.Training.Checkpoints;
using NetNumerics.Training.Callbacks;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NetNumerics.Training;
using Xunit;

namespace NetNumerics.Properties.Training;

/// <summary>Callbacks driven by scripted validation metrics; expected epochs are worked out by hand from Keras' code.</summary>
public class CallbackProperties
{
    static TrainingResult Run(double[] valLoss, int epochs, params Callback[] callbacks) => Run(valLoss, epochs, null, callbacks);

    static TrainingResult Run(double[] valLoss, int epochs, double[]? valAcc, params Callback[] callbacks) =>
        new Trainer(new RecordingModel(4, 3, valLoss, valAcc), new PlainSgd(),
                new TrainingOptions { Epochs = epochs, BatchSize = 8, ValidationSplit = 0.2, LearningRate = 0.1 })
            .Fit(Data.Indexed(20), callbacks: callbacks);

    [Fact]
    public void Early_stopping_stops_after_patience_epochs_without_improvement()
    {
        // best 0.9 at epoch 1; epochs 2, 3 do not improve -> wait reaches 2 at epoch 3 -> stop; 4 epochs run.
        var es = new EarlyStopping(new() { Patience = 2 });
        var r = Run([1.0, 0.9, 0.95, 0.96, 0.5, 0.4], 10, es);
        Assert.Equal(4, r.EpochsCompleted);
        Assert.Equal(3, es.StoppedEpoch);
        Assert.Contains("EarlyStopping", r.StopReason);
    }

    [Property(MaxTest = 6)]
    public Property Early_stopping_on_a_flat_metric_runs_max_of_patience_and_1_plus_1_epochs() =>
        Prop.ForAll(Gen.Choose(0, 5).ToArbitrary(), p =>
            Run([0.7], 20, new EarlyStopping(new() { Patience = p })).EpochsCompleted == Math.Max(p, 1) + 1);

    [Property(MaxTest = 10)]
    public Property Early_stopping_never_stops_a_strictly_improving_metric() =>
        Prop.ForAll(Gen.Choose(0, 3).ToArbitrary(), p =>
            Run(Enumerable.Range(0, 8).Select(i => 1.0 - 0.1 * i).ToArray(), 8, new EarlyStopping(new() { Patience = p })).EpochsCompleted == 8);

    [Fact]
    public void Early_stopping_min_delta_counts_small_gains_as_no_improvement()
    {
        // min_delta 0.05: 0.98, 0.97 are not improvements on 1.0 -> wait 1, 2 -> stop after epoch 2.
        var r = Run([1.0, 0.98, 0.97, 0.5], 10, new EarlyStopping(new() { Patience = 2, MinDelta = 0.05 }));
        Assert.Equal(3, r.EpochsCompleted);
    }

    [Fact]
    public void Early_stopping_baseline_keeps_the_wait_counting_until_beaten()
    {
        // Without baseline a flat metric with patience 2 runs 3 epochs; with an unbeaten baseline the first epoch's
        // wait (1) is not reset, so epoch 1 reaches 2 and stops: 2 epochs.
        Assert.Equal(3, Run([0.5], 10, new EarlyStopping(new() { Patience = 2 })).EpochsCompleted);
        Assert.Equal(2, Run([0.5], 10, new EarlyStopping(new() { Patience = 2, Baseline = 0.1 })).EpochsCompleted);
    }

    [Fact]
    public void Early_stopping_max_mode_on_accuracy()
    {
        // 4 validation samples, so accuracies are multiples of 1/4.
        var r = Run([0.5], 10, [0.25, 0.5, 0.5, 0.5, 1.0], new EarlyStopping(new() { Monitor = "val_accuracy", Patience = 2 }));
        Assert.Equal(4, r.EpochsCompleted);   // best 0.5 at epoch 1, epochs 2, 3 flat
    }

    [Fact]
    public void Early_stopping_restores_the_weights_of_the_best_epoch()
    {
        var rec = new WeightRecorder();
        var model = new RecordingModel(4, 3, [1.0, 0.4, 0.8, 0.9, 0.95]) { Gradient = s => 0.1f * (s + 1) };
        var trainer = new Trainer(model, new PlainSgd(), new TrainingOptions { Epochs = 10, BatchSize = 8, LearningRate = 0.1 });
        var r = trainer.Fit(Data.Indexed(20), callbacks: [rec, new EarlyStopping(new() { Patience = 3, RestoreBestWeights = true })]);
        Assert.Equal(5, r.EpochsCompleted);
        Assert.Equal(rec.PerEpoch[1][0], model.Parameters[0].Values.ToArray());
        Assert.NotEqual(rec.PerEpoch[4][0], model.Parameters[0].Values.ToArray());
    }

    [Fact]
    public void Reduce_lr_on_plateau_follows_keras_wait_and_cooldown()
    {
        // Flat loss, patience 2, cooldown 1 (hand-traced from Keras): reductions at the ends of epochs 2 and 4.
        var r = Run([0.5], 6, new ReduceLROnPlateauCallback(new() { Patience = 2, Factor = 0.5, Cooldown = 1 }));
        Assert.Equal([0.1, 0.1, 0.1, 0.05, 0.05, 0.025], r.History.Select(h => h.LearningRate));
    }

    [Fact]
    public void Reduce_lr_on_plateau_respects_min_lr_and_improvements_reset_wait()
    {
        var r = Run([0.5, 0.4, 0.4, 0.3, 0.3, 0.3, 0.3, 0.3], 8, new ReduceLROnPlateauCallback(new() { Patience = 2, Factor = 0.1, MinLearningRate = 0.02 }));
        // improvements at 1 and 3 reset wait; reductions at the end of epochs 5 and 7 (min_lr floors the first).
        Assert.Equal([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.02, 0.02], r.History.Select(h => h.LearningRate));
    }

    [Fact]
    public void Reduce_lr_on_plateau_scales_a_schedule_for_the_rest_of_the_run()
    {
        var trainer = new Trainer(new RecordingModel(4, 3, [0.5]), new PlainSgd(),
            new TrainingOptions { Epochs = 5, BatchSize = 8 }, new FuncSchedule(e => 0.1 / (1 + e)));
        var r = trainer.Fit(Data.Indexed(20), callbacks: [new ReduceLROnPlateauCallback(new() { Patience = 1, Factor = 0.5, Cooldown = 10 })]);
        // epoch 0 sets best; epoch 1 waits 1 -> lr halves: the schedule is scaled by 0.5 from epoch 2 on.
        double[] expected = [0.1, 0.05, 0.5 * 0.1 / 3, 0.5 * 0.1 / 4, 0.5 * 0.1 / 5];
        for (int i = 0; i < 5; i++) Assert.Equal(expected[i], r.History[i].LearningRate, 15);
    }

    [Fact]
    public void Learning_rate_scheduler_gets_epoch_and_current_rate_at_epoch_begin()
    {
        var calls = new List<(int, double)>();
        var r = Run([0.5], 4, new LearningRateScheduler((e, lr) => { calls.Add((e, lr)); return e < 2 ? lr : lr * 0.5; }));
        Assert.Equal([(0, 0.1), (1, 0.1), (2, 0.1), (3, 0.05)], calls);
        Assert.Equal([0.1, 0.1, 0.05, 0.025], r.History.Select(h => h.LearningRate));
    }

    [Fact]
    public void Model_checkpoint_best_only_writes_on_strict_improvements()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "best.ckpt");
        var mc = new ModelCheckpoint(path, new() { SaveBestOnly = true });
        Run([1.0, 0.5, 0.5, 0.4, 0.6], 5, mc);
        Assert.Equal(3, mc.Saves);                       // epochs 0, 1, 3 (0.5 again at epoch 2 is not strictly better)
        var ck = CheckpointFile.Read(path);
        Assert.Equal(4, ck.Epoch);                       // written after epoch 3
        Assert.Equal(4, ck.History.Count);
        Assert.Equal(0.4, ck.History[^1].ValLoss!.Value, 15);
        Assert.Equal(0.4, ck.CallbackStates.Single(k => k.Key.Contains("ModelCheckpoint")).Value.Scalar("best"), 15);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Model_checkpoint_initial_threshold_must_be_beaten_first()
    {
        using var dir = new TempDir();
        var mc = new ModelCheckpoint(Path.Combine(dir.Path, "b.ckpt"), new() { SaveBestOnly = true, InitialValueThreshold = 0.45 });
        Run([1.0, 0.5, 0.4, 0.6], 4, mc);
        Assert.Equal(1, mc.Saves);
    }

    [Fact]
    public void Terminate_on_nan_stops_before_applying_the_bad_update_and_names_the_place()
    {
        var model = new RecordingModel(4, 3) { Gradient = s => s == 5 ? float.NaN : 0.5f };
        var trainer = new Trainer(model, new PlainSgd(), new TrainingOptions { Epochs = 10, BatchSize = 4, ValidationSplit = 0, LearningRate = 0.1 });
        var r = trainer.Fit(Data.Indexed(12), callbacks: [new TerminateOnNaN()]);
        Assert.Equal(5, r.Iterations);                                   // steps 0..4 applied, step 5 not
        Assert.Contains("epoch 2", r.StopReason);                         // 3 batches per epoch: step 5 is epoch 2 (1-based), batch 3
        Assert.Contains("batch 3/3", r.StopReason);
        Assert.Contains("step 5", r.StopReason);
        Assert.Contains("'w'", r.StopReason);
        Assert.All(model.Parameters[0].Values.ToArray(), v => Assert.True(float.IsFinite(v)));
        Assert.Equal(-0.25f, model.Parameters[0].Values.Span[0], 5);   // five updates of -0.1 * 0.5

        var lossNaN = new RecordingModel(4, 3) { TrainLoss = s => s == 2 ? double.PositiveInfinity : 1 };
        var r2 = new Trainer(lossNaN, new PlainSgd(), new TrainingOptions { Epochs = 3, BatchSize = 4, ValidationSplit = 0 })
            .Fit(Data.Indexed(12), callbacks: [new TerminateOnNaN()]);
        Assert.Contains("loss is ∞", r2.StopReason!.Replace("Infinity", "∞"));
        Assert.Equal(2, r2.Iterations);
    }

    [Fact]
    public void An_epoch_cut_short_by_terminate_on_nan_is_not_checkpointed()
    {
        using var dir = new TempDir();
        string last = Path.Combine(dir.Path, "last.ckpt"), best = Path.Combine(dir.Path, "best.ckpt");
        // 3 batches per epoch; the gradient of step 5 (epoch 2, batch 3) is NaN.
        var model = new RecordingModel(4, 3) { Gradient = s => s == 5 ? float.NaN : 0.5f };
        var r = new Trainer(model, new PlainSgd(), new TrainingOptions { Epochs = 10, BatchSize = 4, ValidationSplit = 0, LearningRate = 0.1 })
            .Fit(Data.Indexed(12), callbacks: [new TerminateOnNaN(), new ModelCheckpoint(last), new ModelCheckpoint(best, new() { SaveBestOnly = true, Monitor = "loss" })]);
        Assert.Equal(2, r.History.Count);                       // the cut-short epoch is in the history...
        foreach (var path in new[] { last, best })
        {
            var ck = CheckpointFile.Read(path);                 // ...but the files keep the end of epoch 1
            Assert.Equal((1, 0, 3L, false), (ck.Epoch, ck.Batch, ck.Iteration, ck.Stopped));
            Assert.Equal(-0.15f, ck.Parameters[0].Values[0], 5); // three updates of -0.1 * 0.5
        }
    }

    [Fact]
    public void Csv_logger_writes_a_header_and_one_row_per_epoch()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "history.csv");
        Run([0.5], 3, new CsvLogger(path));
        var lines = File.ReadAllLines(path);
        Assert.Equal(CsvLogger.Header, lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.All(lines.Skip(1), l => Assert.Equal(7, l.Split(',').Length));
        Assert.Equal(["0", "1", "2"], lines.Skip(1).Select(l => l.Split(',')[0]));
    }

    [Fact]
    public void Progress_bar_writes_plain_lines_when_redirected_and_a_bar_on_a_terminal()
    {
        var plain = new StringWriter();
        Run([0.5], 2, new ProgressBar(plain, interactive: false));
        var lines = plain.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.DoesNotContain("\r", plain.ToString());
        Assert.StartsWith("Epoch 1/2", lines[0]);
        Assert.Contains("val_loss: 0.5000", lines[0]);

        var tty = new StringWriter();
        Run([0.5], 1, new ProgressBar(tty, interactive: true));
        Assert.Contains("\r", tty.ToString());
        Assert.Contains("ETA", tty.ToString());
    }

    [Fact]
    public void Unknown_monitor_is_rejected_with_the_available_names()
    {
        var ex = Assert.Throws<ArgumentException>(() => new EarlyStopping(new() { Monitor = "val_los" }));
        Assert.Contains("val_los", ex.Message);
        Assert.Contains("val_loss", ex.Message);
    }
}

sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "nn-train-" + Guid.NewGuid().ToString("N")));
    public string Path { get; }
    public void Dispose() { try { Directory.Delete(Path, true); } catch (IOException) { } }
}
