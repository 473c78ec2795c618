using NetNumerics.IO;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace NetNumerics.Training.Checkpoints;

/// <summary>
/// Replaces a file so that readers see either the old complete file or the new complete file, never a
/// partial one: write to a temporary file in the same directory (<c>.NAME.PID.GUID.tmp</c>), flush it to the disk
/// (fsync via Flush(true)), then rename it over the target (an atomic rename on one file system). If writing fails
/// (disk full, read-only file system, permission denied) the temporary file is deleted, the old file is untouched and
/// the error is one <see cref="IOException"/> line naming the target and the reason. A temporary file left by a process
/// that was killed mid-write is found by <see cref="StrayTemporaries"/> and removed by <see cref="RemoveStrayTemporaries"/>.
/// </summary>
internal static partial class AtomicFile
{
    /// <summary>Writes the file atomically with <paramref name="write"/>; see the type's summary for what a failure leaves.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        string temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(fs);
                fs.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Delete(temp);
            throw new IOException($"cannot write {path}: {IoReason.Of(e)}{(File.Exists(full) ? $"; the previous {Path.GetFileName(full)} is intact" : "")}.", e);
        }
        catch
        {
            Delete(temp);
            throw;
        }
    }

    static void Delete(string temp)
    {
        try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>Writes <paramref name="text"/> (UTF-8, no BOM) atomically.</summary>
    public static void WriteText(string path, string text) =>
        Write(path, s => { var bytes = new System.Text.UTF8Encoding(false).GetBytes(text); s.Write(bytes); });

    [GeneratedRegex(@"^\.(?<name>.+)\.(?<pid>\d+)\.[0-9a-f]{32}\.tmp$")]
    private static partial Regex TempName();

    /// <summary>
    /// The temporary files in <paramref name="dir"/> that <see cref="Write"/> left behind in a process that no longer
    /// runs (killed mid-write); a temporary file of a live process is not listed.
    /// </summary>
    public static IReadOnlyList<string> StrayTemporaries(string dir)
    {
        ArgumentException.ThrowIfNullOrEmpty(dir);
        if (!Directory.Exists(dir)) return [];
        var stray = new List<string>();
        foreach (var path in Directory.EnumerateFiles(dir))
        {
            var m = TempName().Match(Path.GetFileName(path));
            if (!m.Success) continue;
            if (int.TryParse(m.Groups["pid"].ValueSpan, out int pid) && pid != Environment.ProcessId && IsRunning(pid)) continue;
            if (pid == Environment.ProcessId) continue;   // being written by this process right now
            stray.Add(path);
        }
        stray.Sort(StringComparer.Ordinal);
        return stray;
    }

    /// <summary>Deletes <see cref="StrayTemporaries"/> and returns the names of the files removed.</summary>
    public static IReadOnlyList<string> RemoveStrayTemporaries(string dir)
    {
        var removed = new List<string>();
        foreach (var path in StrayTemporaries(dir))
        {
            try { File.Delete(path); removed.Add(Path.GetFileName(path)); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new IOException($"cannot remove the stray temporary file {path} (left by an interrupted write): {IoReason.Of(e)}; delete it by hand.", e);
            }
        }
        return removed;
    }

    static bool IsRunning(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }
}
