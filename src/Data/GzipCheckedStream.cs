using System.Buffers.Binary;
using System.IO.Compression;

namespace NetNumerics.Data;

/// <summary>
/// Decompresses a single-member gzip file (RFC 1952) and checks it ourselves, so every failure says what is wrong:
/// the header is parsed here (magic, method 8 = deflate, flags; optional extra, name, comment and header CRC are
/// skipped), the body is raw deflate (<see cref="DeflateStream"/>), and once the data has been read to its end the
/// trailer (CRC-32 and ISIZE, the length mod 2^32, in the file's last 8 bytes) is compared with the bytes actually
/// produced. (GZipStream alone reports a wrong CRC or length as "unsupported compression method", and accepts a file
/// whose trailer was cut off.) Before any payload is decompressed, <see cref="CheckDeclaredLength"/> compares the
/// length a reader's header declares with the trailer's ISIZE and with the most deflate can expand the file's bytes
/// to, so a truncated file or a lying header is refused without decompressing it.
/// </summary>
sealed class GzipCheckedStream : Stream
{
    /// <summary>Deflate's largest expansion: a 258-byte match costs at least 2 bits, about 1032:1.</summary>
    const long MaxDeflateRatio = 1032;

    const byte FlagHeaderCrc = 2, FlagExtra = 4, FlagName = 8, FlagComment = 16, ReservedFlags = 0xE0;

    readonly FileStream _file;
    readonly DeflateStream _deflate;
    readonly string _path;
    readonly uint _trailerCrc, _trailerSize;
    uint _crc;
    long _count;

    public GzipCheckedStream(FileStream file, string path)
    {
        _file = file;
        _path = path;
        long length = file.Length;
        if (length < 18)   // 10-byte header + 8-byte trailer at the least
            throw DataError.Create(path, $"gzip file is {length} bytes, shorter than a gzip header and trailer (18).");
        Span<byte> trailer = stackalloc byte[8];
        file.Position = length - 8;
        file.ReadExactly(trailer);
        _trailerCrc = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        _trailerSize = BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]);
        file.Position = 0;
        SkipHeader(file, path);
        CompressedBytes = length;
        _deflate = new DeflateStream(file, CompressionMode.Decompress, leaveOpen: true);
    }

    /// <summary>The size of the gzip file on disk.</summary>
    public long CompressedBytes { get; }

    static void SkipHeader(FileStream file, string path)
    {
        int Byte()
        {
            int b = file.ReadByte();
            if (b < 0) throw DataError.Create(path, "gzip header is truncated.");
            return b;
        }
        Span<byte> h = stackalloc byte[10];
        for (int i = 0; i < h.Length; i++) h[i] = (byte)Byte();
        if (h[0] != 0x1f || h[1] != 0x8b) throw DataError.Create(path, "not a gzip file (its first bytes are not 1f 8b).");
        if (h[2] != 8) throw DataError.Create(path, $"gzip compression method is {h[2]}, expected 8 (deflate).");
        byte flags = h[3];
        if ((flags & ReservedFlags) != 0) throw DataError.Create(path, $"gzip header flags 0x{flags:X2} set reserved bits; the header is corrupt.");
        if ((flags & FlagExtra) != 0)
        {
            int xlen = Byte() | (Byte() << 8);
            for (int i = 0; i < xlen; i++) Byte();
        }
        if ((flags & FlagName) != 0) while (Byte() != 0) { }
        if ((flags & FlagComment) != 0) while (Byte() != 0) { }
        if ((flags & FlagHeaderCrc) != 0) { Byte(); Byte(); }
    }

    /// <summary>
    /// Refuses, before decompressing the payload, a file whose reader header declares <paramref name="totalBytes"/> of
    /// decompressed data (header included) when the gzip trailer's ISIZE says otherwise or when deflate could not
    /// expand the file to that much.
    /// </summary>
    public void CheckDeclaredLength(long totalBytes, string what)
    {
        long most = MaxDeflateRatio * CompressedBytes + 1024;
        if (totalBytes > most)
            throw DataError.Create(_path,
                $"header declares {totalBytes} bytes of {what}, but a {CompressedBytes}-byte gzip file decompresses to at most {most}: the header is corrupt or the file truncated.");
        if ((uint)totalBytes != _trailerSize)
            throw DataError.Create(_path,
                $"header declares {totalBytes} bytes of {what}, but the gzip trailer says the file decompresses to {_trailerSize} bytes (mod 2^32): " +
                ((uint)totalBytes < _trailerSize ? "more data follows them." : "the file is truncated or corrupt."));
    }

    public override int Read(Span<byte> buffer)
    {
        int n;
        try { n = _deflate.Read(buffer); }
        catch (InvalidDataException e)
        {
            throw DataError.Create(_path, $"corrupt gzip data: the deflate stream is damaged after {_count} decompressed bytes.", e);
        }
        _crc = Crc32.Append(_crc, buffer[..n]);
        _count += n;
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <summary>Call after a read returned 0: compares CRC-32 and length with the file's trailer.</summary>
    public void VerifyTrailer()
    {
        if ((uint)_count != _trailerSize)
            throw DataError.Create(_path,
                $"gzip trailer says the data is {_trailerSize} bytes (mod 2^32), but it decompressed to {_count}: the file is truncated or corrupt (multi-member gzip files are not supported).");
        if (_crc != _trailerCrc)
            throw DataError.Create(_path,
                $"gzip trailer says CRC-32 0x{_trailerCrc:X8}, but the {_count} decompressed bytes have CRC-32 0x{_crc:X8}: the file is corrupt.");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) { _deflate.Dispose(); _file.Dispose(); }
        base.Dispose(disposing);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _count; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
