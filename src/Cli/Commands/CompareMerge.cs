using System.CommandLine;

namespace NetNumerics.Cli.Commands;

/// <summary>
/// `numerics compare merge DIR... --out DIR`: joins the folders of `compare SUITE --shard K/N` runs into one folder with
/// the report an unsharded run writes (<see cref="CompareReport"/> over every configuration in suite order), the
/// configurations' own folders copied in. The shards must be of one run: the same suite, configurations, data, model and
/// budget (only threads, processors and .NET version may differ; the report then lists each), the same N, and between
/// them every configuration exactly once. Runs of the same suite over seed ranges that follow on (`--seed 1`, then
/// `--seed 2 --seeds 2`; each range given whole or as its shards) join into the run of all their seeds (`--seed 1 --seeds 3`),
/// so seeds can be added to a finished sweep. Anything else is one line naming the folder, and nothing is written.
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
        for (int d = 1; d < dirs.Length; d++)
            if (Run(manifests[d].Header) != Run(first.Header))
                throw new UsageException($"{dirs[d]} is another run than {dirs[0]}: {Difference(manifests[d].Header, first.Header)}.");

        // The folders of one seed range (--seed S --seeds N) are the shards of one command; ranges in order of their first seed.
        var ranges = Enumerable.Range(0, dirs.Length).GroupBy(d => (manifests[d].Header.Seed, manifests[d].Header.Seeds))
            .OrderBy(g => g.Key.Seed).Select(g => g.ToArray()).ToArray();
        for (int r = 1; r < ranges.Length; r++)
        {
            var (prev, next) = (manifests[ranges[r - 1][0]].Header, manifests[ranges[r][0]].Header);
            ulong end = prev.Seed + (ulong)prev.Seeds;
            if (next.Seed < end)
                throw new UsageException($"{dirs[ranges[r][0]]} (seeds {SeedRange(next)}) repeats seeds of {dirs[ranges[r - 1][0]]} (seeds {SeedRange(prev)}); give each seed once.");
            if (next.Seed > end)
                throw new UsageException($"{dirs[ranges[r][0]]} is another run than {dirs[ranges[r - 1][0]]}: seed {prev.Seed} vs {next.Seed} " +
                    $"(seeds {SeedRange(prev)} and {SeedRange(next)} leave a gap; runs join into one only when their seeds follow on).");
        }
        var parts = ranges.Select(r => Whole(dirs, manifests, r)).ToArray();

        IReadOnlyList<RunConfig> configs;
        (CompareOutcome Outcome, string From)[] outcomes;
        CompareHeader header;
        if (parts.Length == 1)
        {
            configs = [.. first.Configs.Select(c => c.ToConfig())];
            outcomes = parts[0];
            header = first.Header;
        }
        else
            (configs, outcomes, header) = JoinSeeds(ranges.Select(r => dirs[r[0]]).ToArray(), ranges.Select(r => manifests[r[0]]).ToArray(), parts);
        header = header with
        {
            Threads = Joined(manifests.Select(m => m.Header.Threads)), Processors = Joined(manifests.Select(m => m.Header.Processors)),
            Runtime = Joined(manifests.Select(m => m.Header.Runtime)),
        };

        using var folder = OutputFolder.Check(outDir, "compare-merged");
        string dir = folder.Begin();
        foreach (var (o, from) in outcomes)
        {
            string to = Path.Combine(dir, o.Folder);
            CopyFolder(from, to);
            if (Path.GetFileName(from) != o.Folder) CompareStore.WriteOutcome(to, o);   // a replicate renumbered into the joined run
        }
        var ran = outcomes.Select(x => x.Outcome).ToArray();
        var report = new CompareReport(header);
        report.Write(dir, ran);
        CompareStore.WriteManifest(dir, header, Shard.Whole, configs, Enumerable.Range(0, ran.Length));
        folder.Commit();
        if (!quiet) output.Write(report.Table(ran));
        output.WriteLine($"merged {dirs.Length} folders ({ran.Length} configurations of {header.Suite}" +
            (parts.Length > 1 ? $", seeds {SeedRange(header)}" : "") + $"); wrote {CompareReport.Files} in {folder.Target}");
        return 0;
    }

    /// <summary>The header without what may differ between folders that join: the machine, and the seed range.</summary>
    static CompareHeader Run(CompareHeader h) => h.WithoutMachine() with { Seed = 0, Seeds = 1 };

    static string SeedRange(CompareHeader h) => h.Seeds == 1 ? $"{h.Seed}" : $"{h.Seed} to {h.Seed + (ulong)h.Seeds - 1}";

    /// <summary>
    /// The shards of one command (<paramref name="members"/>: indexes into <paramref name="dirs"/>), checked to hold every
    /// configuration exactly once: each outcome in suite order with the folder it is in.
    /// </summary>
    static (CompareOutcome, string)[] Whole(string[] dirs, CompareStore.Manifest[] manifests, int[] members)
    {
        var first = manifests[members[0]];
        string firstDir = dirs[members[0]];
        var owner = new int[first.Configs.Count];
        Array.Fill(owner, -1);
        foreach (int d in members)
        {
            var m = manifests[d];
            if (!m.Configs.SequenceEqual(first.Configs))
                throw new UsageException($"{dirs[d]} lists other configurations than {firstDir} (a different suite file or --epochs, --seeds, --seed?).");
            if (m.ShardCount != first.ShardCount)
                throw new UsageException($"{dirs[d]} is shard {m.ShardIndex}/{m.ShardCount}, but {firstDir} is of {first.ShardCount} shards.");
            foreach (int i in m.Ran)
            {
                if (i < 0 || i >= owner.Length) throw new UsageException($"{dirs[d]} says it ran configuration {i + 1}, but the suite has {owner.Length}.");
                if (owner[i] >= 0) throw new UsageException($"configuration {i + 1} ('{first.Configs[i].Name}') is in both {dirs[owner[i]]} and {dirs[d]}.");
                owner[i] = d;
            }
        }
        int missing = Array.IndexOf(owner, -1);
        if (missing >= 0)
            throw new UsageException($"no folder holds configuration {missing + 1} ('{first.Configs[missing].Name}'): shard {missing % first.ShardCount + 1}/{first.ShardCount} is missing" +
                (members.Length < dirs.Length ? $" (of the run of seeds {SeedRange(first.Header)})." : "."));
        return owner.Select((d, i) =>
        {
            var o = CompareStore.ReadOutcome(dirs[d], manifests[d], i);
            return (o, Path.Combine(dirs[d], o.Folder));
        }).ToArray();
    }

    /// <summary>
    /// Runs of the same suite over seed ranges that follow on (e.g. --seed 1 and --seed 2 --seeds 2) joined into the run of
    /// all their seeds (--seed 1 --seeds 3): the configurations <see cref="CompareSuites.WithSeeds"/> makes for it, each
    /// replicate taken from the run of its seed and renumbered, so the report is the one that run writes.
    /// </summary>
    static (IReadOnlyList<RunConfig>, (CompareOutcome, string)[], CompareHeader) JoinSeeds(string[] runDirs, CompareStore.Manifest[] runs,
        (CompareOutcome Outcome, string From)[][] parts)
    {
        var bases = runs.Select(Bases).ToArray();
        for (int r = 1; r < runs.Length; r++)
            if (!bases[r].SequenceEqual(bases[0]))
                throw new UsageException($"the run of seeds {SeedRange(runs[r].Header)} lists other configurations than that of seeds {SeedRange(runs[0].Header)} (a different suite file?).");
        ulong firstSeed = runs[0].Header.Seed;
        int seeds = runs.Sum(m => m.Header.Seeds);
        var configs = CompareSuites.WithSeeds([.. bases[0].Select(b => new RunConfig(b.Name, b.Optimizer, b.Lr, b.Schedule, b.PerIteration))], seeds, firstSeed);
        var outcomes = new (CompareOutcome, string)[configs.Count];
        for (int i = 0; i < configs.Count; i++)
        {
            int b = i / seeds;
            ulong seed = firstSeed + (ulong)(i % seeds);
            int r = Array.FindLastIndex(runs, m => m.Header.Seed <= seed);
            var h = runs[r].Header;
            var (o, from) = parts[r][b * h.Seeds + (int)(seed - h.Seed)];
            outcomes[i] = (o with { Index = i, Config = configs[i], Folder = CompareOutcome.FolderName(i, configs[i].Name) }, from);
        }
        return (configs, outcomes, runs[0].Header with { Seed = firstSeed, Seeds = seeds });

        // The suite's configurations before --seeds replicated them; a configuration with a seed of its own cannot take more seeds.
        (string Name, string Optimizer, double Lr, string? Schedule, bool PerIteration)[] Bases(CompareStore.Manifest m)
        {
            int n = m.Header.Seeds;
            for (int i = 0; i < m.Configs.Count; i++)
            {
                var c = m.Configs[i];
                ulong? expected = n == 1 ? null : m.Header.Seed + (ulong)(i % n);
                if (c.Seed != expected)
                    throw new UsageException($"configuration {i + 1} ('{c.Name}') of {runDirs[Array.IndexOf(runs, m)]} has a seed of its own ({c.Seed}); runs with other seeds cannot be joined to it.");
            }
            return [.. m.Configs.Where((c, i) => i % n == 0).Select(c => (n == 1 ? c.Name : c.Group, c.Optimizer, c.Lr, c.Schedule, c.PerIteration))];
        }
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
