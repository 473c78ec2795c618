using NetNumerics.Data;
using System.Buffers.Binary;

namespace NetNumerics.Properties.Cli;

/// <summary>Writes small IDX datasets (the MNIST file format) for the CLI tests.</summary>
static class IdxTestData
{
    /// <summary>One IDX file of unsigned bytes: labels (perItem 1, rank 1) or images (rank 3, rows x cols = dims).</summary>
    public static void WriteIdx(string path, byte[]? dims, int count, Func<int, int, byte> value, int perItem)
    {
        var header = new List<byte> { 0, 0, 0x08, (byte)(perItem == 1 ? 1 : 3) };
        void I32(int v) { var b = new byte[4]; BinaryPrimitives.WriteInt32BigEndian(b, v); header.AddRange(b); }
        I32(count);
        if (perItem > 1) { I32(dims![0]); I32(dims[1]); }
        var body = new byte[count * perItem];
        for (int i = 0; i < count; i++) for (int j = 0; j < perItem; j++) body[i * perItem + j] = value(i, j);
        File.WriteAllBytes(path, [.. header, .. body]);
    }

    /// <summary>
    /// Label of sample i of set 0 (train) or 1 (test) in the MNIST-shaped data: one of 10 classes, a pure function of
    /// (seed, set, i).
    /// </summary>
    public static int MnistShapedLabel(ulong seed, int set, int i) => (int)(CounterRng.Bits(seed, (ulong)set, (ulong)i) % 10);

    /// <summary>
    /// Pixel j (row-major 28x28) of sample i: class c lights a 7x7 block at cell (c / 4, c % 4) of a 4x4 grid of 7x7
    /// cells (so the classes are separable but only through spatial structure), on uniform noise in [0, 120).
    /// </summary>
    public static byte MnistShapedPixel(ulong seed, int set, int i, int j)
    {
        int c = MnistShapedLabel(seed, set, i), row = j / 28, col = j % 28;
        bool lit = row / 7 == c / 4 && col / 7 == c % 4;
        return (byte)((lit ? 120 : 0) + (int)(CounterRng.Bits(seed + 1, (ulong)set, (ulong)(i * 784 + j)) % 120));
    }

    /// <summary>The MNIST-shaped set as a Dataset (1x28x28 floats = byte / 255, 10 classes), as MnistFolder.Load reads it.</summary>
    public static Dataset MnistShaped(int count, ulong seed = 11, int set = 0)
    {
        var images = new float[count * 784];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = MnistShapedLabel(seed, set, i);
            for (int j = 0; j < 784; j++) images[i * 784 + j] = MnistShapedPixel(seed, set, i, j) / 255f;
        }
        return new Dataset(images, labels, 1, 28, 28, 10);
    }

    /// <summary>Writes the four MNIST file names with <paramref name="train"/> and <paramref name="test"/> MNIST-shaped samples.</summary>
    public static string WriteMnistShaped(string dir, int train, int test, ulong seed = 11)
    {
        Directory.CreateDirectory(dir);
        WriteIdx(Path.Combine(dir, MnistFolder.TrainImages), [28, 28], train, (i, j) => MnistShapedPixel(seed, 0, i, j), 784);
        WriteIdx(Path.Combine(dir, MnistFolder.TrainLabels), null, train, (i, _) => (byte)MnistShapedLabel(seed, 0, i), 1);
        WriteIdx(Path.Combine(dir, MnistFolder.TestImages), [28, 28], test, (i, j) => MnistShapedPixel(seed, 1, i, j), 784);
        WriteIdx(Path.Combine(dir, MnistFolder.TestLabels), null, test, (i, _) => (byte)MnistShapedLabel(seed, 1, i), 1);
        return dir;
    }
}
