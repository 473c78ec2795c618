using Xunit;

namespace NetNumerics.Properties.Cli.Hostile;

/// <summary>
/// A small tmpfs mounted by the test on a folder of its own (needs root and a usable `mount`, checked with
/// <see cref="TryMount"/>), to make disk-full and read-only-file-system faults real: <see cref="Fill"/> leaves no free
/// byte, <see cref="RemountReadOnly"/> makes it read-only. Unmounted on Dispose. Where mounting is not possible the tests
/// fall back to limiting the file size of a child process (RLIMIT_FSIZE, with SIGXFSZ ignored, so a write fails with
/// EFBIG as it fails with ENOSPC on a full disk).
/// </summary>
sealed class ScratchDisk : IDisposable
{
    ScratchDisk(string path) => Path = path;

    public string Path { get; }

    public static ScratchDisk? TryMount(string folder, string size)
    {
        Directory.CreateDirectory(folder);
        var (code, _) = HostileKit.Shell("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", folder);
        return code == 0 ? new ScratchDisk(folder) : null;
    }

    /// <summary>Writes a filler file until the file system has no space left.</summary>
    public void Fill()
    {
        var block = new byte[4096];
        using var f = new FileStream(System.IO.Path.Combine(Path, "filler"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1);
        try { while (true) f.Write(block); }
        catch (IOException) { }
        // tmpfs may still hold a partial page: fill byte by byte
        try { while (true) f.Write(block, 0, 1); }
        catch (IOException) { }
    }

    public void RemountReadOnly()
    {
        var (code, output) = HostileKit.Shell("mount", "-o", "remount,ro", Path);
        Assert.True(code == 0, $"remount read-only failed: {output}");
    }

    public void Dispose() => HostileKit.Shell("umount", "-l", Path);
}
