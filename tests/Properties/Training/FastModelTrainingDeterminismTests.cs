using NetNumerics.Training.Checkpoints;
using NetNumerics.Training.Callbacks;
using NetNumerics.Nn;
using NetNumerics.Schedules;
using NetNumerics.Fast.Nn;
using NetNumerics.Data;
using NetNumerics.Fast.Optimizers;
using NetNumerics.Optimizers;
using NetNumerics.Properties.Cli;
using NetNumerics.Training;
using Xunit;
using NetNumerics.Testing;

namespace NetNumerics.Properties.Training;

/// <summary>
/// Issue #5 with the real Fast CNN (the seed MNIST spec, dropout included) under the trainer: the thread count does
/// not change a single bit of a training run, and a run stopped (after an epoch, or by a crash mid-epoch) and
/// resumed from its checkpoint ends with the bits of the run that never stopped, even on another thread count.
/// </summary>
[Collection(CnnTraining.Collection)]   // one CNN training at a time: each already uses both cores
public class FastModelTrainingDeterminismTests
{
    // 200 MNIST-shaped samples: 160 train in 4 batches of 40 (3 chunks of 16 each, so 2 threads both work), 40 validation.
    static readonly Dataset Train = IdxTestData.MnistShaped(200, seed: 21);
    static readonly Dataset Test = IdxTestData.MnistShaped(48, seed: 21, set: 1);

    static TrainingOptions Options(int epochs) => new()
    {
        Epochs = epochs, BatchSize = 40, Seed = 4, ValidationSplit = 0.2, ScheduleGranularity = ScheduleGranularity.PerIteration,
        Clipping = new ClippingOptions { GlobalClipNorm = 2.0 },   // the global norm is a sum: it must not depend on threads either
    };

    static readonly ISchedule Decay = new FuncSchedule(s => 2e-3 / (1 + 0.05 * s));

    static (FastModel Model, Trainer Trainer) Create(int threads, ulong initSeed = 8, int epochs = 3)
    {
        var model = new FastModel(NetworkSpec.MnistSeed(), initSeed, new FastModelOptions { MaxDegreeOfParallelism = threads, MaxBatch = 40 });
        return (model, new Trainer(model, FastOptimizers.For(new AdamOptions()), Options(epochs), Decay, FastClipping.Instance));
    }

    static void AssertSameRun(Trainer a, TrainingResult ra, Trainer b, TrainingResult rb)
    {
        var pa = a.Model.Parameters;
        var pb = b.Model.Parameters;
        for (int i = 0; i < pa.Count; i++)
            NumericAssert.BitExact<float>(pa[i].Values.Span, pb[i].Values.Span, label: $"parameter {pa[i].Name}");
        for (int i = 0; i < a.OptimizerStates.Count; i++) NumericAssert.BitExact(a.OptimizerStates[i], b.OptimizerStates[i], label: $"optimizer state {i}");
        Assert.Equal(ra.Iterations, rb.Iterations);
        // double == double is bit equality here (no NaN in a healthy run; checked below).
        Assert.Equal(ra.History.Select(h => (h.Loss, h.Accuracy, h.ValLoss, h.ValAccuracy, h.LearningRate)),
                     rb.History.Select(h => (h.Loss, h.Accuracy, h.ValLoss, h.ValAccuracy, h.LearningRate)));
        Assert.Equal(ra.Test, rb.Test);
        Assert.All(ra.History, h => Assert.True(double.IsFinite(h.Loss) && double.IsFinite(h.ValLoss!.Value)));
    }

    [Fact]
    public void One_and_two_threads_train_to_bit_identical_weights_optimizer_states_and_history()
    {
        var (m1, t1) = Create(threads: 1);
        var r1 = t1.Fit(Train, Test);
        var (m2, t2) = Create(threads: 2);
        var r2 = t2.Fit(Train, Test);
        AssertSameRun(t1, r1, t2, r2);
        Assert.True(r1.History[^1].Loss < r1.History[0].Loss, "the run learned nothing, so the comparison would prove little");
        Assert.Equal(12, r1.Iterations);
        Assert.Equal(1, m1.Options.MaxDegreeOfParallelism);
        Assert.Equal(2, m2.Options.MaxDegreeOfParallelism);
    }

    [Fact]
    public void Stopped_after_an_epoch_and_resumed_on_another_thread_count_is_bit_identical()
    {
        using var d1 = new TempDir();
        using var d2 = new TempDir();
        var (_, straight) = Create(threads: 2);
        var rs = straight.Fit(Train, Test, [new ModelCheckpoint(Path.Combine(d1.Path, "last.ckpt"))]);

        var (_, first) = Create(threads: 2, epochs: 2);
        first.Fit(Train, callbacks: [new ModelCheckpoint(Path.Combine(d2.Path, "last.ckpt"))]);
        var ck = CheckpointFile.Read(Path.Combine(d2.Path, "last.ckpt"));
        Assert.Equal(2, ck.Epoch);

        var (_, resumed) = Create(threads: 1, initSeed: 99);   // other initial weights: everything must come from the file
        var rr = resumed.Fit(Train, Test, [new ModelCheckpoint(Path.Combine(d2.Path, "last.ckpt"))], resume: ck);
        AssertSameRun(straight, rs, resumed, rr);
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
        using var d = new TempDir();
        var (_, straight) = Create(threads: 1);
        var rs = straight.Fit(Train, Test);

        // 4 batches per epoch; a checkpoint every 3 updates; the crash after update 7 leaves the file of update 6,
        // i.e. epoch 1 (0-based), batch 2 of 4.
        string path = Path.Combine(d.Path, "last.ckpt");
        var (_, crashing) = Create(threads: 2);
        Assert.Throws<InvalidOperationException>(() => crashing.Fit(Train, Test, [new ModelCheckpoint(path, new() { EveryBatches = 3 }), new Crash(7)]));
        var ck = CheckpointFile.Read(path);
        Assert.Equal((1, 2, 6L), (ck.Epoch, ck.Batch, ck.Iteration));

        var (_, resumed) = Create(threads: 2, initSeed: 77);
        var rr = resumed.Fit(Train, Test, [new ModelCheckpoint(path, new() { EveryBatches = 3 })], resume: ck);
        AssertSameRun(straight, rs, resumed, rr);
    }
}
