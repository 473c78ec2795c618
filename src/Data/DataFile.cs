using System.Buffers;
using NetNumerics.IO;

namespace NetNumerics.Data;

/// <summary>
/// Opens a data file that may be gzip-compressed (detected by the gzip magic bytes 1f 8b, not by
/// the name; the gzip trailer's CRC-32 and length are verified) and reads from it with every read bounded: nothing here allocates more than the bytes
/// the file really yields, capped by a caller's limit. Only regular files are opened (a FIFO or a device is refused
/// before it is opened, see <see cref="RegularFile"/>), and a payload is streamed in 64 KiB blocks, so a caller that
/// keeps only the first items of a file holds only those in memory.
/// </summary>
static class DataFile
{
    const int BlockBytes = 1 << 16;

    /// <summary>Receives one block of payload bytes starting at <paramref name="offset"/> within the payload.</summary>
    public delegate void BlockSink(long offset, ReadOnlySpan<byte> block);

    /// <summary>Opens <paramref name="path"/>; <c>Length</c> is the file length if raw, null if gzip.</summary>
    public static (Stream Stream, long? Length) Open(string path)
    {
        string? problem = RegularFile.Problem(path, "data file", out _, out bool missing);
        if (problem is not null)
        {
            if (missing) throw new FileNotFoundException($"{path}: {problem}", path);
            throw DataError.Create(path, problem);
        }
        FileStream file;
        try { file = RegularFile.OpenRead(path, "data file", out _); }
        catch (IOException e) when (e is not FileNotFoundException) { throw DataError.Create(path, e.Message, e); }
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
    /// Checks, before any payload is read, that a gzip file can hold the <paramref name="totalBytes"/> (header included)
    /// its reader's header declares (see <see cref="GzipCheckedStream.CheckDeclaredLength"/>); nothing for a raw file,
    /// whose length the caller compares exactly.
    /// </summary>
    public static void CheckDeclared(Stream stream, long totalBytes, string what) =>
        (stream as GzipCheckedStream)?.CheckDeclaredLength(totalBytes, what);

    /// <summary>
    /// Streams a payload of exactly <paramref name="length"/> bytes to <paramref name="sink"/> in blocks and checks the
    /// data ends there (and, for gzip, the trailer). With <paramref name="readAll"/> false a raw file is read only up to
    /// <paramref name="keep"/> bytes (its length is already checked against the header); gzip data is always
    /// decompressed to its end (to verify CRC-32 and length) but only the blocks the sink asks for are kept by it.
    /// Memory: one 64 KiB block, whatever the length.
    /// </summary>
    public static void ReadPayload(Stream stream, long length, long keep, bool readAll, string path, string what, BlockSink sink)
    {
        bool gzip = stream is GzipCheckedStream;
        long stopAt = gzip || readAll ? length : Math.Min(keep, length);
        byte[] block = ArrayPool<byte>.Shared.Rent(BlockBytes);
        try
        {
            long done = 0;
            while (done < stopAt)
            {
                int want = (int)Math.Min(BlockBytes, stopAt - done);
                int n = ReadUpTo(stream, block.AsSpan(0, want), path);
                if (n == 0) break;
                sink(done, block.AsSpan(0, n));
                done += n;
                if (n < want) break;
            }
            if (done < stopAt)
                throw DataError.Create(path, $"header declares {length} bytes of {what}, but the data ends after {done} of them (truncated).");
            if (stopAt < length) return;   // raw, read as far as needed; its exact length was checked
            if (ReadUpTo(stream, block.AsSpan(0, 1), path) != 0)
                throw DataError.Create(path, $"header declares {length} bytes of {what}, but more data follows them.");
            (stream as GzipCheckedStream)?.VerifyTrailer();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(block);
        }
    }

    /// <summary>
    /// Reads exactly <paramref name="length"/> bytes and checks the data ends there. The length has been checked
    /// beforehand (against the file length if raw, against the gzip trailer and deflate's largest expansion if gzip),
    /// so the array is allocated at once.
    /// </summary>
    public static byte[] ReadExactlyToEnd(Stream stream, long length, bool knownLength, string path, string what)
    {
        if (length > Array.MaxLength)
            throw DataError.Create(path, $"header declares {length} bytes of {what}, more than an array can hold ({Array.MaxLength}).");
        byte[] data = new byte[length];
        ReadPayload(stream, length, length, readAll: true, path, what, (at, b) => b.CopyTo(data.AsSpan((int)at)));
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
