using NetNumerics.Reference.Schedules;
using NetNumerics.Nn;
using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NetNumerics.Properties.Training;
using NetNumerics.Schedules;
using NetNumerics.Training;
using Xunit;
using NetNumerics.Testing;

namespace NetNumerics.Properties.Cli;

/// <summary>The range test's pure suggestion functions on synthetic curves, its run (stop, restore), and `numerics lr-find` in-process.</summary>
public class LrFindTests
{
    static readonly double U = Bounds.UnitRoundoff<double>();

    /// <summary>A log-spaced lr grid and a loss curve built from chosen slopes (distinct integers) against ln(lr).</summary>
    static (double[] Lrs, double[] Losses, int Steepest, int Minimum) Curve(int[] slopes, double h)
    {
        int n = slopes.Length + 1;
        var lrs = Enumerable.Range(0, n).Select(i => 1e-6 * Math.Exp(i * h)).ToArray();
        var losses = new double[n];
        losses[0] = 5;
        for (int i = 0; i + 1 < n; i++) losses[i + 1] = losses[i] + slopes[i] * (Math.Log(lrs[i + 1]) - Math.Log(lrs[i]));
        int steep = Array.IndexOf(slopes, slopes.Min());
        int min = 0;
        for (int i = 1; i < n; i++) if (losses[i] < losses[min]) min = i;
        return (lrs, losses, steep, min);
    }

    static readonly Gen<(int[] Slopes, double H)> Curves =
        from n in Gen.Choose(2, 40)
        from perm in Gen.Shuffle(Enumerable.Range(-20, 41).ToArray())
        from h in Gen.Elements(0.05, 0.1, 0.3, 1.0)
        select (perm.Take(n).ToArray(), h);

    [Property(MaxTest = 200)]
    public Property Steepest_descent_is_the_left_point_of_the_most_negative_slope_against_log_lr() =>
        Prop.ForAll(Curves.ToArbitrary(), c =>
        {
            // slopes are distinct integers; the computed slope differs from the chosen one by a few ulps, far below 1
            var (lrs, losses, steep, _) = Curve(c.Slopes, c.H);
            return (LrRangeTest.SteepestIndex(lrs, losses) == steep).Label($"slopes [{string.Join(",", c.Slopes)}]");
        });

    [Property(MaxTest = 200)]
    public Property Suggestion_is_the_steepest_lr_and_the_minimum_lr_over_10_with_bounds_between() =>
        Prop.ForAll(Curves.ToArbitrary(), c =>
        {
            var (lrs, losses, steep, min) = Curve(c.Slopes, c.H);
            var s = LrRangeTest.Suggest(lrs, losses, 0, 0);
            bool ok = s.Steepest == lrs[steep] && s.MinimumOver10 == lrs[min] / 10;
            ok &= s.MaxLearningRate == Math.Max(s.Steepest, s.MinimumOver10);
            ok &= s.BaseLearningRate <= s.MaxLearningRate / 3 && s.BaseLearningRate > 0;             // Smith: base well below max
            ok &= s.BaseLearningRate == Math.Min(s.Steepest, s.MinimumOver10) || s.BaseLearningRate == s.MaxLearningRate / 4;
            return ok.Label($"steep {s.Steepest} min/10 {s.MinimumOver10} base {s.BaseLearningRate} max {s.MaxLearningRate}");
        });

    [Fact]
    public void Suggest_leaves_out_the_first_tenth_and_the_last_five_points_when_enough_remain()
    {
        // the steepest drop and the lowest loss are both in the trimmed ends, so only the kept middle decides
        int[] slopes = [-50, -1, -2, -3, -4, -3, -2, -1, 1, 2, 3, 1, -40, -60, 1, 1];   // 17 points: 1..11 are kept
        var (lrs, losses, _, _) = Curve(slopes, 0.1);
        var s = LrRangeTest.Suggest(lrs, losses, 1, 5);
        Assert.Equal(lrs[4], s.Steepest);
        Assert.Equal(lrs[8] / 10, s.MinimumOver10);
    }

    [Fact]
    public void Valley_is_halfway_down_the_longest_decreasing_run_as_fastai_computes_it()
    {
        // 12 strictly falling points: lds[11] = 12, fastai start = 11 - 12 = -1, len = 12, sections = 4: -1 + 4 + 2 = 5
        double[] falling = Enumerable.Range(0, 12).Select(i => 10.0 - i).ToArray();
        Assert.Equal(5, LrRangeTest.ValleyIndex(falling));
        // 10 falling points then a rise: end = 9, start = -1, len = 10, sections = 3.33: -1 + 3 + 1 = 3
        double[] vee = Enumerable.Range(0, 16).Select(i => Math.Abs(i - 9.0)).ToArray();
        Assert.Equal(3, LrRangeTest.ValleyIndex(vee));
        // a short early dip, then a longer descent from the bump at index 3: the longest decreasing subsequence is
        // 7, 6.5, 6, 5.5, 3.9, 3.8, 3.7, 3.6, 3.5 (lds 9, ending at 11): start = 11 - 9 = 2, len 9, sections 3: 2 + 3 + 1 = 6
        double[] two = [5, 4, 6, 7, 6.5, 6, 5.5, 3.9, 3.8, 3.7, 3.6, 3.5, 8];
        Assert.Equal(6, LrRangeTest.ValleyIndex(two));
        Assert.Equal(0, LrRangeTest.ValleyIndex([3.0]));
        Assert.Equal(-1, LrRangeTest.ValleyIndex([]));
        var s = LrRangeTest.Suggest(Enumerable.Range(0, 12).Select(i => Math.Pow(10, i - 7)).ToArray(), falling, 0, 0);
        Assert.Equal(Math.Pow(10, 5 - 7), s.Valley);
    }

    [Fact]
    public void The_caveat_names_a_curve_whose_drop_is_within_its_noise_and_spares_a_clean_one()
    {
        // clean: exp(-i/10) + a line; second differences ~1e-3 at most, drop ~0.6
        double[] clean = Enumerable.Range(0, 60).Select(i => Math.Exp(-i / 10.0) + 0.001 * i).ToArray();
        Assert.Null(LrRangeTest.NoiseCaveat(clean, clean));
        // flat with +-0.2 noise: sigma ~0.2 (|second difference| 0.8 = 4 sigma for alternating signs, /1.652 -> 0.48), drop of the smoothed curve ~0.05
        double[] noisy = Enumerable.Range(0, 60).Select(i => 2 + (i % 2 == 0 ? 0.2 : -0.2)).ToArray();
        double[] smooth = LrRangeTest.Smooth(noisy, 0.98);
        var caveat = LrRangeTest.NoiseCaveat(noisy, smooth);
        Assert.NotNull(caveat);
        Assert.Contains("too noisy", caveat);
    }

    [Property(MaxTest = 100)]
    public Property Smoothed_loss_is_a_weighted_mean_of_the_losses_so_far() =>
        Prop.ForAll(Gen.Choose(0, 10_000).Select(i => i / 1000.0).ArrayOf().Where(a => a.Length > 0).ToArbitrary(), Gen.Elements(0.0, 0.5, 0.9, 0.98).ToArbitrary(), (losses, beta) =>
        {
            var s = LrRangeTest.Smooth(losses, beta);
            bool ok = s.Length == losses.Length;
            for (int n = 1; n <= losses.Length && ok; n++)
            {
                // the debiased EMA sum_k beta^(n-k) (1-beta) x_k / (1 - beta^n) has weights summing to 1: it lies in [min, max]
                // of x_1..x_n, up to rounding: relative gamma_{3n} on the positive recurrence, gamma_n beta^n/(1-beta^n) from 1-beta^n, u from the division
                double lo = losses.Take(n).Min(), hi = losses.Take(n).Max();
                double pn = Math.Pow(beta, n);
                double slack = hi * (Bounds.Gamma(3 * n + 2, U) + Bounds.Gamma(n + 1, U) * pn / (1 - pn) + U) * 2;
                ok &= s[n - 1] >= lo - slack && s[n - 1] <= hi + slack;
            }
            return ok;
        });

    [Fact]
    public void The_first_smoothed_value_is_the_first_loss_and_beta_zero_is_no_smoothing()
    {
        double[] losses = [2.5, 1.0, 3.0];
        Assert.Equal(2.5, LrRangeTest.Smooth(losses, 0.98)[0], 12);
        Assert.Equal(losses, LrRangeTest.Smooth(losses, 0.0));
    }

    [Property(MaxTest = 50)]
    public Property Learning_rates_grow_by_a_constant_factor_from_start_towards_end() =>
        Prop.ForAll(Gen.Choose(2, 300).ToArbitrary(), steps =>
        {
            double start = 1e-7, end = 10, factor = Math.Pow(end / start, 1.0 / steps);
            bool ok = LrRangeTest.LearningRateAt(start, end, steps, 0) == start;
            for (int i = 1; i < steps; i++)
                ok &= Math.Abs(LrRangeTest.LearningRateAt(start, end, steps, i) / LrRangeTest.LearningRateAt(start, end, steps, i - 1) / factor - 1) < 1e-12;
            ok &= LrRangeTest.LearningRateAt(start, end, steps, steps - 1) < end;
            return ok;
        });

    [Theory]
    [InlineData(7)]
    [InlineData(13)]
    public void The_run_stops_at_the_first_step_whose_smoothed_loss_exceeds_4x_the_best(int blowUpAt)
    {
        // scripted loss: falls slowly, then grows 3x per step from blowUpAt on
        Func<long, double> loss = step => step < blowUpAt ? 2.0 - 0.01 * step : 2.0 * Math.Pow(3, step - blowUpAt + 1);
        var model = new RecordingModel(4, 3) { TrainLoss = loss };
        var r = LrRangeTest.Run(model, new PlainSgd(), Training.Data.Indexed(40), new LrRangeTestOptions { Steps = 60, BatchSize = 8 });
        var expectedSmooth = LrRangeTest.Smooth(Enumerable.Range(0, 60).Select(i => loss(i)).ToArray(), 0.98);
        int stop = -1;
        double best = double.PositiveInfinity;
        for (int i = 0; i < 60 && stop < 0; i++) { best = Math.Min(best, expectedSmooth[i]); if (expectedSmooth[i] > 4 * best) stop = i; }
        Assert.True(stop > blowUpAt, "the script must diverge within the run");
        Assert.Equal(stop + 1, r.Points.Count);
        Assert.NotNull(r.StopReason);
        Assert.Equal(expectedSmooth.Take(stop + 1), r.Points.Select(p => p.SmoothedLoss));
        var unstopped = LrRangeTest.Run(new RecordingModel(4, 3) { TrainLoss = loss }, new PlainSgd(), Training.Data.Indexed(40),
            new LrRangeTestOptions { Steps = 60, BatchSize = 8, StopOnDivergence = false });
        Assert.Equal(60, unstopped.Points.Count);
        Assert.Null(unstopped.StopReason);
    }

    [Property(MaxTest = 8)]
    public Property Weights_gradients_and_the_callers_optimizer_state_are_bit_exactly_as_before() =>
        Prop.ForAll(Gen.Choose(0, 5).ToArbitrary(), Gen.Choose(5, 40).ToArbitrary(), (warmup, steps) =>
        {
            var model = new SoftmaxRegression(16, 3, initSeed: (ulong)(warmup + 1));
            var data = Training.Data.Clusters(64);
            var opt = new MomentumSgd();
            var states = model.Parameters.Select(p => opt.Init<float>(p.Length)).ToArray();
            for (int w = 0; w < warmup; w++)   // some training first, so the state is not all zeros
            {
                model.TrainStep(data.Images.AsSpan(0, 16 * 16), data.Labels.AsSpan(0, 16), 1, w);
                for (int i = 0; i < states.Length; i++) states[i] = opt.Update(states[i], model.Parameters[i].Values.Span, model.Parameters[i].Gradients.Span, 0.1);
            }
            var before = model.Parameters.Select(p => p.Values.ToArray()).ToArray();
            var gradsBefore = model.Parameters.Select(p => p.Gradients.ToArray()).ToArray();
            var statesBefore = states.Select(s => s.Clone()).ToArray();
            bool moved = false;
            var r = LrRangeTest.Run(model, opt, data, new LrRangeTestOptions { Steps = steps, BatchSize = 16, StartLearningRate = 1e-3, EndLearningRate = 100 },
                states, _ => moved |= !model.Parameters[0].Values.Span.SequenceEqual(before[0]));
            bool ok = moved && r.Points.Count > 0;                       // the test did change the weights while it ran
            for (int i = 0; i < before.Length; i++)
            {
                NumericAssert.BitExact<float>(before[i], model.Parameters[i].Values.Span, label: $"parameter {i} after the range test");
                NumericAssert.BitExact<float>(gradsBefore[i], model.Parameters[i].Gradients.Span, label: $"gradient {i} after the range test");
                NumericAssert.BitExact(statesBefore[i], states[i], label: $"optimizer state {i} after the range test");
            }
            return ok.Label($"warmup {warmup} steps {steps} moved {moved}");
        });

    sealed class ThrowingModel(IModel inner, int throwAt) : IModel
    {
        public int InputLength => inner.InputLength;
        public int Classes => inner.Classes;
        public IReadOnlyList<Parameter> Parameters => inner.Parameters;
        public BatchResult TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, ulong seed, long step) =>
            step == throwAt ? throw new InvalidOperationException("boom") : inner.TrainStep(inputs, labels, seed, step);
        public BatchResult Evaluate(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels) => inner.Evaluate(inputs, labels);
        public void Predict(ReadOnlySpan<float> inputs, Span<float> probabilities) => inner.Predict(inputs, probabilities);
    }

    [Fact]
    public void Weights_are_restored_even_when_a_step_throws()
    {
        var model = new ThrowingModel(new SoftmaxRegression(16, 3), throwAt: 4);
        var before = model.Parameters.Select(p => p.Values.ToArray()).ToArray();
        Assert.Throws<InvalidOperationException>(() => LrRangeTest.Run(model, new PlainSgd(), Training.Data.Clusters(40), new LrRangeTestOptions { Steps = 10, BatchSize = 8, StartLearningRate = 0.1, EndLearningRate = 1 }));
        for (int i = 0; i < before.Length; i++) Assert.Equal(before[i], model.Parameters[i].Values.ToArray());
    }

    [Fact]
    public void Bad_options_name_the_option()
    {
        Assert.Contains("EndLearningRate", Assert.Throws<ArgumentOutOfRangeException>(() => new LrRangeTestOptions { StartLearningRate = 1, EndLearningRate = 0.5 }.Validate()).Message);
        Assert.Contains("Steps", Assert.Throws<ArgumentOutOfRangeException>(() => new LrRangeTestOptions { Steps = 1 }.Validate()).Message);
        Assert.Contains("DivergenceFactor", Assert.Throws<ArgumentOutOfRangeException>(() => new LrRangeTestOptions { DivergenceFactor = 1 }.Validate()).Message);
        Assert.Contains("model takes 9", Assert.Throws<ArgumentException>(() => LrRangeTest.Run(new RecordingModel(9, 3), new PlainSgd(), Training.Data.Indexed(10))).Message);
    }

    // ---- the command ----

    [Fact]
    public void Lr_find_writes_csv_plot_and_suggestion_and_prints_train_commands_that_run()
    {
        using var tmp = new TempDir();
        string data = TrainCommandTests.WriteDataset(Path.Combine(tmp.Path, "idx"));
        string outDir = Path.Combine(tmp.Path, "find");
        var (code, stdout, stderr) = ScheduleCommandTests.Run("lr-find", "--data", data, "--out", outDir, "--steps", "40", "--batch-size", "16",
            "--start", "1e-5", "--end", "100", "--epochs", "2", "--optimizer", "sgd");
        Assert.True(code == 0, stderr);
        Assert.Equal("", stderr);
        var csv = File.ReadAllLines(Path.Combine(outDir, "lr_find.csv"));
        Assert.Equal("step,learning_rate,loss,smoothed_loss", csv[0]);
        Assert.InRange(csv.Length - 1, 6, 40);
        var lrs = csv.Skip(1).Select(l => double.Parse(l.Split(',')[1], CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(1e-5, lrs[0]);
        Assert.True(lrs.Zip(lrs.Skip(1)).All(p => p.Second > p.First));
        string plot = PlotFiles.AssertPlot(Path.Combine(outDir, "lr_find"));
        Assert.Contains("steepest descent", plot);
        Assert.Contains("valley", plot);
        Assert.Contains("valley (fastai's default): lr ", stdout);
        Assert.Equal(File.ReadAllText(Path.Combine(outDir, "suggestion.txt")).Trim(), string.Join('\n', stdout.Split('\n').Where(l =>
            l.StartsWith("valley") || l.StartsWith("caveat") || l.StartsWith("steepest") || l.StartsWith("minimum") || l.StartsWith("suggested") || l.StartsWith("cyclical") || l.StartsWith("one-cycle"))).Trim());

        foreach (var prefix in new[] { "cyclical:", "one-cycle:" })
        {
            string line = stdout.Split('\n').Single(l => l.StartsWith(prefix));
            var args = line[(line.IndexOf("numerics train", StringComparison.Ordinal) + "numerics ".Length)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            string schedule = args[Array.IndexOf(args, "--schedule") + 1];
            Assert.NotNull(ScheduleParser.Parse(schedule, 1e-3));            // the parser's own syntax
            string runDir = Path.Combine(tmp.Path, prefix.TrimEnd(':'));
            var (c2, _, e2) = ScheduleCommandTests.Run([.. args, "--out", runDir, "--quiet"]);   // ready to run as printed
            Assert.True(c2 == 0, e2);
            Assert.Equal(3, File.ReadAllLines(Path.Combine(runDir, "history.csv")).Length);
        }
    }

    [Theory]
    [InlineData("--start", "0", "--start")]
    [InlineData("--end", "1e-8", "--end")]
    [InlineData("--steps", "1", "--steps")]
    [InlineData("--optimizer", "adamz", "adamz")]
    [InlineData("--data", "MISSING", "does not exist")]
    public void Bad_flags_give_one_line_a_nonzero_exit_and_no_folder(string flag, string value, string mentioned)
    {
        using var tmp = new TempDir();
        string data = TrainCommandTests.WriteDataset(Path.Combine(tmp.Path, "idx"));
        string outDir = Path.Combine(tmp.Path, "find");
        string[] args = flag == "--data"
            ? ["lr-find", "--data", Path.Combine(tmp.Path, value), "--out", outDir]
            : ["lr-find", "--data", data, "--out", outDir, flag, value];
        var (code, stdout, stderr) = ScheduleCommandTests.Run(args);
        Assert.NotEqual(0, code);
        Assert.Contains(mentioned, Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal("", stdout);
        Assert.Equal([Path.Combine(tmp.Path, "idx")], Directory.GetDirectories(tmp.Path));
    }
}
