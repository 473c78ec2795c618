using NetNumerics.Nn;
using System.CommandLine;
using System.Globalization;
using System.Text;
using NetNumerics.Cli.Plots;
using NetNumerics.Training;

namespace NetNumerics.Cli.Commands;

/// <summary>
/// `numerics lr-find`: the learning-rate range test (Smith 2017; fastai / keras_lr_finder) on the training data with the
/// seed model, via <see cref="LrRangeTest"/>: writes lr_find.csv (step, learning_rate, loss, smoothed_loss),
/// lr_find.png/.svg (smoothed loss against lr on a log axis, suggestions marked) and suggestion.txt, and prints the
/// suggested bounds and ready `train` command lines with a cyclical (clr) and a one-cycle schedule.
/// </summary>
static class LrFindCommand
{
    public static Command Create(CliServices services, TextWriter output, TextWriter error)
    {
        var start = new Option<double>("--start") { Description = "Learning rate of the first batch.", DefaultValueFactory = _ => 1e-7 };
        var end = new Option<double>("--end") { Description = "Learning rate the exponential ramp reaches after --steps batches.", DefaultValueFactory = _ => 10.0 };
        var steps = new Option<int>("--steps") { Description = "Batches (one update each) in the test.", DefaultValueFactory = _ => 100 };
        var optimizer = new Option<string>("--optimizer") { Description = OptimizerCatalog.Help + " decay= is not allowed here.", DefaultValueFactory = _ => "adam" };
        var modelText = CommandKit.ModelOption();
        var batchSize = new Option<int>("--batch-size") { Description = "Mini-batch size.", DefaultValueFactory = _ => 250 };
        var epochs = new Option<int>("--epochs") { Description = "Epochs of the suggested `train` commands (sizes the one-cycle schedule).", DefaultValueFactory = _ => 25 };
        var noStop = new Option<bool>("--no-stop") { Description = "Run every step even after the smoothed loss exceeds 4x its best.", DefaultValueFactory = _ => false };
        var seed = CommandKit.SeedOption();
        var threads = CommandKit.ThreadsOption();
        var data = new Option<string>("--data") { Description = "Folder of IDX or CIFAR-10 binary files (data/mnist is fetched if missing).", DefaultValueFactory = _ => DataSource.DefaultData };
        var trainLimit = new Option<int>("--train-limit") { Description = "Use only the first N training samples (0 = all).", DefaultValueFactory = _ => 0 };
        var outDir = CommandKit.OutOption("lr-find");
        var quiet = CommandKit.QuietOption();
        var cmd = new Command("lr-find", "Learning-rate range test: loss against an exponentially growing learning rate, suggested bounds, ready train commands.")
        {
            start, end, steps, optimizer, modelText, batchSize, epochs, noStop, seed, threads, data, trainLimit, outDir, quiet,
        };
        cmd.SetAction(pr => CommandKit.Guarded("lr-find", error, () =>
        {
            double lo = pr.GetValue(start), hi = pr.GetValue(end);
            int n = pr.GetValue(steps), batch = pr.GetValue(batchSize), ep = pr.GetValue(epochs), limit = pr.GetValue(trainLimit), th = pr.GetValue(threads);
            string opt = pr.GetValue(optimizer)!;
            bool q = pr.GetValue(quiet);
            CommandKit.PositiveFinite(lo, "--start");
            CommandKit.PositiveFinite(hi, "--end");
            if (hi <= lo) throw new UsageException($"--end must be > --start ({CommandKit.R(lo)}), but was {CommandKit.R(hi)}.");
            if (n < 2) throw new UsageException($"--steps must be >= 2, but was {n}.");
            CommandKit.Positive(batch, "--batch-size");
            CommandKit.Positive(ep, "--epochs");
            CommandKit.Positive(th, "--threads");
            CommandKit.NonNegative(limit, "--train-limit");
            var optSpec = OptimizerCatalog.Parse(opt, "--optimizer");
            if (optSpec.Decay != 0)
                throw new UsageException($"--optimizer: decay={CommandKit.R(optSpec.Decay)} has no meaning in a range test, which sets the learning rate of every batch itself; leave decay= out.");
            opt = optSpec.ToString();
            using var folder = OutputFolder.Check(pr.GetValue(outDir), "lr-find");
            string? dataDir = pr.GetResult(data) is { Implicit: false } ? pr.GetValue(data) : null;
            var train = DataSource.Load(services, output, dataDir, limit, 1).Train;
            ulong sd = pr.GetValue(seed);
            var network = RunSetup.Model(CommandKit.ModelText(pr, modelText), train);
            var model = RunSetup.CreateModel(services, train, network, sd, th, batch);
            var optim = services.CreateOptimizer(optSpec.Options);
            var options = new LrRangeTestOptions
            {
                StartLearningRate = lo, EndLearningRate = hi, Steps = n, BatchSize = batch, Seed = sd, StopOnDivergence = !pr.GetValue(noStop),
            };
            if (!q) output.WriteLine($"Range test: {opt}, lr {CommandKit.Lr(lo)} -> {CommandKit.Lr(hi)} over {n} batches of {Math.Min(batch, train.Count)} from {train.Count} samples, seed {sd}; output in {folder.Target}");
            int every = Math.Max(1, n / 10);
            var result = LrRangeTest.Run(model, optim, train, options, onPoint: p =>
            {
                if (!q && (p.Step % every == 0 || p.Step == n - 1))
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step {p.Step + 1}/{n} - lr {p.LearningRate:G3} - loss {p.Loss:F4} - smoothed {p.SmoothedLoss:F4}"));
            });
            if (result.StopReason is not null && !q) output.WriteLine(result.StopReason);
            LrSuggestion s;
            try { s = result.Suggest(n); }
            catch (ArgumentException e) { throw new InvalidOperationException(e.Message); }

            string dir = folder.Begin();
            File.WriteAllText(Path.Combine(dir, "lr_find.csv"), Csv(result.Points));
            LinePlot.Save(Path.Combine(dir, "lr_find"), $"Learning-rate range test ({opt}, batch {Math.Min(batch, train.Count)})",
                "learning rate", "training loss",
                [
                    new Series("batch loss", result.Points.Select(p => p.LearningRate).ToArray(), result.Points.Select(p => p.Loss).ToArray()),
                    new Series("smoothed loss (EMA, beta 0.98, debiased)", result.Points.Select(p => p.LearningRate).ToArray(), result.Points.Select(p => p.SmoothedLoss).ToArray()),
                ],
                logX: true, yRange: YRange(result.Points), markers: [(s.Steepest, $"steepest descent {s.Steepest.ToString("G3", CultureInfo.InvariantCulture)}"), (s.MinimumOver10, $"minimum/10 {s.MinimumOver10.ToString("G3", CultureInfo.InvariantCulture)}")]);
            int nTrain = (int)Math.Floor(train.Count * 0.8);          // train's default --validation-split 0.2
            int batches = (nTrain + batch - 1) / batch;
            var report = Report(s, opt, CommandKit.ModelText(pr, modelText) is null ? null : NetworkText.Print(network!), batch, ep, batches, dataDir, limit);
            File.WriteAllText(Path.Combine(dir, "suggestion.txt"), report);
            folder.Commit();
            output.Write(report);
            output.WriteLine($"wrote lr_find.csv, lr_find.png, lr_find.svg, suggestion.txt in {folder.Target}");
            return 0;
        }));
        return cmd;
    }

    /// <summary>As fastai draws it: from just below the lowest smoothed loss to a quarter above the first, so the divergence does not flatten the curve.</summary>
    static (double, double)? YRange(IReadOnlyList<LrRangePoint> points)
    {
        var s = points.Select(p => p.SmoothedLoss).Where(double.IsFinite).ToArray();
        if (s.Length == 0) return null;
        double hi = 1.25 * s[0], lo = s.Min();
        return hi > lo ? (Math.Max(0, lo - 0.1 * (hi - lo)), hi) : null;
    }

    static string Csv(IReadOnlyList<LrRangePoint> points)
    {
        var sb = new StringBuilder("step,learning_rate,loss,smoothed_loss\n");
        foreach (var p in points)
            sb.Append(p.Step).Append(',').Append(CommandKit.R(p.LearningRate)).Append(',').Append(CommandKit.R(p.Loss)).Append(',')
              .Append(CommandKit.R(p.SmoothedLoss)).Append('\n');
        return sb.ToString();
    }

    /// <summary>
    /// The suggestion and two ready command lines. CLR: stepsize = 4 epochs of iterations (Smith: 2-10x the iterations per
    /// epoch); one-cycle: max = the upper bound, total = all iterations of the run; both advance per iteration.
    /// </summary>
    static string Report(LrSuggestion s, string optimizer, string? model, int batch, int epochs, int batchesPerEpoch, string? data, int limit)
    {
        static string G(double v) => v.ToString("G3", CultureInfo.InvariantCulture);
        string common = $"--optimizer {optimizer}" + (model is null ? "" : $" --model {model}") + $" --batch-size {batch} --epochs {epochs}" + (data is null ? "" : $" --data {data}") + (limit > 0 ? $" --train-limit {limit}" : "");
        long stepsize = 4L * batchesPerEpoch, total = (long)epochs * batchesPerEpoch;
        return $"steepest descent: lr {G(s.Steepest)}\n" +
               $"minimum/10: lr {G(s.MinimumOver10)}\n" +
               $"suggested bounds: base {G(s.BaseLearningRate)}, max {G(s.MaxLearningRate)}\n" +
               $"cyclical:  numerics train {common} --schedule clr:lr={G(s.BaseLearningRate)},max={G(s.MaxLearningRate)},stepsize={stepsize} --schedule-per-iteration\n" +
               $"one-cycle: numerics train {common} --schedule onecycle:lr={G(s.MaxLearningRate)},total={total} --schedule-per-iteration\n";
    }
}
