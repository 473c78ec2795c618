using NetNumerics.Training.Checkpoints;
using NetNumerics.Training.Callbacks;
using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NetNumerics.Training;
using Xunit;

namespace NetNumerics.Properties.Training;

public class CheckpointProperties
{
    /// <summary>A real checkpoint: softmax regression with momentum, two epochs, early stopping with best weights.</summary>
    static byte[] SampleBytes()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "c.ckpt");
        var t = new Trainer(new SoftmaxRegression(16, 3), new MomentumSgd(), new TrainingOptions { Epochs = 2, BatchSize = 16, LearningRate = 0.05 });
        t.Metadata["model"] = "softmax-regression";
        t.Fit(Data.Clusters(80), callbacks: [new EarlyStopping(new() { Patience = 5, RestoreBestWeights = true }), new ModelCheckpoint(path)]);
        return File.ReadAllBytes(path);
    }

    static readonly byte[] Sample = SampleBytes();

    [Fact]
    public void Round_trip_preserves_every_field_and_bit()
    {
        var c = CheckpointFile.FromBytes(Sample);
        Assert.Equal(Sample, CheckpointFile.ToBytes(c));
        Assert.Equal(2, c.Epoch);
        Assert.Equal(0, c.Batch);
        Assert.Equal(2 * 4, c.Iteration);                   // 64 training samples / 16
        Assert.Equal("softmax-regression", c.Metadata["model"]);
        Assert.Equal(["W", "b"], c.Parameters.Select(p => p.Name));
        Assert.Equal([3, 16], c.Parameters[0].Shape);
        Assert.All(c.OptimizerStates, s => Assert.Equal(8, s.Step));
        Assert.Equal(2, c.History.Count);
        Assert.Contains(c.CallbackStates, k => k.Value.Tensors.ContainsKey("best_weights/0"));
    }

    /// <summary>Write streams the body through a 64 KiB buffer and writes the header last, over a placeholder: a checkpoint
    /// several buffers long (a 64x64-input softmax regression, its momentum and best weights) must come out byte for byte as
    /// ToBytes encodes it, and read back.</summary>
    [Fact]
    public void A_checkpoint_larger_than_the_write_buffer_is_written_byte_for_byte_as_ToBytes_encodes_it()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "big.ckpt");
        const int n = 40, features = 64 * 64;
        var img = new float[n * features];
        var lab = new int[n];
        for (int i = 0; i < img.Length; i++) img[i] = CounterRng.UniformSingle(5, 1, (ulong)i);
        for (int i = 0; i < n; i++) lab[i] = i % 3;
        var t = new Trainer(new SoftmaxRegression(features, 3), new MomentumSgd(), new TrainingOptions { Epochs = 2, BatchSize = 8, LearningRate = 0.05 });
        t.Fit(new NetNumerics.Data.Dataset(img, lab, 1, 64, 64, 3), callbacks: [new EarlyStopping(new() { Patience = 5, RestoreBestWeights = true }), new ModelCheckpoint(path)]);
        byte[] file = File.ReadAllBytes(path);
        Assert.True(file.Length > 2 * 65536, $"the checkpoint is {file.Length} bytes; it should span several write buffers");
        var c = CheckpointFile.Read(path);
        Assert.Equal(file, CheckpointFile.ToBytes(c));
        Assert.Equal(features * 3, c.Parameters[0].Values.Length);
    }

    [Fact]
    public void Truncation_at_every_header_offset_is_rejected()
    {
        for (int n = 0; n <= CheckpointFile.HeaderLength; n++)
        {
            var ex = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.FromBytes(Sample.AsSpan(0, n)));
            Assert.Contains("truncated", ex.Message);
        }
    }

    [Property(MaxTest = 200)]
    public Property Truncation_anywhere_in_the_body_is_rejected() =>
        Prop.ForAll(Gen.Choose(CheckpointFile.HeaderLength, Sample.Length - 1).ToArbitrary(), n =>
            Throws(() => CheckpointFile.FromBytes(Sample.AsSpan(0, n)), "truncated"));

    [Property(MaxTest = 200)]
    public Property A_flipped_bit_anywhere_is_rejected() =>
        Prop.ForAll(Gen.Choose(0, Sample.Length * 8 - 1).ToArbitrary(), bit =>
        {
            var b = (byte[])Sample.Clone();
            b[bit / 8] ^= (byte)(1 << (bit % 8));
            return Throws(() => CheckpointFile.FromBytes(b), "");
        });

    [Property(MaxTest = 100)]
    public Property A_body_with_a_valid_checksum_but_garbage_lengths_is_rejected_without_huge_allocations() =>
        // Rewrites one 4-byte field of the body with a random (possibly huge or negative) value and re-signs the
        // body, so only the bounded reader stands between the garbage and an allocation.
        Prop.ForAll(Gen.Choose(0, Sample.Length - CheckpointFile.HeaderLength - 4).ToArbitrary(), ArbMap.Default.ArbFor<int>(), (offset, value) =>
        {
            var b = (byte[])Sample.Clone();
            BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(CheckpointFile.HeaderLength + offset), value);
            System.Security.Cryptography.SHA256.HashData(b.AsSpan(CheckpointFile.HeaderLength), b.AsSpan(24, 32));
            long before = GC.GetAllocatedBytesForCurrentThread();
            try { CheckpointFile.FromBytes(b); }
            catch (CheckpointFormatException) { }
            catch (ArgumentException) { }   // e.g. OptimizerState rejecting an empty name re-encoded in place
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            return (allocated < 16L * Sample.Length + (1 << 20)).Label($"allocated {allocated} bytes");
        });

    [Fact]
    public void A_newer_version_is_rejected_naming_both_versions()
    {
        var b = (byte[])Sample.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(8), CheckpointFile.Version + 1);
        var ex = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.FromBytes(b, "x.ckpt"));
        Assert.Contains("newer", ex.Message);
        Assert.Contains($"version {CheckpointFile.Version + 1}", ex.Message);
        Assert.StartsWith("x.ckpt", ex.Message);
    }

    [Fact]
    public void A_version_1_file_still_loads_to_the_same_checkpoint()
    {
        // Version 1 kept optimizer states in an inline layout of its own; a user's old checkpoints must keep resuming.
        var c = CheckpointFile.FromBytes(Sample);
        byte[] v1 = CheckpointFile.ToBytes(c, version: 1);
        Assert.Equal(1, BinaryPrimitives.ReadInt32LittleEndian(v1.AsSpan(8)));
        Assert.NotEqual(Sample.Length, v1.Length);
        Assert.Equal(Sample, CheckpointFile.ToBytes(CheckpointFile.FromBytes(v1)));
    }

    [Fact]
    public void Each_optimizer_state_is_stored_byte_for_byte_in_the_standalone_state_format()
    {
        var c = CheckpointFile.FromBytes(Sample);
        Assert.Equal(2, CheckpointFile.Version);
        Assert.NotEmpty(c.OptimizerStates);
        int from = 0;
        foreach (var state in c.OptimizerStates)
        {
            var alone = new MemoryStream();
            NetNumerics.Optimizers.OptimizerStateFormat.Save(state, alone);
            int at = Sample.AsSpan(from).IndexOf(alone.ToArray());
            Assert.True(at >= 0, $"state '{state.Optimizer}' of length {state.Length} is not in the file as OptimizerStateFormat.Save writes it");
            from += at + (int)alone.Length;   // in model order, one after the other
        }
    }

    [Fact]
    public void A_damaged_optimizer_state_inside_a_re_signed_checkpoint_names_the_state()
    {
        var c = CheckpointFile.FromBytes(Sample);
        var alone = new MemoryStream();
        NetNumerics.Optimizers.OptimizerStateFormat.Save(c.OptimizerStates[1], alone);
        var b = (byte[])Sample.Clone();
        int at = b.AsSpan().IndexOf(alone.ToArray());
        b[at + (int)alone.Length - 40] ^= 0x40;   // a byte of the last slot, before the state's own SHA-256
        System.Security.Cryptography.SHA256.HashData(b.AsSpan(CheckpointFile.HeaderLength), b.AsSpan(24, 32));   // the file's checksum is valid again
        var ex = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.FromBytes(b, "x.ckpt"));
        Assert.StartsWith("x.ckpt: optimizer state 1:", ex.Message);
    }

    [Fact]
    public void Not_a_checkpoint_is_rejected()
    {
        var ex = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.FromBytes("epoch,loss\n0,1\n"u8.ToArray().Concat(new byte[100]).ToArray()));
        Assert.Contains("magic", ex.Message);
    }

    [Fact]
    public void A_checkpoint_of_a_different_model_shape_is_rejected_on_resume()
    {
        var c = CheckpointFile.FromBytes(Sample);
        var t = new Trainer(new SoftmaxRegression(16, 3, weightName: "kernel"), new MomentumSgd(), new TrainingOptions { Epochs = 3, BatchSize = 16, LearningRate = 0.05 });
        var ex = Assert.Throws<ArgumentException>(() => t.Fit(Data.Clusters(80), resume: c));
        Assert.Contains("different model", ex.Message);
        Assert.Contains("kernel", ex.Message);
        var t2 = new Trainer(new SoftmaxRegression(16, 3), new MomentumSgd(), new TrainingOptions { Epochs = 3, BatchSize = 32, LearningRate = 0.05 });
        Assert.Contains("batch size 16", Assert.Throws<ArgumentException>(() => t2.Fit(Data.Clusters(80), resume: c)).Message);
        var t3 = new Trainer(new SoftmaxRegression(16, 3), new PlainSgd(), new TrainingOptions { Epochs = 3, BatchSize = 16, LearningRate = 0.05 });
        Assert.Contains("optimizer", Assert.Throws<ArgumentException>(() => t3.Fit(Data.Clusters(80), resume: c)).Message);
    }

    [Fact]
    public void Atomic_write_that_fails_midway_leaves_the_old_file_and_no_temp_file()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "c.ckpt");
        File.WriteAllBytes(path, Sample);
        Assert.Throws<IOException>(() => AtomicFile.Write(path, s => { s.Write(Sample, 0, 100); throw new IOException("disk full"); }));
        Assert.Equal(Sample, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(dir.Path));
    }

    static bool Throws(Action a, string contains)
    {
        try { a(); return false; }
        catch (CheckpointFormatException e) { return e.Message.Contains(contains); }
    }
}
