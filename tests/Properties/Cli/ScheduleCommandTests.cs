using NetNumerics.Reference.Schedules;
using System.Globalization;
using NetNumerics.Cli;
using NetNumerics.Properties.Training;
using NetNumerics.Schedules;
using Xunit;

namespace NetNumerics.Properties.Cli;

/// <summary>`numerics schedule` in-process: CSV of values, PNG and SVG, one-line errors and no folder on bad flags.</summary>
public class ScheduleCommandTests
{
    internal static readonly CliServices Services = TrainCommandTests.Services with { ParseSchedule = ScheduleParser.Parse };

    internal static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = Entry.Run(args, o, e, Services);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public void Several_schedules_give_one_csv_column_each_with_the_schedules_own_values_and_a_plot()
    {
        using var tmp = new TempDir();
        string outDir = Path.Combine(tmp.Path, "s");
        string[] specs = ["step:lr=0.1,drop=0.5,every=10,form=epoch+1", "natexp:lr=0.1,k=0.1", "clr:lr=0.001,max=0.006,stepsize=5"];
        var (code, stdout, stderr) = Run(["schedule", .. specs.SelectMany(s => new[] { "--schedule", s }), "--steps", "37", "--out", outDir]);
        Assert.True(code == 0, stderr);
        Assert.Equal("", stderr);
        var lines = File.ReadAllLines(Path.Combine(outDir, "schedule.csv"));
        Assert.Equal(38, lines.Length);
        Assert.StartsWith("step,\"step:lr=0.1", lines[0]);
        for (int step = 0; step < 37; step++)
        {
            var cells = lines[step + 1].Split(',');
            Assert.Equal(4, cells.Length);
            Assert.Equal(step, int.Parse(cells[0], CultureInfo.InvariantCulture));
            for (int k = 0; k < specs.Length; k++)   // the value the Reference record gives at that step
                Assert.Equal(ScheduleParser.Parse(specs[k], 0.1).At(step), double.Parse(cells[k + 1], CultureInfo.InvariantCulture), 1e-12);
        }
        string text = PlotFiles.AssertPlot(Path.Combine(outDir, "schedule"));
        Assert.Contains("natexp:lr=0.1,k=0.1", text);
        Assert.Contains("wrote schedule.csv", stdout);
    }

    [Theory]
    [InlineData("--schedule", "step:drop=", "malformed")]
    [InlineData("--schedule", "nosuch", "nosuch")]
    [InlineData("--steps", "0", "--steps")]
    [InlineData("--lr", "-1", "--lr")]
    public void Bad_flags_give_one_line_a_nonzero_exit_and_no_folder(string flag, string value, string mentioned)
    {
        using var tmp = new TempDir();
        string outDir = Path.Combine(tmp.Path, "s");
        var (code, stdout, stderr) = Run("schedule", "--out", outDir, flag, value);
        Assert.NotEqual(0, code);
        Assert.Contains(mentioned, Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal("", stdout);
        Assert.False(Directory.Exists(outDir));
        Assert.Empty(Directory.GetDirectories(tmp.Path));   // no staging folder either
    }

    [Fact]
    public void Help_shows_every_option_with_its_default()
    {
        foreach (var command in new[] { "schedule", "lr-find", "compare" })
        {
            var (code, stdout, _) = Run(command, "--help");
            Assert.Equal(0, code);
            var optionLines = stdout.Split('\n').Where(l => l.TrimStart().StartsWith("--", StringComparison.Ordinal)).ToArray();
            Assert.NotEmpty(optionLines);
            // bool switches and --out (a fresh folder) say their default in words; every valued option shows [default: ...]
            foreach (var l in optionLines.Where(l => !l.Contains("--quiet") && !l.Contains("--out") && !l.Contains("--no-stop") && !l.Contains("--log-y") && !l.Contains("--list")))
                Assert.Contains("[default:", l);
        }
    }
}
