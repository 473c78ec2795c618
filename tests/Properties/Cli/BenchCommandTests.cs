using System.Text.Json;
using NetNumerics.Cli;
using NetNumerics.Properties.Training;
using Xunit;

namespace NetNumerics.Properties.Cli;

/// <summary>
/// `numerics bench` in-process: the structure of its JSON and that every figure is a finite positive number (never its
/// speed: that is what the command measures, not what a test can assert), the sections flag, and one-line errors.
/// </summary>
[Collection(CnnTraining.Collection)]   // runs the seed CNN on both cores: one such test at a time
public class BenchCommandTests
{
    static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = Entry.Run(args, o, e, TrainCommandTests.Services);
        return (code, o.ToString(), e.ToString());
    }

    /// <summary>Every number anywhere in the document, with its path.</summary>
    static IEnumerable<(string Path, double Value)> Numbers(JsonElement e, string path)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Number: yield return (path, e.GetDouble()); break;
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject()) foreach (var n in Numbers(p.Value, $"{path}.{p.Name}")) yield return n;
                break;
            case JsonValueKind.Array:
                int i = 0;
                foreach (var item in e.EnumerateArray()) foreach (var n in Numbers(item, $"{path}[{i++}]")) yield return n;
                break;
        }
    }

    [Fact]
    public void Quick_json_has_every_section_and_only_finite_positive_figures()
    {
        var (code, stdout, stderr) = Run("bench", "--quick", "--json");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;

        var machine = root.GetProperty("machine");
        Assert.False(string.IsNullOrWhiteSpace(machine.GetProperty("cpu").GetString()));
        Assert.Equal(Environment.ProcessorCount, machine.GetProperty("cores").GetInt32());
        Assert.Contains(machine.GetProperty("vectorBits").GetInt32(), new[] { 128, 256, 512 });
        Assert.True(root.GetProperty("timing").GetProperty("quick").GetBoolean());

        int[] Threads(string section) => root.GetProperty(section).EnumerateArray().Select(r => r.GetProperty("threads").GetInt32()).ToArray();
        Assert.Equal([1, 2], Threads("fma"));
        Assert.Equal([1, 2], Threads("cnn"));
        foreach (var c in root.GetProperty("cnn").EnumerateArray())
        {
            Assert.Equal(250, c.GetProperty("batch").GetInt32());
            Assert.Equal(4.256e9, c.GetProperty("flopsPerStep").GetDouble(), 0.001e9);   // 3 x 5.675 MFLOP forward x 250
            // GFLOP/s is the FLOP count over the time, as printed
            Assert.Equal(c.GetProperty("flopsPerStep").GetDouble() / c.GetProperty("milliseconds").GetDouble() / 1e6,
                c.GetProperty("gflopsPerSecond").GetDouble(), 1e-9);
            Assert.True(c.TryGetProperty("fractionOfFmaPeak", out _));
            Assert.True(c.TryGetProperty("fractionOfFmaPeakPerCpuSecond", out _));
            Assert.True(c.TryGetProperty("cpuMilliseconds", out _));
        }
        var copy = root.GetProperty("copy").EnumerateArray().Select(c => (c.GetProperty("threads").GetInt32(), c.GetProperty("elements").GetInt32())).ToArray();
        Assert.Equal([(1, 16_384), (1, 1 << 20), (2, 1 << 20)], copy);

        // the fourteen default optimizers (lamb, adafactor the last), in cache (1 thread) then in memory (1 and 2 threads), each with
        // Reference, Fast, speed-up and its copy fraction
        var rows = root.GetProperty("optimizers").EnumerateArray().ToArray();
        Assert.Equal(42, rows.Length);
        Assert.Equal(14, rows.Count(r => r.GetProperty("where").GetString() == "memory" && r.GetProperty("threads").GetInt32() == 2));
        Assert.All(rows.Where(r => r.GetProperty("where").GetString() == "cache"), r => Assert.Equal(1, r.GetProperty("threads").GetInt32()));
        Assert.Equal(14, rows.Select(r => r.GetProperty("optimizer").GetString()).Distinct().Count());
        Assert.Contains(rows, r => r.GetProperty("optimizer").GetString() == "lamb");
        Assert.Contains(rows, r => r.GetProperty("optimizer").GetString() == "adafactor");
        Assert.Equal(14, rows.Count(r => r.GetProperty("where").GetString() == "cache" && r.GetProperty("elements").GetInt32() == 16_384));
        Assert.Equal(28, rows.Count(r => r.GetProperty("where").GetString() == "memory" && r.GetProperty("elements").GetInt32() == 1 << 20));
        foreach (var r in rows)
        {
            Assert.True(r.TryGetProperty("fractionOfCopy", out _));
            Assert.Equal(r.GetProperty("referenceNsPerElement").GetDouble() / r.GetProperty("fastNsPerElement").GetDouble(), r.GetProperty("speedUp").GetDouble(), 1e-9);
        }
        var adam = rows.First(r => r.GetProperty("optimizer").GetString() == "adam");
        Assert.Equal(28, adam.GetProperty("bytesPerElement").GetInt32());      // reads p, g, m, v; writes p, m, v
        Assert.Equal(12, rows.First(r => r.GetProperty("optimizer").GetString() == "sgd").GetProperty("bytesPerElement").GetInt32());

        var numbers = Numbers(root, "$").ToArray();
        Assert.True(numbers.Length > 100);
        Assert.All(numbers, n => Assert.True(double.IsFinite(n.Value) && n.Value > 0, $"{n.Path} = {n.Value}"));
    }

    [Fact]
    public void Sections_pick_what_runs_and_the_table_names_the_cpu()
    {
        var (code, stdout, stderr) = Run("bench", "--quick", "--sections", "optimizers", "--optimizer", "adam", "--optimizer", "sgd:momentum=0.9");
        Assert.True(code == 0, stderr);
        Assert.Contains("CPU: ", stdout);
        Assert.Contains("| adam in cache, 28 B/element |", stdout);
        Assert.Contains("| sgd:momentum=0.9 in memory, 20 B/element |", stdout);
        Assert.Contains("| copy probe", stdout);          // the optimizers' yardstick runs with them
        Assert.DoesNotContain("| FMA probe", stdout);
        Assert.DoesNotContain("seed CNN", stdout);
        Assert.DoesNotContain("| adamw", stdout);
    }

    [Theory]
    [InlineData("--sections", "optimizers,gpu", "--sections")]
    [InlineData("--sections", "", "--sections")]
    [InlineData("--optimizer", "adam:beta9=1", "--optimizer")]
    [InlineData("--repetitions", "3", "--repetitions")]
    public void Bad_flags_give_one_line_and_a_nonzero_exit_before_measuring(string flag, string value, string mentioned)
    {
        var (code, stdout, stderr) = Run("bench", "--quick", flag, value);
        Assert.NotEqual(0, code);
        Assert.Contains(mentioned, Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal("", stdout);
    }
}
