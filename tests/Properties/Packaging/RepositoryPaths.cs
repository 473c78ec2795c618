using System.Diagnostics;

namespace NetNumerics.Properties.Packaging;

/// <summary>The repository this test assembly was built from, and a way to run dotnet commands in it.</summary>
static class RepositoryPaths
{
    /// <summary>The folder holding Numerics.sln, found by walking up from the test assembly.</summary>
    public static string Root { get; } = FindRoot();

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Numerics.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Numerics.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>Every project under src/ (the packages).</summary>
    public static IReadOnlyList<string> SourceProjects =>
        Directory.GetFiles(Path.Combine(Root, "src"), "*.*proj", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Order(StringComparer.Ordinal).ToArray();

    /// <summary>Runs a program to its end (at most <paramref name="timeout"/>) and returns its exit code and both outputs.</summary>
    public static (int Code, string Output) Run(string file, string arguments, string workingDirectory, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {arguments} did not finish within {timeout}.");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
