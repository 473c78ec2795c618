namespace NetNumerics.Data;

/// <summary>
/// CRC-32 as gzip uses it (RFC 1952 section 8: ISO 3309 / ITU-T V.42 polynomial, reflected
/// 0xEDB88320, initial and final XOR 0xFFFFFFFF), one table lookup per byte.
/// </summary>
static class Crc32
{
    static readonly uint[] Table = MakeTable();

    static uint[] MakeTable()
    {
        var t = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }

    /// <summary>Continues a running CRC (start from 0) over <paramref name="data"/>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        uint c = ~crc;
        foreach (byte b in data)
            c = Table[(c ^ b) & 0xff] ^ (c >> 8);
        return ~c;
    }
}
