using System.Buffers.Binary;
using System.IO.Compression;

namespace NetNumerics.Data;

/// <summary>
/// Decompresses a single-member gzip file and, once the data has been read to its end, checks the
/// member's trailer (RFC 1952: CRC-32 and ISIZE, the length mod 2^32, in the file's last 8 bytes)
/// against the bytes actually produced. GZipStream alone accepts a file whose trailer was cut off.
/// </summary>
sealed class GzipCheckedStream : Stream
{
    readonly FileStream _file;
    readonly GZipStream _gzip;
    readonly string _path;
    uint _crc;
    long _count;

    public GzipCheckedStream(FileStream file, string path)
    {
        _file = file;
        _path = path;
        _gzip = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true);
    }

    public override int Read(Span<byte> buffer)
    {
        int n = _gzip.Read(buffer);
        _crc = Crc32.Append(_crc, buffer[..n]);
        _count += n;
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <summary>Call after a read returned 0: compares CRC-32 and length with the file's trailer.</summary>
    public void VerifyTrailer()
    {
        long length = _file.Length;
        if (length < 18)   // 10-byte header + 8-byte trailer at the least
            throw DataError.Create(_path, $"gzip file is {length} bytes, shorter than a gzip header and trailer (18).");
        Span<byte> trailer = stackalloc byte[8];
        _file.Position = length - 8;
        _file.ReadExactly(trailer);
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        uint size = BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]);
        if (crc != _crc || size != (uint)_count)
            throw DataError.Create(_path,
                $"gzip trailer says CRC-32 0x{crc:X8} and length {size} (mod 2^32), but the data decompressed to {_count} bytes with CRC-32 0x{_crc:X8}: the file is truncated or corrupt (multi-member gzip files are not supported).");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) { _gzip.Dispose(); _file.Dispose(); }
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
