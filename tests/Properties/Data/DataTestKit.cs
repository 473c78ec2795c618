using NetNumerics.Data;
using System.Buffers.Binary;
using System.IO.Compression;
using Xunit;

namespace NetNumerics.Properties.Data;

/// <summary>A fresh temporary folder, deleted on dispose.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir() => Path = Directory.CreateTempSubdirectory("netnumerics-data-").FullName;
    public string Path { get; }
    int _next;
    /// <summary>A new unique file path in the folder (not created).</summary>
    public string NewFile(string suffix = "") => System.IO.Path.Combine(Path, $"f{Interlocked.Increment(ref _next)}{suffix}");
    public string Write(byte[] bytes, string suffix = "")
    {
        string p = NewFile(suffix);
        File.WriteAllBytes(p, bytes);
        return p;
    }
    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Writes IDX and CIFAR-10 files byte by byte from the format descriptions, independently of the readers.</summary>
public static class DataFiles
{
    public static byte[] IdxImages(int count, int rows, int cols, byte[] pixels) =>
        Idx(0x0803, [count, rows, cols], pixels);

    public static byte[] IdxLabels(byte[] labels) => Idx(0x0801, [labels.Length], labels);

    public static byte[] Idx(int magic, int[] dims, byte[] payload)
    {
        var bytes = new byte[4 + 4 * dims.Length + payload.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int d = 0; d < dims.Length; d++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * d), dims[d]);
        payload.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    /// <summary>CIFAR-10 binary: per record 1 label byte then 3072 pixel bytes (R, G, B planes of 32x32).</summary>
    public static byte[] Cifar(byte[] labels, byte[] pixels)
    {
        Assert.Equal(labels.Length * 3072, pixels.Length);
        var bytes = new byte[labels.Length * 3073];
        for (int r = 0; r < labels.Length; r++)
        {
            bytes[r * 3073] = labels[r];
            pixels.AsSpan(r * 3072, 3072).CopyTo(bytes.AsSpan(r * 3073 + 1));
        }
        return bytes;
    }

    public static byte[] Gzip(byte[] data)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
            gz.Write(data);
        return ms.ToArray();
    }

    public static byte[] Bytes(ulong seed, ulong stream, int length)
    {
        var b = new byte[length];
        for (int i = 0; i < length; i++) b[i] = (byte)CounterRng.Bits(seed, stream, (ulong)i);
        return b;
    }
}

/// <summary>
/// Runs a reader so that a hang or an unbounded allocation fails the test instead of the process:
/// the read runs on a pool thread and must finish within <see cref="Timeout"/>, and the bytes it
/// allocates on that thread (GC.GetAllocatedBytesForCurrentThread) are returned for the caller to bound.
/// </summary>
public static class Bounded
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public readonly record struct Outcome<T>(T? Value, Exception? Error, long AllocatedBytes);

    public static Outcome<T> Run<T>(Func<T> read)
    {
        var task = Task.Factory.StartNew(() =>
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                T v = read();
                return new Outcome<T>(v, null, GC.GetAllocatedBytesForCurrentThread() - before);
            }
            catch (Exception e)
            {
                return new Outcome<T>(default, e, GC.GetAllocatedBytesForCurrentThread() - before);
            }
        }, TaskCreationOptions.LongRunning);
        Assert.True(task.Wait(Timeout), $"the read did not finish within {Timeout.TotalSeconds} s");
        return task.Result;
    }

    /// <summary>The read failed with an InvalidDataException whose message names <paramref name="path"/>, within the allocation bound.</summary>
    public static void AssertRejected<T>(Outcome<T> o, string path, long maxAllocated)
    {
        Assert.True(o.Error is InvalidDataException,
            o.Error is null ? "the corrupted file was accepted" : $"expected InvalidDataException, got {o.Error}");
        Assert.Contains(path, o.Error!.Message);
        Assert.Equal(path, o.Error.Data[DataError.FilePathKey]);
        AssertAllocatedAtMost(o, maxAllocated);
    }

    public static T AssertAccepted<T>(Outcome<T> o, long maxAllocated)
    {
        Assert.True(o.Error is null, $"the valid file was rejected: {o.Error}");
        AssertAllocatedAtMost(o, maxAllocated);
        return o.Value!;
    }

    public static void AssertAllocatedAtMost<T>(Outcome<T> o, long maxAllocated) =>
        Assert.True(o.AllocatedBytes <= maxAllocated, $"the read allocated {o.AllocatedBytes} bytes, more than the bound {maxAllocated}");

    /// <summary>
    /// Bound on what reading a file of <paramref name="dataBytes"/> (uncompressed) bytes may allocate:
    /// the byte payload (at most twice, while a gzip buffer doubles), 4 bytes per float or int
    /// element, plus 1 MiB for buffers, header and exception text. 8 bytes per data byte covers it.
    /// </summary>
    public static long Limit(long dataBytes) => 8 * dataBytes + (1 << 20);
}
