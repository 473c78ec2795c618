using System.CommandLine;

namespace NetNumerics.Cli;

/// <summary>
/// The `numerics` program. <see cref="Run"/> is the whole program: tests call it in-process with their own
/// writers and services. A parse error or a bad flag is ONE line on stderr ("numerics: ...") and exit code 2;
/// a failure while running is one line and exit code 1; an unknown command is named, with the nearest one. Numbers in
/// every option are parsed strictly and invariantly (<see cref="Parsing.StrictNumber"/>). Nothing escapes as a stack
/// trace: an exception no command expected is one line too ("numerics: unexpected ...", exit code 1).
/// </summary>
public static class Entry
{
    public static int Run(string[] args, TextWriter? output = null, TextWriter? error = null, CliServices? services = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        services ??= CliServices.Default;
        // Under an MPI launcher every rank runs this program, and MPI starts before anything else can fail, so that when one
        // rank exits with an error the launcher ends the whole job. Rank 0 alone prints. Another rank holds back what it would
        // have written; when it fails it waits a moment, so that a failure every rank shares is reported once, by rank 0 (whose
        // exit ends the job), and only a failure of its own reaches stderr, marked with its rank.
        Runs.MpiRun? mpi;
        try { mpi = Runs.MpiRun.StartIfLaunched(Training.Distributed.MpiLaunch.FromEnvironment()); }
        catch (ArgumentException e) { error.WriteLine($"numerics: {e.Message}"); return 2; }
        catch (Training.Distributed.MpiException e) { error.WriteLine($"numerics: {e.Message}"); return 1; }
        catch (UsageException e) { error.WriteLine($"numerics: {e.Message}"); return 2; }
        if (mpi is null) return Run(args, output, error, services, null);
        int code;
        if (mpi.IsRoot) code = Run(args, output, error, services, mpi);
        else
        {
            var held = new StringWriter();
            code = Run(args, TextWriter.Null, held, services, mpi);
            if (code != 0 && held.ToString().Length > 0)
            {
                Thread.Sleep(RankReportDelay);
                foreach (string line in held.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
                    error.WriteLine($"(rank {mpi.Ranks.Rank} of {mpi.Ranks.Size}) {line}");
            }
        }
        // MPI is finalized only when every rank ends the same way (done, or stopped by a signal after the same batch); any
        // other exit leaves without it, so the launcher ends the other ranks at once.
        if (code is 0 or 130 or 143) mpi.Dispose();
        return code;
    }

    /// <summary>How long a rank other than 0 waits before it reports its own failure (rank 0 reports shared ones first).</summary>
    static readonly TimeSpan RankReportDelay = TimeSpan.FromSeconds(3);

    static int Run(string[] args, TextWriter output, TextWriter error, CliServices services, Runs.MpiRun? mpi)
    {
        if (mpi is not null && (args.Length == 0 || args[0] != "train"))
        {
            error.WriteLine($"numerics: {mpi.Launch.Launcher} started this as rank {mpi.Ranks.Rank} of {mpi.Ranks.Size}, but only `numerics train` runs over MPI ({(args.Length == 0 ? "no command was given" : $"not `{args[0]}`")}); run other commands as one process.");
            return 2;
        }
        var root = new RootCommand("Learning-rate schedules, adaptive optimizers and a CPU CNN (NetNumerics).");
        root.Subcommands.Add(TrainCommand.Create(services, output, error, mpi));
        foreach (var c in Commands.ExperimentCommands.Create(services, output, error)) root.Subcommands.Add(c);
        Parsing.StrictNumber.Apply(root);
        if (Parsing.CommandSuggestion.Check(root, args) is { } unknown)
        {
            error.WriteLine(unknown);
            return 2;
        }
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            error.WriteLine($"numerics: {Commands.CommandKit.OneLine(parsed.Errors[0].Message)}");
            return 2;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            error.WriteLine($"numerics: unexpected {e.GetType().Name}: {Commands.CommandKit.Reason(e)}");
            return 1;
        }
    }
}
