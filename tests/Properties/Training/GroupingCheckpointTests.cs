using NetNumerics.Training.Checkpoints;
using NetNumerics.Data;
using NetNumerics.Optimizers;
using NetNumerics.Reference.Optimizers;
using NetNumerics.Training;
using NetNumerics.Training.Callbacks;
using Xunit;

namespace NetNumerics.Properties.Training;

/// <summary>Checkpoints record the parameter groups each tensor went to; a resume with another routing is refused, the same one continues bit for bit.</summary>
public class GroupingCheckpointTests
{
    static readonly Dataset Train = Data.Clusters(150);
    static TrainingOptions Options(int epochs) => new() { Epochs = epochs, BatchSize = 16, Seed = 9, LearningRate = 0.05 };
    static readonly AdamWOptions Decaying = new() { WeightDecay = 0.1 };

    static Trainer Make(SoftmaxRegression m, int epochs, bool grouped) =>
        new(m, ReferenceOptimizers.For(Decaying), Options(epochs))
        {
            Grouping = grouped ? new ParameterGrouping([ParameterGroup.NoDecayOnBiasAndNorm], ReferenceOptimizers.For) : null,
        };

    [Fact]
    public void The_grouping_is_in_the_checkpoint_and_a_resume_must_route_the_same()
    {
        using var d1 = new TempDir();
        using var d2 = new TempDir();
        var m1 = new SoftmaxRegression(16, 3);
        Make(m1, 3, grouped: true).Fit(Train);
        Make(new SoftmaxRegression(16, 3), 2, grouped: true).Fit(Train, callbacks: [new ModelCheckpoint(Path.Combine(d1.Path, "last.ckpt"))]);
        var ck = CheckpointFile.Read(Path.Combine(d1.Path, "last.ckpt"));
        Assert.Equal("W=default;b=no_decay_bias_norm", ck.Metadata[Trainer.GroupsMetadataKey]);

        var refused = Assert.Throws<ArgumentException>(() => Make(new SoftmaxRegression(16, 3), 3, grouped: false).Fit(Train, resume: ck));
        Assert.Contains("parameter groups are [W=default;b=no_decay_bias_norm], but this run has [no parameter groups]", refused.Message);

        var m2 = new SoftmaxRegression(16, 3, initSeed: 5);
        Make(m2, 3, grouped: true).Fit(Train, resume: ck);
        Assert.Equal(m1.Parameters.SelectMany(p => p.Values.ToArray()).Select(BitConverter.SingleToInt32Bits),
                     m2.Parameters.SelectMany(p => p.Values.ToArray()).Select(BitConverter.SingleToInt32Bits));

        Make(new SoftmaxRegression(16, 3), 2, grouped: false).Fit(Train, callbacks: [new ModelCheckpoint(Path.Combine(d2.Path, "last.ckpt"))]);
        var plain = CheckpointFile.Read(Path.Combine(d2.Path, "last.ckpt"));
        Assert.False(plain.Metadata.ContainsKey(Trainer.GroupsMetadataKey));
        Assert.Contains("but this run has [W=default;b=no_decay_bias_norm]",
            Assert.Throws<ArgumentException>(() => Make(new SoftmaxRegression(16, 3), 3, grouped: true).Fit(Train, resume: plain)).Message);
    }
}
