using System.CommandLine;

namespace NetNumerics.Cli.Commands;

/// <summary>
/// `numerics compare merge DIR... --out DIR`: joins the folders of `compare SUITE --shard K/N` runs into one folder with
/// the report an unsharded run writes (<see cref="CompareReport"/> over every configuration in suite order), the
/// configurations' own folders copied in. The shards must be of one run: the same suite, configurations, data, model and
/// budget (only threads, processors and .NET version may differ; the report then lists each), the same N, and between
/// them every configuration exactly once. Anything else is one line naming the folder, and nothing is written.
/// </summary>
static class CompareMerge
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var dirs = new Argument<string[]>("DIR") { Description = "The shard folders (compare.json in each).", Arity = ArgumentArity.OneOrMore };
        var outDir = CommandKit.OutOption("compare-merged");
        var quiet = CommandKit.QuietOption();
        var cmd = new Command("merge", "Join the folders of sharded `compare --shard K/N` runs into the table and figures of the unsharded run.") { dirs, outDir, quiet };
        cmd.SetAction(pr => CommandKit.Guarded("compare merge", error, () => Run(pr.GetValue(dirs) ?? [], pr.GetValue(outDir), pr.GetValue(quiet), output)));
        return cmd;
    }

    static int Run(string[] dirs, string? outDir, bool quiet, TextWriter output)
    {
        if (dirs.Length == 0) throw new UsageException("give the shard folders to merge.");
        var manifests = dirs.Select(CompareStore.ReadManifest).ToArray();
        var first = manifests[0];
        var owner = new int[first.Configs.Count];
        Array.Fill(owner, -1);
        for (int d = 0; d < dirs.Length; d++)
        {
            var m = manifests[d];
            if (m.Header.WithoutMachine() != first.Header.WithoutMachine())
                throw new UsageException($"{dirs[d]} is another run than {dirs[0]}: {Difference(m.Header, first.Header)}.");
            if (!m.Configs.SequenceEqual(first.Configs))
                throw new UsageException($"{dirs[d]} lists other configurations than {dirs[0]} (a different suite file or --epochs, --seeds, --seed?).");
            if (m.ShardCount != first.ShardCount)
                throw new UsageException($"{dirs[d]} is shard {m.ShardIndex}/{m.ShardCount}, but {dirs[0]} is of {first.ShardCount} shards.");
            foreach (int i in m.Ran)
            {
                if (i < 0 || i >= owner.Length) throw new UsageException($"{dirs[d]} says it ran configuration {i + 1}, but the suite has {owner.Length}.");
                if (owner[i] >= 0) throw new UsageException($"configuration {i + 1} ('{first.Configs[i].Name}') is in both {dirs[owner[i]]} and {dirs[d]}.");
                owner[i] = d;
            }
        }
        int missing = Array.IndexOf(owner, -1);
        if (missing >= 0)
            throw new UsageException($"no folder holds configuration {missing + 1} ('{first.Configs[missing].Name}'): shard {missing % first.ShardCount + 1}/{first.ShardCount} is missing.");
        var outcomes = owner.Select((d, i) => CompareStore.ReadOutcome(dirs[d], manifests[d], i)).ToArray();
        var header = first.Header with
        {
            Threads = Joined(manifests.Select(m => m.Header.Threads)), Processors = Joined(manifests.Select(m => m.Header.Processors)),
            Runtime = Joined(manifests.Select(m => m.Header.Runtime)),
        };

        using var folder = OutputFolder.Check(outDir, "compare-merged");
        string dir = folder.Begin();
        foreach (var o in outcomes) CopyFolder(Path.Combine(dirs[owner[o.Index]], o.Folder), Path.Combine(dir, o.Folder));
        var report = new CompareReport(header);
        report.Write(dir, outcomes);
        CompareStore.WriteManifest(dir, header, Shard.Whole, [.. first.Configs.Select(c => c.ToConfig())], Enumerable.Range(0, outcomes.Length));
        folder.Commit();
        if (!quiet) output.Write(report.Table(outcomes));
        output.WriteLine($"merged {dirs.Length} folders ({outcomes.Length} configurations of {header.Suite}); wrote {CompareReport.Files} in {folder.Target}");
        return 0;
    }

    /// <summary>The distinct values in shard order, '/'-joined ("2" when all agree, "2/4" when they differ).</summary>
    static string Joined(IEnumerable<string> values) => string.Join('/', values.Distinct());

    static string Difference(CompareHeader a, CompareHeader b)
    {
        var diffs = new List<string>();
        void Check<T>(string name, T x, T y) { if (!EqualityComparer<T>.Default.Equals(x, y)) diffs.Add($"{name} {x} vs {y}"); }
        Check("suite", a.Suite, b.Suite); Check("data", a.Data, b.Data); Check("training samples", a.TrainCount, b.TrainCount);
        Check("test samples", a.TestCount, b.TestCount); Check("validation split", a.ValidationSplit, b.ValidationSplit); Check("epochs", a.Epochs, b.Epochs);
        Check("batch", a.BatchSize, b.BatchSize); Check("seed", a.Seed, b.Seed); Check("seeds", a.Seeds, b.Seeds); Check("target", a.Target, b.Target);
        Check("model", a.Model, b.Model); Check("note", a.Note, b.Note);
        return diffs.Count == 0 ? "their headers differ" : string.Join(", ", diffs);
    }

    static void CopyFolder(string from, string to)
    {
        if (!Directory.Exists(from)) throw new UsageException($"{from} is missing.");
        Directory.CreateDirectory(to);
        foreach (string f in Directory.GetFiles(from)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
    }
}
