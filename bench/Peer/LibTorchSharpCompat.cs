using System.Buffers.Binary;
using System.Text;

namespace NetNumerics.Bench.Peer;

/// <summary>
/// Makes TorchSharp 0.107.0's native shim load on Debian 12. libLibTorchSharp.so was built with GCC 13, whose
/// &lt;iostream&gt; plants an undefined reference to <c>std::ios_base_library_init()@GLIBCXX_3.4.32</c> purely to pin the
/// libstdc++ version (the symbol is never called: no relocation uses it). Debian 12's libstdc++ stops at GLIBCXX_3.4.30,
/// so the loader refuses the file. libtorch itself needs nothing newer. We mark that one version requirement WEAK
/// (VER_FLG_WEAK in the .gnu.version_r entry), which glibc's loader accepts when the version is missing; nothing else
/// in the file changes. Only the copy in the build output is patched, never the NuGet cache. Idempotent.
/// </summary>
static class LibTorchSharpCompat
{
    const string Library = "libLibTorchSharp.so";
    const string Version = "GLIBCXX_3.4.32";
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    /// <summary>Patch every libLibTorchSharp.so next to TorchSharp.dll; call before the first torch call.</summary>
    public static void EnsureLoadable()
    {
        if (!OperatingSystem.IsLinux()) return;
        var dir = Path.GetDirectoryName(typeof(TorchSharp.torch).Assembly.Location) ?? AppContext.BaseDirectory;
        foreach (var path in new[] { Path.Combine(dir, Library), Path.Combine(dir, "runtimes", "linux-x64", "native", Library) })
            if (File.Exists(path)) MarkVersionWeak(path);
    }

    static void MarkVersionWeak(string path)
    {
        var b = File.ReadAllBytes(path);
        if (b.Length < 64 || b[0] != 0x7f || b[1] != (byte)'E' || b[4] != 2 || b[5] != 1) return; // ELF64 little-endian only
        ulong shoff = U64(b, 0x28);
        int shentsize = U16(b, 0x3A), shnum = U16(b, 0x3C);
        for (int i = 0; i < shnum; i++)
        {
            int sh = checked((int)shoff + i * shentsize);
            if (U32(b, sh + 4) != ShtGnuVerneed) continue;
            int off = checked((int)U64(b, sh + 0x18)), count = (int)U32(b, sh + 0x2C);
            int strSection = checked((int)shoff + (int)U32(b, sh + 0x28) * shentsize);
            int strOff = checked((int)U64(b, strSection + 0x18));
            for (int n = 0; n < count; n++)
            {
                int auxCount = U16(b, off + 2), aux = off + (int)U32(b, off + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    ushort flags = U16(b, aux + 4);
                    if (Name(b, strOff + (int)U32(b, aux + 8)) == Version && (flags & VerFlgWeak) == 0)
                    {
                        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(aux + 4), (ushort)(flags | VerFlgWeak));
                        File.WriteAllBytes(path, b);
                        Console.WriteLine($"// {path}: marked the {Version} requirement weak (Debian 12 libstdc++ has GLIBCXX_3.4.30).");
                        return;
                    }
                    aux += (int)U32(b, aux + 12);
                }
                off += (int)U32(b, off + 12);
            }
        }
    }

    static ushort U16(byte[] b, int at) => BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(at));
    static uint U32(byte[] b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at));
    static ulong U64(byte[] b, int at) => BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(at));
    static string Name(byte[] b, int at) => Encoding.ASCII.GetString(b, at, Array.IndexOf(b, (byte)0, at) - at);
}
