namespace NetNumerics.Data;

/// <summary>
/// Builds the exception every data reader throws for a malformed file (IDX, CIFAR-10 binary, a
/// fetched package): an <see cref="InvalidDataException"/> (sealed, so not subclassed) whose message
/// starts with the file's path and says what was expected and what was found. The path is also
/// stored under <see cref="FilePathKey"/> in <see cref="Exception.Data"/>.
/// </summary>
public static class DataError
{
    public const string FilePathKey = "FilePath";

    public static InvalidDataException Create(string filePath, string problem, Exception? inner = null)
    {
        var e = new InvalidDataException($"{filePath}: {problem}", inner);
        e.Data[FilePathKey] = filePath;
        return e;
    }
}
