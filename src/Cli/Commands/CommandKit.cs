using NetNumerics.Nn;
using NetNumerics.Reference.Schedules;
using System.CommandLine;
using System.Globalization;
using NetNumerics.Schedules;

namespace NetNumerics.Cli.Commands;

/// <summary>
/// What the experiment commands (compare, lr-find, schedule) share: one-line errors, the staged output folder,
/// number formatting and the services' schedule parser (the library's own when the services have none).
/// </summary>
static class CommandKit
{
    public static string Num(double v) => double.IsNaN(v) ? "nan" : v.ToString("G4", CultureInfo.InvariantCulture);
    /// <summary>A learning rate as people write it: 0.5, 0.01, 1e-3, 1e-5, 2.5e-4.</summary>
    public static string Lr(double v)
    {
        if (v == 0 || !double.IsFinite(v) || Math.Abs(v) >= 0.01) return v.ToString("G6", CultureInfo.InvariantCulture);
        int e = (int)Math.Floor(Math.Log10(Math.Abs(v)));
        double m = Math.Round(v / Math.Pow(10, e), 6);
        return m.ToString("G6", CultureInfo.InvariantCulture) + "e" + e.ToString(CultureInfo.InvariantCulture);
    }

    public static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>An ArgumentException's sentence without the " (Parameter 'x')" the runtime appends: what a one-line error shows.</summary>
    public static string Message(ArgumentException e)
    {
        string m = e.Message;
        int p = e.ParamName is null ? -1 : m.LastIndexOf($" (Parameter '{e.ParamName}')", StringComparison.Ordinal);
        return (p >= 0 ? m[..p] : m).Replace('\n', ' ');
    }

    public static Func<string, double, ISchedule> Parser(CliServices services) => services.ParseSchedule ?? ScheduleParser.Parse;

    /// <summary>Parses a schedule string; a malformed one is a UsageException naming <paramref name="where"/>.</summary>
    public static ISchedule ParseSchedule(CliServices services, string text, double lr, string where)
    {
        try { return Parser(services)(text, lr); }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new UsageException($"{where} '{text}' is malformed: {e.Message}");
        }
    }

    /// <summary>Runs a command body: a UsageException is one line and exit 2; any other failure one line and exit 1.</summary>
    public static int Guarded(string command, TextWriter error, Func<int> body)
    {
        try { return body(); }
        catch (UsageException e)
        {
            error.WriteLine($"numerics {command}: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or InvalidOperationException or ArgumentException or UnauthorizedAccessException)
        {
            error.WriteLine($"numerics {command}: failed: {e.Message}");
            return 1;
        }
    }

    /// <summary>A positive-int flag; 0 where "0 = all" is allowed.</summary>
    public static void Positive(int value, string flag)
    {
        if (value < 1) throw new UsageException($"{flag} must be >= 1, but was {value}.");
    }

    public static void NonNegative(int value, string flag)
    {
        if (value < 0) throw new UsageException($"{flag} must be >= 0 (0 = all), but was {value}.");
    }

    public static void PositiveFinite(double value, string flag)
    {
        if (!double.IsFinite(value) || value <= 0) throw new UsageException($"{flag} must be a finite number > 0, but was {R(value)}.");
    }

    /// <summary>The --threads option (default: processor count) and --seed (default 1), as `train` has them.</summary>
    public static Option<int> ThreadsOption() =>
        new("--threads") { Description = "Worker threads of the model.", DefaultValueFactory = _ => Environment.ProcessorCount };

    public static Option<ulong> SeedOption() =>
        new("--seed") { Description = "Seed of initial weights, shuffles and dropout.", DefaultValueFactory = _ => 1UL };

    public static Option<string> OutOption(string command) =>
        new("--out") { Description = $"Output folder; must not exist or be empty (\"\" = a fresh runs/{command}-<time>)." , DefaultValueFactory = _ => "" };

    /// <summary>--model TEXT; its default is the seed CNN, which applies only when the flag is not given (see <see cref="ModelText"/>).</summary>
    public static Option<string> ModelOption() => new("--model")
    {
        Description = $"The network as text, layers {NetworkText.Grammar}; the default, the seed CNN, needs 28x28 or 32x32 images with 10 classes.",
        DefaultValueFactory = _ => NetworkText.Print(NetworkSpec.MnistSeed()),
    };

    /// <summary>The --model text when given, else null (the services' default model for the data).</summary>
    public static string? ModelText(ParseResult pr, Option<string> model) => pr.GetResult(model) is { Implicit: false } ? pr.GetValue(model) : null;

    public static Option<bool> QuietOption() =>
        new("--quiet") { Description = "Print only the final summary.", DefaultValueFactory = _ => false };
}

/// <summary>
/// The output folder of one command run. <see cref="Check"/> refuses a non-empty or file target before anything is
/// written; the files are then written into a hidden staging folder next to it, which <see cref="Commit"/> renames to
/// the target at the end (or <see cref="Dispose"/> deletes on failure): the target is never left half-written.
/// </summary>
sealed class OutputFolder : IDisposable
{
    OutputFolder(string target) => Target = target;

    public string Target { get; }
    public string? Staging { get; private set; }

    public static OutputFolder Check(string? requested, string command)
    {
        if (string.IsNullOrEmpty(requested))
        {
            string stamp = DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
            string baseName = Path.Combine("runs", $"{command}-{stamp}"), name = baseName;
            for (int i = 2; Directory.Exists(name) || File.Exists(name); i++) name = $"{baseName}-{i}";
            return new OutputFolder(name);
        }
        if (File.Exists(requested)) throw new UsageException($"--out {requested} is a file; give a folder.");
        if (Directory.Exists(requested) && Directory.EnumerateFileSystemEntries(requested).Any())
            throw new UsageException($"--out {requested} already exists and is not empty; choose a new folder (nothing was overwritten).");
        return new OutputFolder(requested);
    }

    /// <summary>Creates the staging folder and returns its path (write every file under it).</summary>
    public string Begin()
    {
        string full = Path.GetFullPath(Target);
        string parent = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(parent);
        Staging = Path.Combine(parent, $".{Path.GetFileName(full)}.partial-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Staging);
        return Staging;
    }

    /// <summary>Moves the staging folder to the target (an empty target folder is replaced).</summary>
    public void Commit()
    {
        if (Staging is null) throw new InvalidOperationException("Begin was not called.");
        if (Directory.Exists(Target))
        {
            if (Directory.EnumerateFileSystemEntries(Target).Any())
                throw new IOException($"--out {Target} was filled by someone else while this command ran; the results are in {Staging}.");
            Directory.Delete(Target);
        }
        Directory.Move(Staging, Target);
        Staging = null;
    }

    public void Dispose()
    {
        if (Staging is not null && Directory.Exists(Staging))
        {
            try { Directory.Delete(Staging, recursive: true); } catch (IOException) { }
        }
        Staging = null;
    }
}
