using NetNumerics.Training;
using NetNumerics.Training.Callbacks;
using NetNumerics.Training.Checkpoints;
using Xunit;

namespace NetNumerics.Properties.Training;

/// <summary>
/// Issue 14 #14: weights are checked after every update, not only the loss and the gradients. A finite gradient that
/// overflows the update (3e38 x lr 10 = -inf) leaves every loss and gradient finite (TerminateOnNaN sees nothing), yet
/// the weights are unusable: the trainer stops at that step, names the tensor, and saves no checkpoint of it.
/// </summary>
public class NonFiniteWeightTests
{
    [Fact]
    public void An_update_that_leaves_a_weight_infinite_stops_the_run_naming_the_tensor_and_saves_nothing_of_it()
    {
        using var dir = new TempDir();
        string last = Path.Combine(dir.Path, "last.ckpt");
        var model = new RecordingModel(4, 3) { Gradient = step => step < 7 ? 1e-3f : 3e38f };   // finite everywhere
        var t = new Trainer(model, new PlainSgd(), new TrainingOptions { Epochs = 3, BatchSize = 2, ValidationSplit = 0, LearningRate = 10, Shuffle = false });
        var result = t.Fit(Data.Indexed(10), callbacks: [new TerminateOnNaN(), new ModelCheckpoint(last)]);
        Assert.NotNull(result.StopReason);
        Assert.StartsWith("NonFiniteWeights: epoch 2, batch 3/5 (step 7): the update left 'w' ", result.StopReason);
        Assert.Contains("(3 of 3 values not finite)", result.StopReason);
        Assert.Equal(8, result.Iterations);
        var saved = CheckpointFile.Read(last);              // the epoch-1 file, not the broken epoch
        Assert.Equal((1, 5L), (saved.Epoch, saved.Iteration));
        Assert.All(saved.Parameters, p => Assert.All(p.Values, v => Assert.True(float.IsFinite(v))));
    }
}
