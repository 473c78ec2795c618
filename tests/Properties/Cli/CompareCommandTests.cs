using System.Globalization;
using NetNumerics.Cli.Commands;
using NetNumerics.Properties.Training;
using Xunit;

namespace NetNumerics.Properties.Cli;

/// <summary>`numerics compare` in-process on the tiny IDX dataset with the test-fixture model.</summary>
public class CompareCommandTests
{
    static (int Code, string Out, string Err) Run(params string[] args) => ScheduleCommandTests.Run(args);

    static string[] TableRows(string markdown) =>
        markdown.Split('\n').Where(l => l.StartsWith("| ") && !l.StartsWith("| config")).ToArray();

    [Fact]
    public void A_configuration_file_gives_a_table_row_history_and_overlaid_curves_per_configuration()
    {
        using var tmp = new TempDir();
        string data = TrainCommandTests.WriteDataset(Path.Combine(tmp.Path, "idx"));
        string file = Path.Combine(tmp.Path, "configs.txt");
        File.WriteAllLines(file,
        [
            "# my comparison",
            "plain adam; --optimizer adam --lr 0.01",
            "",
            "momentum step; --lr 0.05 --optimizer sgd-momentum --schedule step:drop=0.5,every=1",
            "per-iteration decay; --optimizer sgd --lr 0.2 --schedule time:k=0.01 --schedule-per-iteration",
        ]);
        string outDir = Path.Combine(tmp.Path, "cmp");
        var (code, stdout, stderr) = Run("compare", file, "--data", data, "--out", outDir, "--epochs", "2", "--batch-size", "16", "--seed", "4");
        Assert.True(code == 0, stderr);
        Assert.Equal("", stderr);
        var rows = TableRows(File.ReadAllText(Path.Combine(outDir, "results.md")));
        Assert.Equal(3, rows.Length);
        Assert.StartsWith("| plain adam | adam | 0.01 | constant |", rows[0]);
        Assert.StartsWith("| momentum step | sgd:momentum=0.9 | 0.05 | step:drop=0.5,every=1 |", rows[1]);
        Assert.Contains("(per iteration)", rows[2]);
        Assert.All(rows, r => Assert.Equal(13, r.Split('|').Length));   // 11 columns between 12 bars
        var csv = File.ReadAllLines(Path.Combine(outDir, "results.csv"));
        Assert.Equal(4, csv.Length);
        var dirs = Directory.GetDirectories(outDir).Select(d => Path.GetFileName(d)!).Order().ToArray();
        Assert.Equal(["01-plain-adam", "02-momentum-step", "03-per-iteration-decay"], dirs);
        foreach (string d in dirs)
        {
            var h = File.ReadAllLines(Path.Combine(outDir, d, "history.csv"));
            Assert.Equal(3, h.Length);
            Assert.All(h.Skip(1), l => Assert.Equal(7, l.Split(',').Length));
        }
        // the step schedule halves every epoch: its history's lr column says so
        var lrs = File.ReadAllLines(Path.Combine(outDir, "02-momentum-step", "history.csv")).Skip(1)
            .Select(l => double.Parse(l.Split(',')[5], CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal([0.05, 0.025], lrs);
        foreach (var plot in new[] { "val_accuracy", "val_loss", "loss" })
        {
            string text = PlotFiles.AssertPlot(Path.Combine(outDir, plot));
            Assert.Contains("plain adam", text);
            Assert.Contains("per-iteration decay", text);
        }
        // the final val accuracy in the table is the last history row's
        var last = File.ReadAllLines(Path.Combine(outDir, "01-plain-adam", "history.csv"))[^1].Split(',');
        Assert.Contains($"| {double.Parse(last[4], CultureInfo.InvariantCulture).ToString("F4", CultureInfo.InvariantCulture)} |", rows[0]);
        Assert.Contains("[3/3] per-iteration decay", stdout);
    }

    [Theory]
    [InlineData("fixed-lr", 5)]
    [InlineData("adaptive", 6)]
    [InlineData("schedules", 5)]
    [InlineData("cifar10-article", 8)]
    [InlineData("clr", 4)]
    public void Built_in_suites_run_every_configuration(string suite, int count)
    {
        using var tmp = new TempDir();
        string data = TrainCommandTests.WriteDataset(Path.Combine(tmp.Path, "idx"), train: 80, test: 20);
        string outDir = Path.Combine(tmp.Path, "cmp");
        var (code, stdout, stderr) = Run("compare", suite, "--data", data, "--out", outDir, "--epochs", "1", "--batch-size", "20", "--quiet");
        Assert.True(code == 0, stderr);
        var rows = TableRows(File.ReadAllText(Path.Combine(outDir, "results.md")));
        Assert.Equal(count, rows.Length);
        var names = suite == "clr" ? ["clr triangular", "clr triangular2", "clr exp_range", "adam lr=1e-3"] : CompareSuites.Get(suite, 1)!.Select(c => c.Name).ToArray();
        Assert.Equal(names, rows.Select(r => r.Split('|')[1].Trim()));
        Assert.DoesNotContain("[1/", stdout);                     // --quiet: only the table and where it is
        Assert.Equal(count, TableRows(stdout).Length);
    }

    /// <summary>The CIFAR-10 article's settings as it printed them (Keras 2.0.8), decay = lr / epochs from --epochs.</summary>
    [Fact]
    public void The_cifar10_article_suite_has_the_articles_printed_hyperparameters()
    {
        var c = CompareSuites.Get("cifar10-article", 25)!.ToDictionary(x => x.Name);
        Assert.Equal(8, c.Count);
        NetNumerics.Optimizers.IOptimizerOptions O(string name) => NetNumerics.Optimizers.OptimizerParser.Parse(c[name].Optimizer).Options;
        Assert.Equal((0.1, null), (c["sgd constant"].LearningRate, c["sgd constant"].Schedule));
        Assert.Equal(new NetNumerics.Optimizers.SgdOptions(), O("sgd constant"));
        var time = NetNumerics.Optimizers.OptimizerParser.Parse(c["sgd time-based"].Optimizer);
        Assert.Equal((new NetNumerics.Optimizers.SgdOptions { Momentum = 0.8 }, 0.1 / 25), ((NetNumerics.Optimizers.SgdOptions)time.Options, time.Decay));
        Assert.Equal("step:lr=0.1,drop=0.5,every=10,form=epoch+1", c["sgd step"].Schedule);
        Assert.Equal("natexp:lr=0.1,k=0.1", c["sgd exponential"].Schedule);
        Assert.Equal(new NetNumerics.Optimizers.AdadeltaOptions { Rho = 0.95, Epsilon = 1e-8 }, O("adadelta"));
        Assert.Equal(1.0, c["adadelta"].LearningRate);
        Assert.Equal(new NetNumerics.Optimizers.AdagradOptions { InitialAccumulatorValue = 0, Epsilon = 1e-8, EpsilonPlacement = NetNumerics.Optimizers.EpsilonPlacement.OutsideSqrt }, O("adagrad"));
        Assert.Equal(0.01, c["adagrad"].LearningRate);
        Assert.Equal(new NetNumerics.Optimizers.RmspropOptions { Epsilon = 1e-8, EpsilonPlacement = NetNumerics.Optimizers.EpsilonPlacement.OutsideSqrt }, O("rmsprop"));
        Assert.Equal(new NetNumerics.Optimizers.AdamOptions { Epsilon = 1e-8 }, O("adam"));
        Assert.Equal((1e-3, 1e-3), (c["rmsprop"].LearningRate, c["adam"].LearningRate));
    }

    /// <summary>The clr suite's bounds are what `numerics lr-find` suggests with the same data, batch and seed, and its note says so.</summary>
    [Fact]
    public void The_clr_suite_cycles_between_the_bounds_lr_find_suggests()
    {
        using var tmp = new TempDir();
        string data = TrainCommandTests.WriteDataset(Path.Combine(tmp.Path, "idx"), train: 200, test: 20);
        var find = Run("lr-find", "--data", data, "--batch-size", "20", "--seed", "3", "--out", Path.Combine(tmp.Path, "find"), "--quiet");
        Assert.True(find.Code == 0, find.Err);
        string bounds = find.Out.Split('\n').Single(l => l.StartsWith("suggested bounds: ")).Replace("suggested bounds: ", "");   // "base X, max Y"
        var (code, stdout, stderr) = Run("compare", "clr", "--data", data, "--batch-size", "20", "--seed", "3", "--epochs", "1", "--list");
        Assert.True(code == 0, stderr);
        string lo = bounds.Split(", ")[0]["base ".Length..], hi = bounds.Split(", ")[1]["max ".Length..];
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        // 200 samples, 160 trained on in batches of 20: 8 iterations per epoch, half-cycle 4 epochs = 32.
        Assert.Contains($"schedule clr:lr={lo},max={hi},stepsize=32,mode=triangular per iteration", lines[0]);
        Assert.Contains("mode=triangular2", lines[1]);
        Assert.Contains("mode=exp_range,gamma=0.840896", lines[2]);   // 0.25^(1/8): the amplitude falls to a quarter over the 1-epoch run
        var run = Run("compare", "clr", "--data", data, "--batch-size", "20", "--seed", "3", "--epochs", "1", "--quiet", "--out", Path.Combine(tmp.Path, "clr"));
        Assert.True(run.Code == 0, run.Err);
        Assert.Contains($"suggested {bounds}.", File.ReadAllText(Path.Combine(tmp.Path, "clr", "results.md")));
    }

    [Fact]
    public void The_all_suite_is_the_three_suites_with_prefixed_names()
    {
        var all = CompareSuites.Get("all", 10)!;
        Assert.Equal(16, all.Count);
        Assert.Equal(all.Count, all.Select(c => c.Name).Distinct().Count());
        Assert.Contains(all, c => c.Name == "schedules/time-based" && c.Schedule == "time:lr=0.1,k=0.01" && c.PerIteration);
    }

    [Theory]
    [InlineData("nosuch-suite", null, "neither a suite")]
    [InlineData("FILE", "a; --optimizer adamz", "line 1: --optimizer: Unknown optimizer 'adamz'")]
    [InlineData("FILE", "a; --optimizer adam:beta2=1.5", "line 1: --optimizer: Malformed optimizer \"adam:beta2=1.5\": beta2=1.5 is out of range; allowed: a number in [0, 1)")]
    [InlineData("FILE", "# c\na; --optimizer adam --lr -1", "line 2: --lr '-1'")]
    [InlineData("FILE", "a; --optimizer adam\nb --lr 0.1", "line 2: expected 'name;")]
    [InlineData("FILE", "a; --lr 0.1 --lr 0.2", "--lr is given twice")]
    [InlineData("FILE", "a; --momentum 0.9", "unknown flag '--momentum'")]
    [InlineData("FILE", "a; --lr", "--lr needs a value")]
    [InlineData("FILE", "a; --lr 0.1\na; --lr 0.2", "'a' is used twice")]
    [InlineData("FILE", "a; --schedule step:drop=", "malformed")]
    [InlineData("FILE", "# nothing", "no configuration")]
    [InlineData("MISSING-DATA", null, "does not exist")]
    [InlineData("fixed-lr", "--epochs 0", "--epochs")]
    public void Bad_suites_files_and_flags_give_one_line_a_nonzero_exit_and_no_folder(string suite, string? content, string mentioned)
    {
        using var tmp = new TempDir();
        string data = TrainCommandTests.WriteDataset(Path.Combine(tmp.Path, "idx"));
        string outDir = Path.Combine(tmp.Path, "cmp");
        List<string> args = ["compare", suite, "--data", data, "--out", outDir];
        if (suite == "FILE")
        {
            args[1] = Path.Combine(tmp.Path, "configs.txt");
            File.WriteAllText(args[1], content);
        }
        else if (suite == "MISSING-DATA") { args[1] = "fixed-lr"; args[3] = Path.Combine(tmp.Path, "nope"); }
        else if (content is not null) args.AddRange(content.Split(' '));
        var (code, stdout, stderr) = Run([.. args]);
        Assert.NotEqual(0, code);
        Assert.Contains(mentioned, Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal("", stdout);
        Assert.Equal([Path.Combine(tmp.Path, "idx")], Directory.GetDirectories(tmp.Path));
    }

    [Fact]
    public void An_existing_output_folder_is_never_overwritten()
    {
        using var tmp = new TempDir();
        string data = TrainCommandTests.WriteDataset(Path.Combine(tmp.Path, "idx"));
        string outDir = Path.Combine(tmp.Path, "cmp");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "keep.txt"), "mine");
        var (code, _, stderr) = Run("compare", "fixed-lr", "--data", data, "--out", outDir, "--epochs", "1");
        Assert.Equal(2, code);
        Assert.Contains("not empty", stderr);
        Assert.Equal(["keep.txt"], Directory.GetFileSystemEntries(outDir).Select(Path.GetFileName));
    }

    /// <summary>CIFAR-10 binary batches (label byte + 3x32x32 bytes per record), 6 records per file.</summary>
    static string WriteCifar(string dir)
    {
        string root = Path.Combine(dir, "cifar-10-batches-bin");
        Directory.CreateDirectory(root);
        foreach (var (name, k) in Enumerable.Range(1, 5).Select(i => ($"data_batch_{i}.bin", i)).Append(("test_batch.bin", 6)))
        {
            var bytes = new byte[6 * 3073];
            for (int r = 0; r < 6; r++)
            {
                int label = (r + k) % 10;
                bytes[r * 3073] = (byte)label;
                for (int j = 0; j < 3072; j++) bytes[r * 3073 + 1 + j] = (byte)(j / 1024 == label % 3 ? 200 : (j * 7 + r) % 60);
            }
            File.WriteAllBytes(Path.Combine(root, name), bytes);
        }
        return dir;
    }

    [Fact]
    public void A_cifar10_folder_is_detected_and_trained_on_3x32x32()
    {
        using var tmp = new TempDir();
        string data = WriteCifar(Path.Combine(tmp.Path, "cifar"));
        Assert.True(DataFolder.IsCifar10(data));
        Assert.False(DataFolder.IsCifar10(TrainCommandTests.WriteDataset(Path.Combine(tmp.Path, "idx"))));
        var tt = DataFolder.Load(data);
        Assert.Equal((3, 32, 32, 30, 6), (tt.Train.Channels, tt.Train.Height, tt.Train.Width, tt.Train.Count, tt.Test.Count));
        File.Delete(Path.Combine(data, "cifar-10-batches-bin", "data_batch_3.bin"));
        Assert.Equal(["data_batch_3.bin"], DataFolder.Missing(data));
        WriteCifar(data);

        var services = ScheduleCommandTests.Services with { LoadData = DataFolder.Load };
        string file = Path.Combine(tmp.Path, "c.txt");
        File.WriteAllText(file, "sgd; --optimizer sgd --lr 0.01\n");
        var o = new StringWriter();
        var e = new StringWriter();
        int code = NetNumerics.Cli.Entry.Run(["compare", file, "--data", data, "--out", Path.Combine(tmp.Path, "out"), "--epochs", "1", "--batch-size", "8", "--quiet"], o, e, services);
        Assert.True(code == 0, e.ToString());
        Assert.Single(TableRows(File.ReadAllText(Path.Combine(tmp.Path, "out", "results.md"))));
    }
}
