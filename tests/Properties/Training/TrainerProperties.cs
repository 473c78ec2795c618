using NetNumerics.Schedules;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NetNumerics.Training;
using Xunit;

namespace NetNumerics.Properties.Training;

public class TrainerProperties
{
    [Property(MaxTest = 200)]
    public bool Shuffle_is_a_permutation_and_a_pure_function_of_seed_and_epoch(ulong seed, byte epoch, byte count)
    {
        var a = EpochShuffle.Permutation(seed, epoch, count);
        var b = EpochShuffle.Permutation(seed, epoch, count);
        return a.SequenceEqual(b) && a.Order().SequenceEqual(Enumerable.Range(0, count));
    }

    [Property(MaxTest = 50)]
    public bool Shuffle_changes_with_epoch_and_seed(ulong seed)
    {
        // 50 elements: two independent uniform permutations coincide with probability 1/50!, so equal orders mean the input was ignored.
        var e0 = EpochShuffle.Permutation(seed, 0, 50);
        return !e0.SequenceEqual(EpochShuffle.Permutation(seed, 1, 50))
            && !e0.SequenceEqual(EpochShuffle.Permutation(seed + 1, 0, 50))
            && !e0.SequenceEqual(Enumerable.Range(0, 50));
    }

    [Fact]
    public void Shuffle_positions_are_roughly_uniform()
    {
        // 4000 shuffles of 5: each (element, position) count is Binomial(4000, 1/5): mean 800, sd ~25.3; 6 sd = 152.
        var counts = new int[5, 5];
        for (int e = 0; e < 4000; e++)
        {
            var p = EpochShuffle.Permutation(11, e, 5);
            for (int i = 0; i < 5; i++) counts[p[i], i]++;
        }
        foreach (int c in counts) Assert.InRange(c, 800 - 152, 800 + 152);
    }

    [Property(MaxTest = 30)]
    public Property Validation_is_the_last_split_and_every_training_sample_is_seen_once_per_epoch()
    {
        var gen = from n in Gen.Choose(2, 60)
                  from batch in Gen.Choose(1, 17)
                  from split in Gen.Elements(0.0, 0.2, 0.25, 0.5)
                  select (n, batch, split);
        return Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var (n, batch, split) = t;
            int nTrain = (int)Math.Floor(n * (1 - split));
            var model = new RecordingModel(4, 3);
            var trainer = new Trainer(model, new PlainSgd(), new TrainingOptions { Epochs = 2, BatchSize = batch, ValidationSplit = split, Seed = 5 });
            var r = trainer.Fit(Data.Indexed(n));
            int batches = (nTrain + batch - 1) / batch;
            bool ok = model.TrainBatches.Count == 2 * batches && r.Iterations == 2 * batches;
            for (int e = 0; e < 2; e++)
            {
                var seen = model.TrainBatches.Skip(e * batches).Take(batches).SelectMany(b => b).ToArray();
                ok &= seen.Order().SequenceEqual(Enumerable.Range(0, nTrain));           // a permutation of the first nTrain
                ok &= seen.SequenceEqual(EpochShuffle.Permutation(5, e, nTrain));         // in the shuffle's order
                ok &= model.TrainBatches.Skip(e * batches).Take(batches).All(b => b.Length == batch || b == model.TrainBatches[e * batches + batches - 1]);
            }
            var evaluated = model.EvalBatches.SelectMany(b => b).ToArray();
            var expectedVal = Enumerable.Range(nTrain, n - nTrain).ToArray();
            ok &= evaluated.SequenceEqual(expectedVal.Concat(expectedVal));              // the last samples, in order, every epoch
            ok &= r.History.All(h => (h.ValLoss is null) == (n == nTrain));
            return ok.Label($"n={n} batch={batch} split={split}");
        });
    }

    [Fact]
    public void Train_loss_is_the_sample_weighted_running_mean_of_the_epoch()
    {
        // 10 training samples, batch 4: batches of 4, 4, 2 at steps 0, 1, 2 with per-sample losses 1/(1+step).
        var model = new RecordingModel(4, 3);
        var trainer = new Trainer(model, new PlainSgd(), new TrainingOptions { Epochs = 1, BatchSize = 4, ValidationSplit = 0 });
        var r = trainer.Fit(Data.Indexed(10));
        double expected = (4 * 1.0 + 4 * 0.5 + 2 * (1.0 / 3)) / 10;
        Assert.Equal(expected, r.History[0].Loss, 15);
        Assert.Equal((2 + 2 + 1) / 10.0, r.History[0].Accuracy, 15);
    }

    [Fact]
    public void Model_gets_the_run_seed_and_the_global_step()
    {
        var model = new RecordingModel(4, 3);
        new Trainer(model, new PlainSgd(), new TrainingOptions { Epochs = 3, BatchSize = 3, ValidationSplit = 0, Seed = 42 }).Fit(Data.Indexed(7));
        Assert.Equal(Enumerable.Range(0, 9).Select(i => (42UL, (long)i)), model.Steps);
    }

    [Fact]
    public void Softmax_regression_fixture_learns_the_clusters()
    {
        var data = Data.Clusters(600);
        var model = new SoftmaxRegression(16, 3);
        var r = new Trainer(model, new MomentumSgd(), new TrainingOptions { Epochs = 5, BatchSize = 32, LearningRate = 0.1 })
            .Fit(data, Data.Clusters(300, seed: 9));
        Assert.True(r.Test!.Value.Accuracy > 0.9, $"test accuracy {r.Test.Value.Accuracy}");
        Assert.True(r.History[^1].Loss < r.History[0].Loss);
    }

    [Fact]
    public void Per_iteration_schedule_gets_the_global_step_and_per_epoch_schedule_the_epoch()
    {
        var seen = new List<long>();
        var sched = new FuncSchedule(s => { seen.Add(s); return 0.01; });
        new Trainer(new RecordingModel(4, 3), new PlainSgd(), new TrainingOptions { Epochs = 2, BatchSize = 2, ValidationSplit = 0, ScheduleGranularity = ScheduleGranularity.PerIteration }, sched)
            .Fit(Data.Indexed(5));
        Assert.Equal([0, 1, 2, 3, 4, 5], seen.Skip(1));   // first call sets the initial rate (step 0)
        seen.Clear();
        var r = new Trainer(new RecordingModel(4, 3), new PlainSgd(), new TrainingOptions { Epochs = 3, BatchSize = 2, ValidationSplit = 0 },
            new FuncSchedule(e => 0.1 / (1 + e))).Fit(Data.Indexed(5));
        Assert.Equal([0.1, 0.05, 0.1 / 3], r.History.Select(h => h.LearningRate));
    }

    [Fact]
    public void Bad_options_and_mismatched_data_name_the_argument()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingOptions { ValidationSplit = 1 }.Validate());
        Assert.Contains("ValidationSplit", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(new RecordingModel(4, 3), new PlainSgd(), new TrainingOptions { BatchSize = 0 }));
        var t = new Trainer(new RecordingModel(9, 3), new PlainSgd());
        var e2 = Assert.Throws<ArgumentException>(() => t.Fit(Data.Indexed(10)));
        Assert.Contains("model takes 9", e2.Message);
    }
}

sealed class FuncSchedule(Func<long, double> f) : ISchedule
{
    public double At(long step) => f(step);
}
