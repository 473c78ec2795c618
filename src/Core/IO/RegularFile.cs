namespace NetNumerics.IO;

/// <summary>
/// Opens files that come from outside (checkpoints, data files) only when they are regular files with a size, and
/// bounds every read by that size. A FIFO, a device such as /dev/zero, or a socket has no size (st_size 0), so it is
/// refused before it is opened: opening a FIFO without a writer would block forever, and reading /dev/zero would never
/// end. Symbolic links are followed; a loop or a link to nothing is named as such. Every failure is an
/// <see cref="IOException"/> (<see cref="FileNotFoundException"/> when nothing is there) whose one-line message starts
/// with the path.
/// </summary>
internal static class RegularFile
{
    /// <summary>The size in bytes of the regular file at <paramref name="path"/> (after following links); throws otherwise.</summary>
    public static long Size(string path, string what)
    {
        string? problem = Problem(path, what, out long size, out bool missing);
        if (problem is null) return size;
        if (missing) throw new FileNotFoundException($"{path}: {problem}", path);
        throw new IOException($"{path}: {problem}");
    }

    /// <summary>
    /// Null when <paramref name="path"/> is (or links to) a regular file with a size, which is returned in
    /// <paramref name="size"/>; otherwise what is wrong, without the path ("the checkpoint is a symbolic link that loops
    /// back on itself ..."), and <paramref name="missing"/> says whether nothing is there at all.
    /// </summary>
    public static string? Problem(string path, string what, out long size, out bool missing)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        size = 0;
        missing = false;
        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            FileSystemInfo? final;
            try { final = info.ResolveLinkTarget(returnFinalTarget: true); }
            catch (IOException) { return $"the {what} is a symbolic link that loops back on itself (link -> {info.LinkTarget})."; }
            if (final is not null && Directory.Exists(final.FullName)) return $"the {what} is a symbolic link to the folder {final.FullName}, not a file.";
            if (final is null || !final.Exists)
            {
                missing = true;
                return $"the {what} is a symbolic link to {final?.FullName ?? info.LinkTarget}, which does not exist.";
            }
            info = new FileInfo(final.FullName);
        }
        if (!info.Exists)
        {
            if (Directory.Exists(path)) return $"the {what} is a folder, not a file.";
            missing = true;
            return $"the {what} does not exist.";
        }
        size = info.Length;
        if (size == 0)
            return $"the {what} holds 0 bytes: it is empty or not a regular file (a FIFO, device or socket has no size and is not read).";
        return null;
    }

    /// <summary>
    /// Opens the regular file for reading and returns it with its size (checked again on the open handle, so a file
    /// swapped for something else between the check and the open is refused too).
    /// </summary>
    public static FileStream OpenRead(string path, string what, out long size)
    {
        size = Size(path, what);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 4096);
        try
        {
            if (!stream.CanSeek || stream.Length != size)
                throw new IOException($"{path}: the {what} changed while it was being opened (size {size} bytes, now {(stream.CanSeek ? stream.Length : -1)}); not read.");
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>All bytes of the regular file, at most <paramref name="maxBytes"/>; exactly its size is read, never more.</summary>
    public static byte[] ReadAllBytes(string path, string what, long maxBytes)
    {
        using var stream = OpenRead(path, what, out long size);
        if (size > maxBytes || size > Array.MaxLength)
            throw new IOException($"{path}: the {what} is {size} bytes, more than the {Math.Min(maxBytes, Array.MaxLength)} bytes allowed.");
        var bytes = new byte[size];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
