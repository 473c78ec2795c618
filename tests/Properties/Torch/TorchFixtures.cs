using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json;

namespace NetNumerics.Properties.Torch;

/// <summary>
/// The torch 1.13 recordings in Fixtures/Torch (made by scripts/torch-fixtures/make.py; format in its README): every
/// float is its IEEE bit pattern in hex, most significant digit first, and an array is the concatenation of its elements.
/// </summary>
static class TorchFixtures
{
    public static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Torch", file);

    public static JsonDocument Load(string file)
    {
        using var gz = new GZipStream(File.OpenRead(PathOf(file)), CompressionMode.Decompress);
        return JsonDocument.Parse(gz);
    }

    /// <summary>The bit patterns of a hex array: 8 digits per float32, 16 per float64.</summary>
    public static ulong[] Bits(string hex, bool float32)
    {
        int w = float32 ? 8 : 16;
        var bits = new ulong[hex.Length / w];
        byte[] bytes = Convert.FromHexString(hex);
        for (int i = 0; i < bits.Length; i++)
            bits[i] = float32 ? BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(4 * i)) : BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(8 * i));
        return bits;
    }

    public static float[] Floats(string hex) => Bits(hex, true).Select(b => BitConverter.UInt32BitsToSingle((uint)b)).ToArray();

    public static double[] Doubles(string hex) => Bits(hex, false).Select(BitConverter.UInt64BitsToDouble).ToArray();

    /// <summary>The double a 16-digit hex pattern stands for.</summary>
    public static double Double(string hex) => Doubles(hex)[0];
}
