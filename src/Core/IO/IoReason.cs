namespace NetNumerics.IO;

/// <summary>
/// Why a file operation failed, in a few words for a one-line message: "no space left on device", "read-only file
/// system", "permission denied", ... taken from the error number when the runtime gives one, else from the first line
/// of the exception's message without the path the runtime appends (the caller names the file itself).
/// </summary>
internal static class IoReason
{
    // Linux errno values the runtime stores in IOException.HResult on Unix.
    const int EACCES = 13, ENOSPC = 28, EROFS = 30, EDQUOT = 122, ENOTDIR = 20, EISDIR = 21, EEXIST = 17, ENOENT = 2, EFBIG = 27;

    public static string Of(Exception e)
    {
        if (e is UnauthorizedAccessException) return "permission denied";
        if (e is DirectoryNotFoundException) return "its folder does not exist";
        switch (e.HResult)
        {
            case ENOSPC: return "no space left on device (the disk is full)";
            case EROFS: return "read-only file system";
            case EACCES: return "permission denied";
            case EDQUOT: return "disk quota exceeded";
            case EFBIG: return "file too large for the file system";
            case ENOTDIR: return "a part of the path is a file, not a folder";
            case EISDIR: return "it is a folder";
            case EEXIST: return "something else already exists there";
            case ENOENT: return "its folder does not exist";
        }
        string m = e.Message.Split('\n')[0].Trim();
        int quote = m.LastIndexOf(" : '", StringComparison.Ordinal);
        if (quote > 0 && m.EndsWith('\'')) m = m[..quote];
        return m.TrimEnd('.');
    }
}
