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
        // Under an MPI launcher every rank runs this program; rank 0 alone prints (the others' MPI watchdog still writes to stderr).
        Training.Distributed.MpiLaunch? launch;
        try { launch = Training.Distributed.MpiLaunch.FromEnvironment(); }
        catch (ArgumentException e) { error.WriteLine($"numerics: {e.Message}"); return 2; }
        if (launch is { IsDistributed: true })
        {
            if (launch.Rank != 0) { output = TextWriter.Null; error = TextWriter.Null; }
            if (args.Length == 0 || args[0] != "train")
            {
                error.WriteLine($"numerics: {launch.Launcher} started this as rank {launch.Rank} of {launch.Size}, but only `numerics train` runs over MPI ({(args.Length == 0 ? "no command was given" : $"not `{args[0]}`")}); run other commands as one process.");
                return 2;
            }
        }
        var root = new RootCommand("Learning-rate schedules, adaptive optimizers and a CPU CNN (NetNumerics).");
        root.Subcommands.Add(TrainCommand.Create(services, output, error));
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
