using NetNumerics.Data;
using NetNumerics.Distributed;
using NetNumerics.Fast.Nn;
using NetNumerics.Fast.Optimizers;
using NetNumerics.Nn;
using NetNumerics.Optimizers;
using NetNumerics.Properties.Cli;
using NetNumerics.Properties.Training;
using NetNumerics.Training;
using NetNumerics.Training.Callbacks;
using NetNumerics.Training.Checkpoints;
using NetNumerics.Training.Distributed;
using Xunit;

namespace NetNumerics.Properties.Distributed;

/// <summary>
/// The seed MNIST CNN (dropout included) under the trainer, with the ranks as threads of this process: 2 ranks x 1 thread and
/// 2 ranks x 2 threads train, over 2 epochs, to the weights, optimizer states, history and test result of one process on 1 and
/// on 2 threads, bit for bit; only rank 0 writes checkpoints; weights that differ between ranks stop the run naming the rank.
/// </summary>
[Collection(CnnTraining.Collection)]   // one CNN training at a time: each already uses both cores
public class DistributedTrainerTests
{
    // 260 MNIST-shaped samples: 208 train in batches of 40 (5 chunks: rank 0 has 4, rank 1 one; the last batch of 8 is one
    // chunk, so rank 1 sits that step out), 52 validation.
    static readonly Dataset Train = IdxTestData.MnistShaped(260, seed: 23);
    static readonly Dataset Test = IdxTestData.MnistShaped(40, seed: 23, set: 1);

    static Trainer Create(int threads, ICommunicator? ranks) =>
        new(new FastModel(NetworkSpec.MnistSeed(), 5, new FastModelOptions { MaxDegreeOfParallelism = threads, MaxBatch = 40, Ranks = ranks }),
            FastOptimizers.For(new AdamOptions()), new TrainingOptions { Epochs = 2, BatchSize = 40, Seed = 6, ValidationSplit = 0.2 })
        { Ranks = ranks };

    static (int[][] Weights, OptimizerState<float>[] States, TrainingResult Result) Fit(Trainer t, IEnumerable<Callback>? callbacks = null)
    {
        var r = t.Fit(Train, Test, callbacks);
        return (t.Model.Parameters.Select(p => p.Values.ToArray().Select(BitConverter.SingleToInt32Bits).ToArray()).ToArray(),
            t.OptimizerStates.Select(s => s.Clone()).ToArray(), r);
    }

    static void AssertSame((int[][] Weights, OptimizerState<float>[] States, TrainingResult Result) a, (int[][] Weights, OptimizerState<float>[] States, TrainingResult Result) b, string what)
    {
        for (int i = 0; i < a.Weights.Length; i++) Assert.True(a.Weights[i].SequenceEqual(b.Weights[i]), $"{what}: parameter {i} differs");
        for (int i = 0; i < a.States.Length; i++) Assert.True(a.States[i].BitEquals(b.States[i]), $"{what}: optimizer state {i} differs");
        Assert.Equal(a.Result.History.Select(h => (h.Loss, h.Accuracy, h.ValLoss, h.ValAccuracy)), b.Result.History.Select(h => (h.Loss, h.Accuracy, h.ValLoss, h.ValAccuracy)));
        Assert.Equal(a.Result.Test, b.Result.Test);
        Assert.Equal(a.Result.Iterations, b.Result.Iterations);
    }

    [Fact]
    public void Two_ranks_on_one_and_two_threads_train_to_the_bits_of_one_process_on_one_and_two_threads()
    {
        var one = Fit(Create(1, null));
        Assert.True(one.Result.History[^1].Loss < one.Result.History[0].Loss, "the run learned nothing, so the comparison would prove little");
        AssertSame(one, Fit(Create(2, null)), "1 process x 2 threads");
        using var dir = new TempDir();
        foreach (int threads in new[] { 1, 2 })
        {
            var ranks = InProcessRanks.Run(2, c => Fit(Create(threads, c), [new ModelCheckpoint(Path.Combine(dir.Path, $"rank{c.Rank}-{threads}.ckpt"))]));
            AssertSame(one, ranks[0], $"2 ranks x {threads} threads, rank 0");
            AssertSame(one, ranks[1], $"2 ranks x {threads} threads, rank 1");
            Assert.True(File.Exists(Path.Combine(dir.Path, $"rank0-{threads}.ckpt")), "rank 0 wrote no checkpoint");
            Assert.False(File.Exists(Path.Combine(dir.Path, $"rank1-{threads}.ckpt")), "rank 1 wrote a checkpoint: only rank 0 writes");
        }
    }

    [Fact]
    public void Weights_that_differ_between_ranks_stop_every_rank_with_a_message_naming_the_rank()
    {
        var spec = NetNumerics.Properties.Nn.FastModelProperties.Small(1, 3, false, 1);
        var errors = InProcessRanks.Run(2, c =>
        {
            var model = new FastModel(spec, 1, new FastModelOptions { MaxBatch = 16, Ranks = c });
            RankAgreement.CheckSameWeights(c, model.Parameters, [], "after epoch 1");   // identical: passes
            if (c.Rank == 1) model.Parameters[0].Values.Span[3] = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(model.Parameters[0].Values.Span[3]) ^ 1);
            return Assert.Throws<MpiException>(() => RankAgreement.CheckSameWeights(c, model.Parameters, [], "after epoch 2")).Message;
        });
        Assert.All(errors, m => Assert.Matches("^the weights differ across ranks after epoch 2: rank 0 has hash [0-9a-f]{16}, rank 1 [0-9a-f]{16}; ", m));
    }

    [Fact]
    public void A_cancellation_seen_by_one_rank_stops_every_rank_after_the_same_batch()
    {
        var votes = InProcessRanks.Run(2, c => (RankAgreement.Any(c, c.Rank == 1), RankAgreement.Any(c, false)));
        Assert.All(votes, v => Assert.Equal((true, false), v));
    }
}
