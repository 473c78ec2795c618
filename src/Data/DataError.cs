namespace NetNumerics.Data;

/// <summary>
/// Builds the exception every data reader throws for a malformed file (IDX, CIFAR-10 binary, a
/// fetched package): an <see cref="InvalidDataException"/> (sealed, so not subclassed) whose message
/// starts with the file's path and says what was expected and what was found. The path is also
/// stored under <see cref="FilePathKey"/> in <see cref="Exception.Data"/>.
/// </summary>
public static class DataError
{
    /// <summary>The <see cref="Exception.Data"/> key under which the offending file's path is stored.</summary>
    public const string FilePathKey = "FilePath";

    /// <summary>The exception for a malformed file: message "PATH: PROBLEM", path stored under <see cref="FilePathKey"/>.</summary>
    /// <param name="filePath">The file at fault.</param>
    /// <param name="problem">What was expected and what was found.</param>
    /// <param name="inner">The exception that revealed it (a decompression error, say), or null.</param>
    public static InvalidDataException Create(string filePath, string problem, Exception? inner = null)
    {
        var e = new InvalidDataException($"{filePath}: {problem}", inner);
        e.Data[FilePathKey] = filePath;
        return e;
    }
}
