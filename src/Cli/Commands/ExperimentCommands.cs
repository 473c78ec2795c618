using System.CommandLine;

namespace NetNumerics.Cli.Commands;

/// <summary>The commands that reproduce the articles' experiments (compare, lr-find, schedule) and `bench`, which measures the machine.</summary>
static class ExperimentCommands
{
    public static IEnumerable<Command> Create(CliServices services, TextWriter output, TextWriter error) =>
    [
        CompareCommand.Create(services, output, error),
        LrFindCommand.Create(services, output, error),
        ScheduleCommand.Create(services, output, error),
        BenchCommand.Create(output, error),
    ];
}
