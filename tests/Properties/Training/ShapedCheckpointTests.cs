using NetNumerics.Data;
using NetNumerics.Properties.Optimizers;
using NetNumerics.Testing;
using NetNumerics.Training;
using NetNumerics.Training.Callbacks;
using NetNumerics.Training.Checkpoints;
using Xunit;

namespace NetNumerics.Properties.Training;

/// <summary>A shape-aware optimizer's states (shape and short slots) go through a checkpoint and a resume unchanged.</summary>
public class ShapedCheckpointTests
{
    static readonly Dataset Train = Data.Clusters(96);

    static (SoftmaxRegression Model, Trainer Trainer) Run(int epochs, string dir, TrainingCheckpoint? resume = null)
    {
        var m = new SoftmaxRegression(16, 3, initSeed: resume is null ? 1UL : 77UL);   // a resumed run's weights must come from the file
        var t = new Trainer(m, new ShapedTestOptimizer(), new TrainingOptions { Epochs = epochs, BatchSize = 16, Seed = 3, LearningRate = 0.05 });
        t.Fit(Train, callbacks: [new ModelCheckpoint(Path.Combine(dir, "last.ckpt"))], resume: resume);
        return (m, t);
    }

    [Fact]
    public void A_shaped_state_round_trips_through_a_checkpoint_and_resumes_bit_identical()
    {
        using var d1 = new TempDir();
        using var d2 = new TempDir();
        var (m1, t1) = Run(3, d1.Path);
        byte[] file = File.ReadAllBytes(Path.Combine(d1.Path, "last.ckpt"));
        var c = CheckpointFile.FromBytes(file);
        Assert.Equal(file, CheckpointFile.ToBytes(c));
        Assert.Equal([3, 16], c.OptimizerStates[0].Shape);        // W
        Assert.Equal(3, c.OptimizerStates[0].SlotAt(1).Length);  // one row sum per output
        Assert.Equal([3], c.OptimizerStates[1].Shape);           // b
        Assert.True(c.OptimizerStates[0].BitEquals(t1.OptimizerStates[0]));

        Run(1, d2.Path);
        var (m2, t2) = Run(3, d2.Path, CheckpointFile.Read(Path.Combine(d2.Path, "last.ckpt")));
        for (int i = 0; i < m1.Parameters.Count; i++)
            NumericAssert.BitExact<float>(m1.Parameters[i].Values.Span, m2.Parameters[i].Values.Span, label: $"parameter {i}");
        for (int i = 0; i < t1.OptimizerStates.Count; i++) Assert.True(t1.OptimizerStates[i].BitEquals(t2.OptimizerStates[i]), $"state {i}");
        Assert.Equal(file, File.ReadAllBytes(Path.Combine(d2.Path, "last.ckpt")));
    }

    [Fact]
    public void Format_1_refuses_shaped_states_in_one_line()
    {
        using var d = new TempDir();
        Run(1, d.Path);
        var c = CheckpointFile.Read(Path.Combine(d.Path, "last.ckpt"));
        var e = Assert.Throws<ArgumentException>(() => CheckpointFile.ToBytes(c, version: 1));
        Assert.Contains("shapes and slot lengths", e.Message);
    }
}
