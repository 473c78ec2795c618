using NetNumerics.IO;
using NetNumerics.Training.Checkpoints;

namespace NetNumerics.Cli.Runs;

/// <summary>
/// The output folder of `train`, as the user names it: checked before anything is written (--out must be new or empty,
/// under a folder and not a file; --resume must hold a readable last.ckpt), with temporary files that a killed write
/// left behind (.NAME.PID.GUID.tmp, see <see cref="AtomicFile"/>) removed and reported, never counted as content.
/// </summary>
static class RunFolder
{
    /// <summary>Checks a --out folder; removes stray temporary files from it (saying so on <paramref name="output"/>).</summary>
    public static void CheckNewOut(string outDir, TextWriter output)
    {
        if (outDir.Length == 0)
            throw new UsageException("--out is empty: give a folder (new or empty), or leave --out out for a fresh runs/run-<time>.");
        if (File.Exists(outDir)) throw new UsageException($"--out {outDir} is a file; give a folder.");
        string? blocker = FileAncestor(outDir);
        if (blocker is not null)
            throw new UsageException($"--out {outDir} cannot be created: {blocker} is a file, not a folder.");
        if (!Directory.Exists(outDir)) return;
        ReportRemoved(output, outDir, Remove(outDir));
        var entries = Directory.EnumerateFileSystemEntries(outDir).Select(Path.GetFileName).Take(4).ToArray();
        if (entries.Length > 0)
            throw new UsageException($"--out {outDir} already exists and is not empty (it holds {Listing(entries)}); choose a new folder (nothing was overwritten).");
    }

    /// <summary>
    /// Reads DIR/last.ckpt for --resume (stray temporary files removed first and reported); a folder without one is a
    /// UsageException saying what the folder holds and what to do.
    /// </summary>
    public static TrainingCheckpoint ReadResume(string resumeDir, TextWriter output)
    {
        if (resumeDir.Length == 0) throw new UsageException("--resume is empty: give the folder of the run to continue.");
        if (!Directory.Exists(resumeDir))
            throw new UsageException(File.Exists(resumeDir) ? $"--resume {resumeDir} is a file; give the run's folder." : $"--resume {resumeDir} does not exist.");
        ReportRemoved(output, resumeDir, Remove(resumeDir));
        string last = Path.Combine(resumeDir, "last.ckpt");
        if (RegularFile.Problem(last, "checkpoint", out _, out bool missing) is not null && missing && new FileInfo(last).LinkTarget is null)
        {
            var entries = Directory.EnumerateFileSystemEntries(resumeDir).Select(Path.GetFileName).Take(4).ToArray();
            throw new UsageException(entries.Length == 0
                ? $"--resume {resumeDir}: there is no last.ckpt in it, and nothing else: no epoch of that run finished; start it again with --out {resumeDir}."
                : $"--resume {resumeDir}: there is no last.ckpt in it (it holds {Listing(entries)}): no epoch of that run finished, so there is nothing to resume.");
        }
        try { return CheckpointFile.Read(last); }
        catch (IOException e) { throw new UsageException($"--resume: {e.Message}"); }
    }

    /// <summary>Creates the folder (one line naming it and why when that fails).</summary>
    public static void Create(string target)
    {
        try { Directory.CreateDirectory(target); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot create the output folder {target}: {IoReason.Of(e)}.", e);
        }
    }

    static IReadOnlyList<string> Remove(string dir)
    {
        try { return AtomicFile.RemoveStrayTemporaries(dir); }
        catch (IOException e) { throw new UsageException(e.Message); }
    }

    static void ReportRemoved(TextWriter output, string dir, IReadOnlyList<string> removed)
    {
        if (removed.Count == 0) return;
        output.WriteLine($"removed {removed.Count} stray temporary file{(removed.Count == 1 ? "" : "s")} left in {dir} by an interrupted write: {Listing(removed)}");
    }

    static string Listing(IReadOnlyList<string?> names) =>
        string.Join(", ", names.Take(3)) + (names.Count > 3 ? ", ..." : "");

    /// <summary>The nearest existing ancestor of <paramref name="path"/> when it is a file (so the folder cannot be made), else null.</summary>
    static string? FileAncestor(string path)
    {
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        while (dir is not null && !Directory.Exists(dir))
        {
            if (File.Exists(dir)) return dir;
            dir = Path.GetDirectoryName(dir);
        }
        return null;
    }
}
