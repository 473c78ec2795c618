using NetNumerics.Training.Checkpoints;
using NetNumerics.Reference.Schedules;
using System.Globalization;
using NetNumerics.Cli;
using NetNumerics.Properties.Training;
using NetNumerics.Schedules;
using NetNumerics.Training;
using NetNumerics.Testing;
using Xunit;

namespace NetNumerics.Properties.Cli;

/// <summary>`train --optimizer NAME:key=value,...` and `--model TEXT` (the 4x4 test data has 10 classes, 3 of them used): what they train, what the checkpoint keeps, how they fail.</summary>
public class TrainOptionTests
{
    /// <summary>The fixture model (softmax regression on the 4x4 data) with the real schedule parser.</summary>
    static readonly CliServices Fixture = ScheduleCommandTests.Services;

    static (int Code, string Out, string Err) Run(CliServices services, params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = Entry.Run(args, o, e, services);
        return (code, o.ToString(), e.ToString());
    }

    /// <summary>The weights in two runs' last checkpoints have the same bits, tensor by tensor.</summary>
    static void AssertSameWeights(string runDir, string otherRunDir)
    {
        var a = CheckpointFile.Read(Path.Combine(runDir, "last.ckpt")).Parameters;
        var b = CheckpointFile.Read(Path.Combine(otherRunDir, "last.ckpt")).Parameters;
        Assert.Equal(a.Count, b.Count);
        for (int i = 0; i < a.Count; i++)
            NumericAssert.BitExact<float>(a[i].Values, b[i].Values, label: $"{Path.GetFileName(otherRunDir)} against {Path.GetFileName(runDir)}: parameter {a[i].Name}");
    }

    static double[] LearningRates(string runDir) => File.ReadAllLines(Path.Combine(runDir, "history.csv")).Skip(1)
        .Select(l => double.Parse(l.Split(',')[5], CultureInfo.InvariantCulture)).ToArray();

    /// <summary>
    /// The CIFAR-10 article's time-based setting, SGD(lr=0.1, momentum=0.8, decay=lr/epochs), two ways: Keras 2's optimizer
    /// decay, and the time schedule per iteration. 160 samples in batches of 16: 10 iterations per epoch, 3 epochs.
    /// </summary>
    [Fact]
    public void Keras2_decay_on_sgd_momentum_is_the_time_based_schedule_per_iteration_bit_for_bit()
    {
        using var tmp = new TempDir();
        string data = TrainCommandTests.WriteDataset(Path.Combine(tmp.Path, "idx"));
        string viaDecay = Path.Combine(tmp.Path, "decay"), viaSchedule = Path.Combine(tmp.Path, "schedule");
        string k = (0.1 / 3).ToString("R", CultureInfo.InvariantCulture);
        string[] common = ["train", "--data", data, "--lr", "0.1", "--epochs", "3", "--batch-size", "16"];
        var a = Run(Fixture, [.. common, "--out", viaDecay, "--optimizer", $"sgd:momentum=0.8,decay={k}"]);
        Assert.True(a.Code == 0, a.Err);
        var b = Run(Fixture, [.. common, "--out", viaSchedule, "--optimizer", "sgd:momentum=0.8", "--schedule", $"time:lr=0.1,k={k}", "--schedule-per-iteration"]);
        Assert.True(b.Code == 0, b.Err);
        Assert.Contains($"sgd:momentum=0.8,decay={k} lr 0.1", a.Out);   // the options printed back in the summary
        AssertSameWeights(viaSchedule, viaDecay);
        Assert.Equal(LearningRates(viaSchedule), LearningRates(viaDecay));
        // The rate of each epoch's last batch (iteration 9, 19, 29): Keras 2's lr / (1 + decay * iterations).
        var time = new TimeBasedDecay { InitialLearningRate = 0.1, DecayRate = 0.1 / 3 };
        Assert.Equal([time.At(9), time.At(19), time.At(29)], LearningRates(viaDecay));
        Assert.Equal(0.1 / (1 + 0.1 / 3 * 29), LearningRates(viaDecay)[2], 15);
    }

    [Fact]
    public void Keras2_decay_multiplies_a_per_epoch_schedule_at_every_iteration()
    {
        using var tmp = new TempDir();
        string data = TrainCommandTests.WriteDataset(Path.Combine(tmp.Path, "idx"));
        string dir = Path.Combine(tmp.Path, "run");
        var r = Run(Fixture, "train", "--data", data, "--lr", "0.1", "--epochs", "3", "--batch-size", "16", "--out", dir, "--quiet",
            "--optimizer", "sgd:decay=0.01", "--schedule", "step:drop=0.5,every=1");
        Assert.True(r.Code == 0, r.Err);
        var step = new StepDecay { InitialLearningRate = 0.1, Drop = 0.5, EpochsDrop = 1 };
        var decay = new TimeBasedDecay { InitialLearningRate = 1, DecayRate = 0.01 };
        Assert.Equal([step.At(0) * decay.At(9), step.At(1) * decay.At(19), step.At(2) * decay.At(29)], LearningRates(dir));
    }

    /// <summary>Options that change every update: a run resumed from epoch 2 ends with the bits of the run that never stopped, and they are not Adam's defaults.</summary>
    [Theory]
    [InlineData("adam:beta1=0.8,beta2=0.99,eps=1e-8,amsgrad=true", "adam:beta1=0.8,beta2=0.99,eps=1E-08,amsgrad=true")]
    [InlineData("rmsprop:preset=pytorch,momentum=0.5,centered=true,decay=0.05", "rmsprop:rho=0.99,momentum=0.5,centered=true,eps=1E-08,eps_mode=outside,momentum_form=pytorch,order=pytorch,decay=0.05")]
    [InlineData("adagrad:preset=keras2", "adagrad:initial_accumulator=0,eps=1E-08,eps_mode=outside")]
    [InlineData("adafactor:beta2_decay=-0.5,d=2,weight_decay=0.01", "adafactor:beta2_decay=-0.5,d=2,weight_decay=0.01")]
    [InlineData("muon:momentum=0.9,ns_steps=3,adamw_lr_scale=0.5", "muon:momentum=0.9,ns_steps=3,adamw_lr_scale=0.5")]
    public void Resume_restores_the_exact_optimizer_options_from_the_checkpoint(string given, string printed)
    {
        using var tmp = new TempDir();
        string data = TrainCommandTests.WriteDataset(Path.Combine(tmp.Path, "idx"));
        string straight = Path.Combine(tmp.Path, "straight"), resumed = Path.Combine(tmp.Path, "resumed"), plain = Path.Combine(tmp.Path, "plain");
        string[] common = ["train", "--data", data, "--lr", "0.05", "--batch-size", "16", "--quiet"];
        Assert.Equal(0, Run(Fixture, [.. common, "--out", straight, "--epochs", "3", "--optimizer", given]).Code);
        Assert.Equal(0, Run(Fixture, [.. common, "--out", resumed, "--epochs", "2", "--optimizer", given]).Code);
        Assert.Equal(printed, CheckpointFile.Read(Path.Combine(resumed, "last.ckpt")).Metadata["optimizer"]);
        var r = Run(Fixture, "train", "--resume", resumed, "--epochs", "3", "--quiet");
        Assert.True(r.Code == 0, r.Err);
        AssertSameWeights(straight, resumed);
        Assert.Equal(LearningRates(straight), LearningRates(resumed));
        Assert.Equal(0, Run(Fixture, [.. common, "--out", plain, "--epochs", "3", "--optimizer", given.Split(':')[0]]).Code);
        Assert.Throws<NumericAssertException>(() => AssertSameWeights(straight, plain));
    }

    /// <summary>Checkpoints written before the text form hold a catalog name ("sgd-momentum"); they resume with the same optimizer (format version unchanged).</summary>
    [Fact]
    public void A_checkpoint_naming_an_old_catalog_optimizer_resumes_as_before()
    {
        using var tmp = new TempDir();
        string data = TrainCommandTests.WriteDataset(Path.Combine(tmp.Path, "idx"));
        string straight = Path.Combine(tmp.Path, "straight"), old = Path.Combine(tmp.Path, "old");
        string[] common = ["train", "--data", data, "--lr", "0.05", "--batch-size", "16", "--quiet", "--optimizer", "sgd-nesterov"];
        Assert.Equal(0, Run(Fixture, [.. common, "--out", straight, "--epochs", "3"]).Code);
        Assert.Equal(0, Run(Fixture, [.. common, "--out", old, "--epochs", "2"]).Code);
        string last = Path.Combine(old, "last.ckpt");
        var ck = CheckpointFile.Read(last);
        Assert.Equal("sgd:momentum=0.9,nesterov=true", ck.Metadata["optimizer"]);
        ((Dictionary<string, string>)ck.Metadata)["optimizer"] = "sgd-nesterov";   // as the first CLI wrote it
        CheckpointFile.Write(last, ck);
        var r = Run(Fixture, "train", "--resume", old, "--epochs", "3", "--quiet");
        Assert.True(r.Code == 0, r.Err);
        AssertSameWeights(straight, old);
    }

    [Theory]
    [InlineData("--optimizer", "adam:beta2=1.5", "numerics train: --optimizer: Malformed optimizer \"adam:beta2=1.5\": beta2=1.5 is out of range; allowed: a number in [0, 1). 'adam' takes keys: beta1, beta2, eps, amsgrad, eps_mode (keras | paper), weight_decay, weight_decay_mode (l2 | decoupled), order (keras | pytorch | pytorch-fused), maximize, decay, preset (keras | keras2 | pytorch).")]
    [InlineData("--optimizer", "sgd:momentum=0,9", "momentum='0,9' uses ',' as a decimal point; write 0.9")]
    [InlineData("--optimizer", "sgd:mometum=0.9", "unknown key 'mometum'. 'sgd' takes keys: momentum, nesterov, dampening")]
    [InlineData("--optimizer", "adamz:beta1=0.9", "Unknown optimizer 'adamz'")]
    [InlineData("--optimizer", "muon:ns_steps=-1", "ns_steps=-1 is out of range; allowed: an integer in [0, 99]")]
    [InlineData("--optimizer", "adafactor:d=0.5", "numerics train: --optimizer: Malformed optimizer \"adafactor:d=0.5\": d=0.5 is out of range; allowed: a number >= 1. 'adafactor' takes keys: beta2_decay, eps1, eps2, d, weight_decay, maximize, decay, preset (pytorch).")]
    [InlineData("--model", "conv8:9,flatten,dense10", "--model: Malformed model \"conv8:9,flatten,dense10\": layer 1 'conv8:9' does not fit its input 1x4x4")]
    [InlineData("--model", "flatten,dense3", "--model: the last layer of \"flatten,dense3\" has 3 units, but the data has 10 classes; end with dense10.")]
    [InlineData("--model", "flatten,dense10,softmax", "layer 3 'softmax' is not a layer")]
    public void Bad_optimizer_and_model_strings_are_one_line_before_anything_is_written(string flag, string value, string expected)
    {
        using var tmp = new TempDir();
        string data = TrainCommandTests.WriteDataset(Path.Combine(tmp.Path, "idx"));
        string outDir = Path.Combine(tmp.Path, "run");
        var (code, stdout, stderr) = Run(Fixture, "train", "--data", data, "--out", outDir, flag, value);
        Assert.Equal(2, code);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        if (expected.StartsWith("numerics ", StringComparison.Ordinal)) Assert.Equal(expected, line);
        else Assert.Contains(expected, line);
        Assert.Equal("", stdout);
        Assert.False(Directory.Exists(outDir));
    }

    /// <summary>--model builds the Fast network it names (the library's own services), prints it, saves it, and a resume rebuilds it.</summary>
    [Fact]
    public void Model_text_trains_that_network_and_resume_rebuilds_it()
    {
        using var tmp = new TempDir();
        string data = TrainCommandTests.WriteDataset(Path.Combine(tmp.Path, "idx"));
        var real = CliServices.Default with { FetchMnist = null };
        string straight = Path.Combine(tmp.Path, "straight"), resumed = Path.Combine(tmp.Path, "resumed");
        const string model = "conv4:3:same,relu,maxpool2,flatten,dense8,relu,dense10";
        string[] common = ["train", "--data", data, "--model", model, "--lr", "0.01", "--batch-size", "16", "--threads", "1"];
        var a = Run(real, [.. common, "--out", straight, "--epochs", "3"]);
        Assert.True(a.Code == 0, a.Err);
        Assert.Contains($"Training {model} on 200 samples", a.Out);
        var ck = CheckpointFile.Read(Path.Combine(straight, "last.ckpt"));
        Assert.Equal(model, ck.Metadata["model"]);
        Assert.Equal(["layer0.conv2d.weights", "layer0.conv2d.bias", "layer4.dense.weights", "layer4.dense.bias", "layer6.dense.weights", "layer6.dense.bias"],
            ck.Parameters.Select(p => p.Name));
        Assert.Equal([8, 16], ck.Parameters[2].Shape);   // 4 channels x 2 x 2 after 'same' conv and the pool
        Assert.Equal(0, Run(real, [.. common, "--out", resumed, "--epochs", "2", "--quiet"]).Code);
        var r = Run(real, "train", "--resume", resumed, "--epochs", "3", "--quiet");
        Assert.True(r.Code == 0, r.Err);
        AssertSameWeights(straight, resumed);

        // Without --model on data the seed CNN cannot take: one line that says to give one.
        var (code, _, stderr) = Run(real, "train", "--data", data, "--out", Path.Combine(tmp.Path, "seed"));
        Assert.Equal(2, code);
        Assert.Contains("give a network with --model", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }
}
