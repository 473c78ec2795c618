using NetNumerics.Nn;
using System.Globalization;
using System.Text;
using NetNumerics.Cli.Plots;
using NetNumerics.Training;

namespace NetNumerics.Cli.Commands;

/// <summary>
/// What a comparison's report says about the run as a whole: the suite, data, model and budget, and the machine. A run
/// writes it into compare.json; `compare merge` requires the shards to agree on every field but the machine's, so a
/// merged report is the same bytes as an unsharded one.
/// </summary>
sealed record CompareHeader
{
    public required string Suite { get; init; }
    public required string Data { get; init; }
    public int TrainCount { get; init; }
    public int TestCount { get; init; }
    public double ValidationSplit { get; init; }
    public int Epochs { get; init; }
    public int BatchSize { get; init; }
    public ulong Seed { get; init; }
    public int Seeds { get; init; } = 1;
    public double Target { get; init; }
    public required string Model { get; init; }
    /// <summary>A sentence the suite adds (the clr suite's range-test bounds), or null.</summary>
    public string? Note { get; init; }
    /// <summary>The machine: --threads, processor count, .NET version (joined with '/' where merged shards differ).</summary>
    public required string Threads { get; init; }
    public required string Processors { get; init; }
    public required string Runtime { get; init; }

    /// <summary>The same run apart from the machine it ran on.</summary>
    public CompareHeader WithoutMachine() => this with { Threads = "", Processors = "", Runtime = "" };
}

/// <summary>What one configuration produced (History empty and Error set when it could not run). Index is its place in the suite.</summary>
sealed record CompareOutcome(int Index, RunConfig Config, string Folder, IReadOnlyList<EpochLogs> History, BatchResult? Test, string? StopReason, double Seconds, string? Error)
{
    public double? FinalValAccuracy => History.Count == 0 ? null : History[^1].ValAccuracy;
    public double? BestValAccuracy => History.Where(h => h.ValAccuracy is not null).Select(h => h.ValAccuracy).Max();

    /// <summary>1-based epoch at which the validation accuracy first reached <paramref name="target"/>; null if never.</summary>
    public int? EpochsTo(double target) => History.FirstOrDefault(h => h.ValAccuracy >= target) is { } h ? h.Epoch + 1 : null;

    /// <summary>The folder of configuration <paramref name="index"/> (0-based): NN-slug, the same in a shard and in the whole run.</summary>
    public static string FolderName(int index, string name)
    {
        var sb = new StringBuilder();
        foreach (char ch in name.ToLowerInvariant()) sb.Append(char.IsAsciiLetterOrDigit(ch) || ch == '.' ? ch : '-');
        string slug = sb.ToString().Trim('-');
        slug = slug.Length == 0 ? "config" : slug.Length > 40 ? slug[..40] : slug;
        return $"{index + 1:00}-{slug}";
    }
}

/// <summary>
/// The files a comparison writes from its header and outcomes, identically for a run and a merge: results.md (the table,
/// and with --seeds the mean and standard deviation per configuration), results.csv, and the overlaid curves
/// (val_accuracy, val_loss, loss; summary = validation accuracy per epoch per configuration, the mean over seeds).
/// </summary>
sealed class CompareReport(CompareHeader h)
{
    public const string Files = "results.md, results.csv, summary.png/.svg, val_accuracy.png/.svg, val_loss.png/.svg, loss.png/.svg";

    public void Write(string dir, IReadOnlyList<CompareOutcome> outcomes)
    {
        File.WriteAllText(Path.Combine(dir, "results.md"), Markdown(outcomes));
        File.WriteAllText(Path.Combine(dir, "results.csv"), Csv(outcomes));
        WritePlots(dir, outcomes);
    }

    static string P(double? v) => v is { } x ? (double.IsNaN(x) ? "nan" : x.ToString("F4", CultureInfo.InvariantCulture)) : "-";
    static string S(double v) => v.ToString("F1", CultureInfo.InvariantCulture);

    public static string Summary(CompareOutcome o) => o.Error is not null ? $"failed: {o.Error}" :
        $"final val_accuracy {P(o.FinalValAccuracy)}, test_accuracy {P(o.Test?.Accuracy)}, test_loss {P(o.Test?.MeanLoss)}, {S(o.Seconds)} s" +
        (o.StopReason is null ? "" : $" ({o.StopReason})");

    string[] Header => ["config", "optimizer", "lr", "schedule", "final val acc", "best val acc", "test acc", "test loss",
        $"epochs to {h.Target.ToString("0.##", CultureInfo.InvariantCulture)} val acc", "time (s)", "note"];

    static string ScheduleCell(RunConfig c) => c.Schedule is null ? "constant" : c.Schedule + (c.PerIteration ? " (per iteration)" : "");

    string[] Row(CompareOutcome o) =>
    [
        o.Config.Name, o.Config.Optimizer, CommandKit.Lr(o.Config.LearningRate), ScheduleCell(o.Config),
        P(o.FinalValAccuracy), P(o.BestValAccuracy), P(o.Test?.Accuracy), P(o.Test?.MeanLoss),
        o.EpochsTo(h.Target) is { } e ? e.ToString(CultureInfo.InvariantCulture) : "never",
        S(o.Seconds), o.Error is not null ? "failed: " + o.Error : o.StopReason ?? "",
    ];

    static string MarkdownTable(string[] header, IEnumerable<string[]> rows)
    {
        static string Cell(string v) => v.Replace("|", "\\|");
        var sb = new StringBuilder();
        sb.Append("| ").AppendJoin(" | ", header).Append(" |\n");
        sb.Append('|').AppendJoin("", header.Select(_ => "---|")).Append('\n');
        foreach (var r in rows) sb.Append("| ").AppendJoin(" | ", r.Select(Cell)).Append(" |\n");
        return sb.ToString();
    }

    public string Table(IReadOnlyList<CompareOutcome> outcomes) => MarkdownTable(Header, outcomes.Select(Row));

    /// <summary>Mean and sample standard deviation (n - 1) over the replicates of each group, in suite order.</summary>
    string SeedTable(IReadOnlyList<CompareOutcome> outcomes)
    {
        static (double? Mean, double? Std) Stats(IEnumerable<double?> values)
        {
            var v = values.Where(x => x is not null).Select(x => x!.Value).ToArray();
            if (v.Length == 0) return (null, null);
            double mean = v.Average();
            return (mean, v.Length < 2 ? null : Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1)));
        }
        string[] header = ["config", "optimizer", "lr", "schedule", "seeds", "test acc mean", "test acc std", "test loss mean", "test loss std", "final val acc mean"];
        var rows = outcomes.GroupBy(o => o.Config.Group).Select(g =>
        {
            var first = g.First().Config;
            var acc = Stats(g.Select(o => o.Test?.Accuracy));
            var loss = Stats(g.Select(o => o.Test?.MeanLoss));
            var val = Stats(g.Select(o => o.FinalValAccuracy));
            return new[]
            {
                g.Key, first.Optimizer, CommandKit.Lr(first.LearningRate), ScheduleCell(first),
                string.Join(" ", g.Select(o => o.Config.Seed?.ToString(CultureInfo.InvariantCulture) ?? "?")),
                P(acc.Mean), P(acc.Std), P(loss.Mean), P(loss.Std), P(val.Mean),
            };
        });
        return MarkdownTable(header, rows);
    }

    public string Markdown(IReadOnlyList<CompareOutcome> outcomes)
    {
        string seeds = h.Seeds > 1 ? $"seeds {h.Seed} to {h.Seed + (ulong)h.Seeds - 1}" : $"seed {h.Seed}";
        var sb = new StringBuilder($"# compare {h.Suite}\n\n");
        sb.Append($"Data: {h.Data} ({h.TrainCount} training samples, {h.ValidationSplit.ToString("0.##", CultureInfo.InvariantCulture)} of them held out for validation; {h.TestCount} test samples). ");
        sb.Append($"Model: {h.Model}. Epochs {h.Epochs}, batch {h.BatchSize}, {seeds}, threads {h.Threads}, {h.Processors} processors, .NET {h.Runtime}.\n\n");
        if (h.Note is not null) sb.Append(h.Note).Append("\n\n");
        sb.Append(Table(outcomes));
        if (h.Seeds > 1)
            sb.Append($"\nMean and sample standard deviation (n - 1) over the {h.Seeds} seeds of each configuration:\n\n").Append(SeedTable(outcomes));
        sb.Append($"\nTime: {S(outcomes.Sum(o => o.Seconds))} s, the sum over the {outcomes.Count} configurations (a sharded run's wall time is about the longest shard's).\n");
        sb.Append("\nCurves: summary.png (validation accuracy per epoch per configuration").Append(h.Seeds > 1 ? ", mean over seeds" : "")
          .Append("), val_accuracy.png, val_loss.png, loss.png (and .svg); per-configuration history in NN-name/history.csv.\n");
        return sb.ToString();
    }

    public string Csv(IReadOnlyList<CompareOutcome> outcomes)
    {
        var sb = new StringBuilder("config,optimizer,lr,schedule,per_iteration,final_val_accuracy,best_val_accuracy,test_accuracy,test_loss,epochs_to_target,seconds,folder,note,group,seed\n");
        static string F(double? v) => v is { } x ? CommandKit.R(x) : "";
        foreach (var o in outcomes)
            sb.AppendJoin(',', [
                ScheduleCommand.Field(o.Config.Name), ScheduleCommand.Field(o.Config.Optimizer), CommandKit.R(o.Config.LearningRate),
                ScheduleCommand.Field(o.Config.Schedule ?? ""), o.Config.PerIteration ? "1" : "0", F(o.FinalValAccuracy), F(o.BestValAccuracy),
                F(o.Test?.Accuracy), F(o.Test?.MeanLoss), o.EpochsTo(h.Target)?.ToString(CultureInfo.InvariantCulture) ?? "", CommandKit.R(o.Seconds),
                o.Folder, ScheduleCommand.Field(o.Error ?? o.StopReason ?? ""), ScheduleCommand.Field(o.Config.Group),
                o.Config.Seed?.ToString(CultureInfo.InvariantCulture) ?? ""]).Append('\n');
        return sb.ToString();
    }

    void WritePlots(string dir, IReadOnlyList<CompareOutcome> outcomes)
    {
        static double[] Epochs(CompareOutcome o) => o.History.Select(e => (double)(e.Epoch + 1)).ToArray();
        Series Of(CompareOutcome o, Func<EpochLogs, double?> f) => new(o.Config.Name, Epochs(o), o.History.Select(e => f(e) ?? double.NaN).ToArray());
        var ran = outcomes.Where(o => o.History.Count > 0).ToArray();
        LinePlot.Save(Path.Combine(dir, "val_accuracy"), $"Validation accuracy per epoch ({h.Suite})", "epoch", "validation accuracy", [.. ran.Select(o => Of(o, e => e.ValAccuracy))],
            integerX: true, legendOutside: true);
        LinePlot.Save(Path.Combine(dir, "val_loss"), $"Validation loss per epoch ({h.Suite})", "epoch", "validation cross-entropy loss", [.. ran.Select(o => Of(o, e => e.ValLoss))], integerX: true, legendOutside: true);
        LinePlot.Save(Path.Combine(dir, "loss"), $"Training loss per epoch ({h.Suite})", "epoch", "training cross-entropy loss", [.. ran.Select(o => Of(o, e => e.Loss))], integerX: true, legendOutside: true);

        // The summary: one curve per configuration (the mean over its seeds), validation accuracy or, without a validation split, training accuracy.
        bool val = h.ValidationSplit > 0;
        var groups = ran.GroupBy(o => o.Config.Group).Select(g =>
        {
            int epochs = g.Min(o => o.History.Count);
            var x = Enumerable.Range(1, epochs).Select(e => (double)e).ToArray();
            var y = Enumerable.Range(0, epochs).Select(e => g.Average(o => (val ? o.History[e].ValAccuracy : o.History[e].Accuracy) ?? double.NaN)).ToArray();
            return new Series(g.Key, x, y);
        }).ToArray();
        string what = val ? "Validation accuracy" : "Training accuracy";
        LinePlot.Save(Path.Combine(dir, "summary"), $"{what} per epoch: {h.Suite}" + (h.Seeds > 1 ? $" (mean of {h.Seeds} seeds)" : ""),
            "epoch", what.ToLowerInvariant(), groups, integerX: true, legendOutside: true);
    }
}
