using NetNumerics.Training.Checkpoints;
using NetNumerics.Training.Callbacks;
using NetNumerics.Cli;
using NetNumerics.Properties.Training;
using NetNumerics.Training;
using Xunit;
using NetNumerics.Testing;

namespace NetNumerics.Properties.Cli;

/// <summary>`numerics train` run in-process on a tiny IDX dataset written by the test (1x4x4 images, 3 classes).</summary>
public class TrainCommandTests
{
    /// <summary>The real optimizers and IDX loader; the test-fixture softmax regression as the model (the data are 4x4).</summary>
    internal static readonly CliServices Services = CliServices.Default with
    {
        CreateModel = r => new SoftmaxRegression(r.Channels * r.Height * r.Width, r.Classes, r.Seed),
        ParseSchedule = (s, lr) => s == "halve" ? new FuncSchedule(e => lr / (1 << (int)Math.Min(e, 30)))
            : throw new FormatException($"unknown schedule '{s}'"),
    };

    /// <summary>Class c lights row c of a 4x4 image (plus noise); the same rule as the Clusters fixture.</summary>
    internal static string WriteDataset(string dir, int train = 200, int test = 60)
    {
        Directory.CreateDirectory(dir);
        int Label(int set, int i) => (int)(CounterRng.Bits(17, (ulong)set, (ulong)i) % 3);
        byte Pixel(int set, int i, int j) =>
            (byte)((j / 4 == Label(set, i) ? 100 : 0) + (int)(CounterRng.Bits(18, (ulong)set, (ulong)(i * 16 + j)) % 150));
        IdxTestData.WriteIdx(Path.Combine(dir, "train-images-idx3-ubyte"), [4, 4], train, (i, j) => Pixel(0, i, j), 16);
        IdxTestData.WriteIdx(Path.Combine(dir, "train-labels-idx1-ubyte"), null!, train, (i, _) => (byte)Label(0, i), 1);
        IdxTestData.WriteIdx(Path.Combine(dir, "t10k-images-idx3-ubyte"), [4, 4], test, (i, j) => Pixel(1, i, j), 16);
        IdxTestData.WriteIdx(Path.Combine(dir, "t10k-labels-idx1-ubyte"), null!, test, (i, _) => (byte)Label(1, i), 1);
        return dir;
    }

    static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = Entry.Run(args, o, e, Services);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public void Train_writes_history_csv_json_and_checkpoints_and_reports_test_accuracy()
    {
        using var tmp = new TempDir();
        string data = WriteDataset(Path.Combine(tmp.Path, "idx"));
        string outDir = Path.Combine(tmp.Path, "run");
        var (code, stdout, stderr) = Run("train", "--data", data, "--out", outDir, "--epochs", "4", "--batch-size", "16", "--lr", "0.05",
            "--optimizer", "sgd-momentum", "--seed", "3");
        Assert.True(code == 0, stderr);
        Assert.Equal("", stderr);
        var csv = File.ReadAllLines(Path.Combine(outDir, "history.csv"));
        Assert.Equal(CsvLogger.HeaderWithoutSeconds, csv[0]);   // the seconds are in timing.csv: identical runs, identical bytes
        Assert.Equal(5, csv.Length);
        Assert.All(csv.Skip(1), l => Assert.Equal(6, l.Split(',').Length));
        Assert.Equal(5, File.ReadAllLines(Path.Combine(outDir, "timing.csv")).Length);
        Assert.All(csv.Skip(1), l => Assert.NotEqual("", l.Split(',')[3]));           // val_loss present (split 0.2)
        Assert.Contains("\"test_accuracy\"", File.ReadAllText(Path.Combine(outDir, "history.json")));
        Assert.Equal(4, CheckpointFile.Read(Path.Combine(outDir, "last.ckpt")).Epoch);
        Assert.True(File.Exists(Path.Combine(outDir, "best.ckpt")));
        Assert.Equal(4, stdout.Split('\n').Count(l => l.StartsWith("Epoch ")));
        var summary = stdout.Split('\n').Single(l => l.StartsWith("test_loss"));
        Assert.Contains("s/epoch", summary);
        Assert.Contains("peak memory", summary);
        double acc = double.Parse(summary.Split("test_accuracy: ")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(acc > 0.8, summary);
        var ck = CheckpointFile.Read(Path.Combine(outDir, "last.ckpt"));
        Assert.Equal("sgd:momentum=0.9", ck.Metadata["optimizer"]);   // the catalog name, saved in its printed form
        Assert.Equal(160, ck.TrainCount);
    }

    [Fact]
    public void Limits_and_quiet_and_resume_continue_the_same_run()
    {
        using var tmp = new TempDir();
        string data = WriteDataset(Path.Combine(tmp.Path, "idx"));
        string a = Path.Combine(tmp.Path, "a"), b = Path.Combine(tmp.Path, "b");
        string[] common = ["--data", data, "--batch-size", "10", "--lr", "0.01", "--train-limit", "100", "--test-limit", "30", "--quiet"];
        Assert.Equal(0, Run(["train", .. common, "--out", a, "--epochs", "3"]).Code);
        Assert.Equal(0, Run(["train", .. common, "--out", b, "--epochs", "2"]).Code);
        var (code, stdout, stderr) = Run("train", "--resume", b, "--epochs", "3", "--quiet");
        Assert.True(code == 0, stderr);
        Assert.DoesNotContain("Epoch ", stdout);
        Assert.Contains("(", stdout.Split('\n').Single(l => l.StartsWith("test_loss")));
        Assert.Contains("/30)", stdout);
        var ca = CheckpointFile.Read(Path.Combine(a, "last.ckpt"));
        var cb = CheckpointFile.Read(Path.Combine(b, "last.ckpt"));
        Assert.Equal(80, ca.TrainCount);
        for (int i = 0; i < ca.Parameters.Count; i++)
            NumericAssert.BitExact<float>(ca.Parameters[i].Values, cb.Parameters[i].Values, label: $"parameter {i}");
        Assert.Equal(4, File.ReadAllLines(Path.Combine(b, "history.csv")).Length);
    }

    [Fact]
    public void A_run_on_the_default_data_folder_records_it_so_resume_needs_no_default()
    {
        using var tmp = new TempDir();
        string data = WriteDataset(Path.Combine(tmp.Path, "idx"));
        string outDir = Path.Combine(tmp.Path, "run");
        var first = Services with { DefaultDataFolder = data, FetchMnist = null };
        Assert.Equal(0, Entry.Run(["train", "--out", outDir, "--epochs", "1", "--quiet"], new StringWriter(), new StringWriter(), first));
        Assert.Equal(Path.GetFullPath(data), CheckpointFile.Read(Path.Combine(outDir, "last.ckpt")).Metadata["data"]);

        // Resumed where the default folder is elsewhere (another working directory, say): the saved folder is used.
        var elsewhere = Services with { DefaultDataFolder = Path.Combine(tmp.Path, "empty"), FetchMnist = null };
        var err = new StringWriter();
        Assert.True(Entry.Run(["train", "--resume", outDir, "--epochs", "2", "--quiet"], new StringWriter(), err, elsewhere) == 0, err.ToString());
        Assert.Equal(2, CheckpointFile.Read(Path.Combine(outDir, "last.ckpt")).Epoch);
    }

    [Fact]
    public void Clipping_flags_clip_the_updates_and_are_kept_by_resume()
    {
        using var tmp = new TempDir();
        string data = WriteDataset(Path.Combine(tmp.Path, "idx"));
        string plain = Path.Combine(tmp.Path, "plain"), clipped = Path.Combine(tmp.Path, "clipped"), resumed = Path.Combine(tmp.Path, "resumed");
        string[] common = ["train", "--data", data, "--batch-size", "16", "--optimizer", "sgd", "--lr", "1", "--quiet"];
        Assert.Equal(0, Run([.. common, "--out", plain, "--epochs", "2"]).Code);
        Assert.Equal(0, Run([.. common, "--out", clipped, "--epochs", "2", "--clip-value", "1e-3"]).Code);
        Assert.Equal(0, Run([.. common, "--out", resumed, "--epochs", "1", "--clip-value", "1e-3"]).Code);
        Assert.Equal(0, Run("train", "--resume", resumed, "--epochs", "2", "--quiet").Code);

        var p = CheckpointFile.Read(Path.Combine(plain, "last.ckpt"));
        var c = CheckpointFile.Read(Path.Combine(clipped, "last.ckpt"));
        var r = CheckpointFile.Read(Path.Combine(resumed, "last.ckpt"));
        Assert.Equal("0.001", c.Metadata["clip_value"]);
        Assert.False(p.Metadata.ContainsKey("clip_value"));
        // Plain SGD from the same start: each element moves by lr * clipped gradient, at most 1e-3 per update, plus the
        // rounding of w - lr g: half an ulp of |w| < 1, under 6e-8.
        var init = new SoftmaxRegression(16, 3, 1).Parameters[0].Values.ToArray();
        Assert.All(c.Parameters[0].Values.Zip(init), x => Assert.True(Math.Abs(x.First - x.Second) <= c.Iteration * (1e-3 + 6e-8), $"{x.First} vs {x.Second}"));
        Assert.Contains(p.Parameters[0].Values.Zip(init), x => Math.Abs(x.First - x.Second) > p.Iteration * 1e-3);
        NumericAssert.BitExact<float>(c.Parameters[0].Values, r.Parameters[0].Values, label: "parameter 0");
    }

    [Theory]
    [InlineData("--optimizer", "adamz", "adamz")]
    [InlineData("--lr", "-1", "--lr")]
    [InlineData("--epochs", "0", "--epochs")]
    [InlineData("--batch-size", "x", "x")]
    [InlineData("--schedule", "step:drop=", "malformed")]
    [InlineData("--data", "MISSING", "does not exist")]
    [InlineData("--no-such-flag", "1", "--no-such-flag")]
    [InlineData("--clip-norm", "0", "--clip-norm")]
    [InlineData("--clip-value", "-1", "--clip-value")]
    public void Bad_flags_give_one_line_on_stderr_a_nonzero_exit_and_no_output_folder(string flag, string value, string mentioned)
    {
        using var tmp = new TempDir();
        string data = WriteDataset(Path.Combine(tmp.Path, "idx"));
        string outDir = Path.Combine(tmp.Path, "run");
        string[] args = flag == "--data"
            ? ["train", "--data", Path.Combine(tmp.Path, value), "--out", outDir]
            : ["train", "--data", data, "--out", outDir, flag, value];
        var (code, stdout, stderr) = Run(args);
        Assert.NotEqual(0, code);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains(mentioned, lines[0]);
        Assert.False(Directory.Exists(outDir));
        Assert.Equal("", stdout);
    }

    [Fact]
    public void An_existing_output_folder_is_never_overwritten()
    {
        using var tmp = new TempDir();
        string data = WriteDataset(Path.Combine(tmp.Path, "idx"));
        string outDir = Path.Combine(tmp.Path, "run");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "keep.txt"), "mine");
        var (code, _, stderr) = Run("train", "--data", data, "--out", outDir, "--epochs", "1");
        Assert.Equal(2, code);
        Assert.Contains("not empty", stderr);
        Assert.Equal(["keep.txt"], Directory.GetFiles(outDir).Select(Path.GetFileName));
    }

    [Fact]
    public void Resume_rejects_changed_settings_and_corrupt_checkpoints_in_one_line()
    {
        using var tmp = new TempDir();
        string data = WriteDataset(Path.Combine(tmp.Path, "idx"));
        string outDir = Path.Combine(tmp.Path, "run");
        Assert.Equal(0, Run("train", "--data", data, "--out", outDir, "--epochs", "1", "--batch-size", "20", "--quiet").Code);
        var (c1, _, e1) = Run("train", "--resume", outDir, "--lr", "0.5");
        Assert.Equal(2, c1);
        Assert.Contains("--lr cannot be combined with --resume", e1);
        var bytes = File.ReadAllBytes(Path.Combine(outDir, "last.ckpt"));
        File.WriteAllBytes(Path.Combine(outDir, "last.ckpt"), bytes[..(bytes.Length / 2)]);
        var (c2, _, e2) = Run("train", "--resume", outDir, "--epochs", "2");
        Assert.Equal(2, c2);
        Assert.Single(e2.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("truncated", e2);
    }

    [Fact]
    public void Every_listed_optimizer_name_builds_an_optimizer_with_that_family()
    {
        foreach (var name in OptimizerCatalog.Names)
            Assert.StartsWith(name.Split('-')[0], OptimizerCatalog.Create(name).Name);
    }
}
