namespace NetNumerics.Data;

/// <summary>
/// Opens a data file that may be gzip-compressed (detected by the gzip magic bytes 1f 8b, not by
/// the name; the gzip trailer's CRC-32 and length are verified) and reads from it with every read bounded: nothing here allocates more than the bytes
/// the file really yields, capped by a caller's limit.
/// </summary>
static class DataFile
{
    /// <summary>Opens <paramref name="path"/>; <c>Length</c> is the file length if raw, null if gzip.</summary>
    public static (Stream Stream, long? Length) Open(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 4096);
        try
        {
            Span<byte> magic = stackalloc byte[2];
            int n = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
            file.Position = 0;
            if (n == 2 && magic[0] == 0x1f && magic[1] == 0x8b)
                return (new GzipCheckedStream(file, path), null);
            return (file, file.Length);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads up to <paramref name="buffer"/>.Length bytes; returns how many were read (fewer only at
    /// end of data). Corrupt gzip data becomes an <see cref="InvalidDataException"/> naming the file.
    /// </summary>
    public static int ReadUpTo(Stream stream, Span<byte> buffer, string path)
    {
        try
        {
            return stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e) when (e.Data[DataError.FilePathKey] is null)
        {
            throw DataError.Create(path, $"corrupt gzip data ({e.Message})", e);
        }
    }

    /// <summary>
    /// Reads exactly <paramref name="length"/> bytes and checks the data ends there. For a raw file
    /// the caller has already compared the length with the file length, so the array is allocated
    /// at once; for gzip the array grows (doubling, capped at <paramref name="length"/>) only as
    /// decompressed bytes arrive, so a truncated stream that declares a large size costs at most
    /// twice what it really holds.
    /// </summary>
    public static byte[] ReadExactlyToEnd(Stream stream, long length, bool knownLength, string path, string what)
    {
        if (length > Array.MaxLength)
            throw DataError.Create(path, $"header declares {length} bytes of {what}, more than an array can hold ({Array.MaxLength}).");
        int total = (int)length;
        byte[] data = knownLength ? new byte[total] : new byte[Math.Min(total, 1 << 16)];
        int filled = 0;
        while (true)
        {
            int n = ReadUpTo(stream, data.AsSpan(filled), path);
            filled += n;
            if (filled < data.Length) break;                 // end of data before the buffer filled
            if (filled == total) break;
            Array.Resize(ref data, (int)Math.Min(total, 2L * data.Length));
        }
        if (filled < total)
            throw DataError.Create(path, $"header declares {total} bytes of {what}, but the data ends after {filled} of them (truncated).");
        Span<byte> probe = stackalloc byte[1];
        if (ReadUpTo(stream, probe, path) != 0)
            throw DataError.Create(path, $"header declares {total} bytes of {what}, but more data follows them.");
        (stream as GzipCheckedStream)?.VerifyTrailer();
        return data;
    }

    /// <summary>
    /// Reads the whole data, which must not exceed <paramref name="maxBytes"/>. A raw file's length
    /// is checked before allocating; gzip data is read in doubling chunks and stops one byte past
    /// the limit, so memory follows the bytes really decompressed.
    /// </summary>
    public static byte[] ReadToEnd(Stream stream, long? length, long maxBytes, string path, string what)
    {
        long cap = Math.Min(maxBytes, Array.MaxLength);
        if (length is long known)
        {
            if (known > cap)
                throw DataError.Create(path, $"file is {known} bytes of {what}, more than the limit of {cap} bytes.");
            return ReadExactlyToEnd(stream, known, knownLength: true, path, what);
        }
        byte[] data = new byte[(int)Math.Min(cap + 1, 1 << 16)];
        int filled = 0;
        while (true)
        {
            filled += ReadUpTo(stream, data.AsSpan(filled), path);
            if (filled < data.Length) break;
            if (filled > cap)
                throw DataError.Create(path, $"decompresses to more than the limit of {cap} bytes of {what}.");
            Array.Resize(ref data, (int)Math.Min(cap + 1, 2L * data.Length));
        }
        Array.Resize(ref data, filled);
        (stream as GzipCheckedStream)?.VerifyTrailer();
        return data;
    }
}
