using NetNumerics.Optimizers;
using NetNumerics.Nn;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace NetNumerics.Training.Checkpoints;

/// <summary>
/// Reads and writes <see cref="TrainingCheckpoint"/> files (format: CHECKPOINT.md next to this file).
/// A 56-byte header (magic, version, body length, SHA-256 of the body) then the body, little-endian.
/// Writing is atomic (temporary file, flush to disk, rename). Reading rejects, with a <see cref="CheckpointFormatException"/>
/// naming the file, anything that is not a complete, intact checkpoint of a version it knows: every
/// length is checked against the bytes that remain before anything is allocated, then the content is checked for
/// consistency (<see cref="TrainingCheckpoint.Validate"/>). No wall-clock time is written (the history's seconds are
/// stored as 0), so two identical runs write byte-identical files and a hash can compare runs.
/// </summary>
public static class CheckpointFile
{
    /// <summary>File signature: 0x89 "NNCKPT" 0x0A (a non-ASCII first byte and a line feed catch text-mode transfers).</summary>
    public static ReadOnlySpan<byte> Magic => [0x89, (byte)'N', (byte)'N', (byte)'C', (byte)'K', (byte)'P', (byte)'T', 0x0A];

    /// <summary>The format version this library writes; it reads every version from 1 to this one and refuses newer files.
    /// Version 2 stores each optimizer state as one <see cref="OptimizerStateFormat"/> blob (the format
    /// <c>OptimizerStateFormat.Save</c> writes on its own); version 1 had its own inline layout, still read.</summary>
    public const int Version = 2;
    /// <summary>Bytes before the body: magic 8, version 4, flags 4, body length 8, SHA-256 of the body 32.</summary>
    public const int HeaderLength = 56;   // magic 8 + version 4 + flags 4 + body length 8 + SHA-256 32

    /// <summary>Writes <paramref name="checkpoint"/> to <paramref name="path"/> atomically: a temporary file in the same folder, flushed to disk, then renamed over the old file, so a crash leaves either the old or the new checkpoint whole.</summary>
    /// <param name="path">The file; its folder must exist.</param>
    /// <param name="checkpoint">What to save.</param>
    public static void Write(string path, TrainingCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        // Streamed: the body goes to the file through a 64 KiB buffer while it is hashed, then the header is written over the
        // placeholder at the start; no buffer the size of the file (several per write) is made.
        AtomicFile.Write(path, s =>
        {
            Span<byte> header = stackalloc byte[HeaderLength];
            header.Clear();
            s.Write(header);
            var (length, hash) = WriteBody(checkpoint, Version, s);
            Header(header, Version, length, hash);
            s.Position = 0;
            s.Write(header);
        });
    }

    /// <summary>
    /// Reads and checks a checkpoint file: a regular file only (a FIFO, a device or a symbolic-link loop is refused
    /// before it is opened), read up to its size and never more, then <see cref="FromBytes"/> (bytes, then content).
    /// </summary>
    /// <param name="path">The file.</param>
    /// <exception cref="FileNotFoundException">Nothing is there (or a symbolic link points nowhere).</exception>
    /// <exception cref="CheckpointFormatException">The file is not a regular file, is truncated, corrupt (checksum), of another version, inconsistent, or not a checkpoint; the message names the file.</exception>
    public static TrainingCheckpoint Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes;
        try { bytes = NetNumerics.IO.RegularFile.ReadAllBytes(path, "checkpoint", MaxFileBytes); }
        catch (FileNotFoundException) { throw; }
        catch (IOException e) { throw new CheckpointFormatException(e.Message); }
        catch (UnauthorizedAccessException) { throw new CheckpointFormatException($"{path}: the checkpoint cannot be read: permission denied."); }
        return FromBytes(bytes, path);
    }

    /// <summary>The largest checkpoint file <see cref="Read"/> accepts (2 GiB: the seed CNN's is 5.2 MB).</summary>
    public const long MaxFileBytes = int.MaxValue;

    // ---- encoding -------------------------------------------------------------------------------

    /// <summary>The file's bytes: header, then the little-endian body laid out in CHECKPOINT.md.</summary>
    /// <param name="c">What to encode.</param>
    public static byte[] ToBytes(TrainingCheckpoint c) => ToBytes(c, Version);

    /// <summary>The bytes in format <paramref name="version"/> (1 or 2): tests write version 1 to prove old files still load.</summary>
    internal static byte[] ToBytes(TrainingCheckpoint c, int version)
    {
        var file = new MemoryStream();
        file.Write(new byte[HeaderLength]);
        var (length, hash) = WriteBody(c, version, file);
        byte[] bytes = file.ToArray();
        Header(bytes, version, length, hash);
        return bytes;
    }

    /// <summary>Magic, version, flags (0), the body's length and its SHA-256.</summary>
    static void Header(Span<byte> header, int version, long bodyLength, byte[] hash)
    {
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], version);
        BinaryPrimitives.WriteInt32LittleEndian(header[12..], 0);
        BinaryPrimitives.WriteInt64LittleEndian(header[16..], bodyLength);
        hash.CopyTo(header[24..HeaderLength]);
    }

    /// <summary>Writes the body in format <paramref name="version"/> to <paramref name="output"/> at its position; returns its
    /// length and SHA-256.</summary>
    static (long Length, byte[] Hash) WriteBody(TrainingCheckpoint c, int version, Stream output)
    {
        if (version is < 1 or > Version) throw new ArgumentOutOfRangeException(nameof(version), version, $"the formats are 1 to {Version}.");
        if (version == 1 && c.OptimizerStates.Any(st => st.ScalarNames.Count > 0))
            throw new ArgumentException("format 1 has no place for optimizer-state scalars (Schedule-Free's lr_max, weight_sum); write format 2.", nameof(version));
        if (version == 1 && c.OptimizerStates.Any(st => !st.IsPlain))
            throw new ArgumentException("format 1 has no place for optimizer-state shapes and slot lengths (Adafactor, Muon); write format 2.", nameof(version));
        using var body = new BodyWriter(output);
        // run settings
        body.U64(c.Seed); body.I32(c.BatchSize); body.F64(c.ValidationSplit); body.I32(c.TrainCount);
        body.I32((int)c.Granularity); body.U8(c.Shuffle ? (byte)1 : (byte)0);
        // position
        body.I32(c.Epoch); body.I32(c.Batch); body.I64(c.Iteration);
        body.F64(c.LearningRateMultiplier); body.F64(c.LearningRate);
        body.F64(c.Running.LossSum); body.I32(c.Running.Correct); body.I32(c.Running.Count);
        body.U8(c.Stopped ? (byte)1 : (byte)0); body.OptString(c.StopReason);
        // metadata
        body.I32(c.Metadata.Count);
        foreach (var (k, v) in c.Metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal)) { body.Str(k); body.Str(v); }
        // model
        body.I32(c.Parameters.Count);
        foreach (var p in c.Parameters)
        {
            body.Str(p.Name);
            body.I32(p.Shape.Length);
            foreach (int d in p.Shape) body.I32(d);
            body.Floats(p.Values);
        }
        // optimizer
        body.Str(c.OptimizerName);
        body.I32(c.OptimizerStates.Count);
        foreach (var s in c.OptimizerStates)
        {
            if (version >= 2)
            {
                // one OptimizerStateFormat blob, byte for byte what OptimizerStateFormat.Save writes for the state alone, written
                // through: its length (SizeOf, exact) first, as Bytes would
                long size = OptimizerStateFormat.SizeOf(s);
                body.I32(checked((int)size));
                long start = body.Written;
                OptimizerStateFormat.Save(s, body.AsStream());
                if (body.Written - start != size)
                    throw new InvalidOperationException($"OptimizerStateFormat.Save wrote {body.Written - start} bytes where SizeOf said {size}.");
                continue;
            }
            body.Str(s.Optimizer); body.I32(s.Length); body.I64(s.Step); body.I32(s.SlotNames.Count);
            for (int i = 0; i < s.SlotNames.Count; i++) { body.Str(s.SlotNames[i]); body.FloatsRaw(s.SlotAt(i).Span); }
        }
        // history
        body.I32(c.History.Count);
        foreach (var h in c.History)
        {
            body.I32(h.Epoch); body.F64(h.Loss); body.F64(h.Accuracy);
            body.OptF64(h.ValLoss); body.OptF64(h.ValAccuracy); body.F64(h.LearningRate);
            body.F64(0);   // seconds: wall-clock time is not saved, so identical runs write identical bytes
        }
        // callbacks
        body.I32(c.CallbackStates.Count);
        foreach (var (key, st) in c.CallbackStates)
        {
            body.Str(key);
            body.I32(st.Scalars.Count);
            foreach (var (k, v) in st.Scalars.OrderBy(kv => kv.Key, StringComparer.Ordinal)) { body.Str(k); body.F64(v); }
            body.I32(st.Tensors.Count);
            foreach (var (k, v) in st.Tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal)) { body.Str(k); body.Floats(v); }
        }

        return body.Finish();
    }

    // ---- decoding -------------------------------------------------------------------------------

    /// <summary>Decodes the bytes of a checkpoint file, checking magic, version, length and checksum first and every length against the bytes that remain before allocating.</summary>
    /// <param name="file">The whole file.</param>
    /// <param name="source">What the error messages call it (the path).</param>
    /// <exception cref="CheckpointFormatException">Anything is wrong; nothing is half-loaded.</exception>
    public static TrainingCheckpoint FromBytes(ReadOnlySpan<byte> file, string source = "checkpoint")
    {
        CheckpointFormatException Bad(string what) => new($"{source}: {what}");
        if (file.Length < Magic.Length || !file[..Magic.Length].SequenceEqual(Magic))
            throw Bad(file.Length < Magic.Length
                ? $"truncated: {file.Length} bytes, shorter than the {HeaderLength}-byte header."
                : "not a NetNumerics checkpoint (bad magic bytes).");
        if (file.Length < HeaderLength)
            throw Bad($"truncated: {file.Length} bytes, shorter than the {HeaderLength}-byte header.");
        int version = BinaryPrimitives.ReadInt32LittleEndian(file[8..]);
        if (version > Version)
            throw Bad($"written by format version {version}, newer than the version {Version} this build reads; upgrade to load it.");
        if (version < 1) throw Bad($"format version {version} is not valid.");
        int flags = BinaryPrimitives.ReadInt32LittleEndian(file[12..]);
        if (flags != 0) throw Bad($"header flags are {flags}; version {version} defines none.");
        long bodyLength = BinaryPrimitives.ReadInt64LittleEndian(file[16..]);
        long actual = file.Length - HeaderLength;
        if (bodyLength != actual)
            throw Bad(bodyLength > actual
                ? $"truncated: the header announces a {bodyLength}-byte body but only {actual} bytes follow."
                : $"corrupt: the header announces a {bodyLength}-byte body but {actual} bytes follow.");
        var body = file[HeaderLength..];
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(body, hash);
        if (!hash.SequenceEqual(file.Slice(24, 32)))
            throw Bad("corrupt: the SHA-256 of the body does not match the header.");
        try
        {
            var checkpoint = Parse(new BodyReader(body), version);
            checkpoint.Validate();
            return checkpoint;
        }
        catch (CheckpointFormatException e)
        {
            throw Bad(e.Message);
        }
    }

    static TrainingCheckpoint Parse(BodyReader r, int version)
    {
        ulong seed = r.U64(); int batchSize = r.I32(); double split = r.F64(); int trainCount = r.I32();
        int gran = r.I32(); bool shuffle = r.Bool();
        if (!Enum.IsDefined((ScheduleGranularity)gran)) throw new CheckpointFormatException($"unknown schedule granularity {gran}.");
        int epoch = r.I32(); int batch = r.I32(); long iteration = r.I64();
        double mult = r.F64(); double lr = r.F64();
        var running = new BatchResult(r.F64(), r.I32(), r.I32());
        bool stopped = r.Bool(); string? reason = r.OptString();
        if (epoch < 0 || batch < 0 || iteration < 0 || batchSize <= 0 || trainCount < 0)
            throw new CheckpointFormatException($"negative position or size (epoch {epoch}, batch {batch}, iteration {iteration}, batch size {batchSize}).");

        int nMeta = r.Count(8);
        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < nMeta; i++) meta[r.Str()] = r.Str();

        int nParams = r.Count(12);
        var ps = new ParameterSnapshot[nParams];
        for (int i = 0; i < nParams; i++)
        {
            string name = r.Str();
            int rank = r.Count(4);
            var shape = new int[rank];
            long product = 1;
            for (int d = 0; d < rank; d++)
            {
                shape[d] = r.I32();
                if (shape[d] < 0) throw new CheckpointFormatException($"parameter '{name}' has a negative dimension {shape[d]}.");
                product *= shape[d];
                if (product > int.MaxValue) throw new CheckpointFormatException($"parameter '{name}' shape is too large.");
            }
            var values = r.Floats();
            if (values.Length != product)
                throw new CheckpointFormatException($"parameter '{name}' has shape [{string.Join("x", shape)}] but {values.Length} values.");
            ps[i] = new ParameterSnapshot(name, shape, values);
        }

        string optName = r.Str();
        int nStates = r.Count(version >= 2 ? 4 : 16);
        var states = new OptimizerState<float>[nStates];
        for (int i = 0; i < nStates; i++)
        {
            if (version >= 2)
            {
                var blob = r.Blob();
                try { states[i] = OptimizerStateFormat.Load<float>(blob); }
                catch (OptimizerStateFormatException e) { throw new CheckpointFormatException($"optimizer state {i}: {e.Message}"); }
                if (states[i].Optimizer.Length == 0) throw new CheckpointFormatException($"optimizer state {i} has an empty optimizer name.");
                continue;
            }
            string opt = r.Str();
            if (opt.Length == 0) throw new CheckpointFormatException($"optimizer state {i} has an empty optimizer name.");
            int length = r.I32(); long step = r.I64(); int nSlots = r.Count(8);
            if (length < 0 || step < 0 || step > OptimizerState<float>.MaxStep) throw new CheckpointFormatException($"optimizer state {i} has length {length}, step {step}.");
            var names = new string[nSlots];
            var data = new float[nSlots][];
            for (int s = 0; s < nSlots; s++)
            {
                names[s] = r.Str();
                data[s] = r.FloatsRaw(length);
            }
            var st = new OptimizerState<float>(opt, length, names) { Step = step };
            for (int s = 0; s < nSlots; s++) data[s].CopyTo(st.SlotAt(s));
            states[i] = st;
        }

        int nHist = r.Count(4 + 8 * 6);
        var hist = new EpochLogs[nHist];
        for (int i = 0; i < nHist; i++)
            hist[i] = new EpochLogs(r.I32(), r.F64(), r.F64(), r.OptF64(), r.OptF64(), r.F64(), r.F64());

        int nCb = r.Count(12);
        var cbs = new KeyValuePair<string, CallbackState>[nCb];
        for (int i = 0; i < nCb; i++)
        {
            string key = r.Str();
            var st = new CallbackState();
            int ns = r.Count(12);
            for (int k = 0; k < ns; k++) st.Scalars[r.Str()] = r.F64();
            int nt = r.Count(8);
            for (int k = 0; k < nt; k++) st.Tensors[r.Str()] = r.Floats();
            cbs[i] = new(key, st);
        }
        if (r.Remaining != 0) throw new CheckpointFormatException($"corrupt: {r.Remaining} unexpected bytes after the last section.");

        return new TrainingCheckpoint
        {
            Seed = seed, BatchSize = batchSize, ValidationSplit = split, TrainCount = trainCount,
            Granularity = (ScheduleGranularity)gran, Shuffle = shuffle,
            Epoch = epoch, Batch = batch, Iteration = iteration, LearningRateMultiplier = mult, LearningRate = lr,
            Running = running, Stopped = stopped, StopReason = reason, Metadata = meta, Parameters = ps,
            OptimizerName = optName, OptimizerStates = states, History = hist, CallbackStates = cbs,
        };
    }

    /// <summary>The body's little-endian fields into a stream through a 64 KiB buffer (under the large-object heap's 85 KB),
    /// hashed (SHA-256) as they go.</summary>
    sealed class BodyWriter(Stream output) : IDisposable
    {
        readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        readonly byte[] _buf = new byte[1 << 16];
        int _used;
        long _flushed;

        /// <summary>Bytes of body so far.</summary>
        public long Written => _flushed + _used;

        void Put(ReadOnlySpan<byte> v)
        {
            while (v.Length > 0)
            {
                int n = Math.Min(v.Length, _buf.Length - _used);
                v[..n].CopyTo(_buf.AsSpan(_used));
                _used += n;
                v = v[n..];
                if (_used == _buf.Length) Flush();
            }
        }

        void Flush()
        {
            _hash.AppendData(_buf, 0, _used);
            output.Write(_buf, 0, _used);
            _flushed += _used;
            _used = 0;
        }

        public void U8(byte v) => Put([v]);
        public void I32(int v) { Span<byte> b = stackalloc byte[4]; BinaryPrimitives.WriteInt32LittleEndian(b, v); Put(b); }
        public void I64(long v) { Span<byte> b = stackalloc byte[8]; BinaryPrimitives.WriteInt64LittleEndian(b, v); Put(b); }
        public void U64(ulong v) { Span<byte> b = stackalloc byte[8]; BinaryPrimitives.WriteUInt64LittleEndian(b, v); Put(b); }
        public void F64(double v) { Span<byte> b = stackalloc byte[8]; BinaryPrimitives.WriteDoubleLittleEndian(b, v); Put(b); }
        public void OptF64(double? v) { U8(v.HasValue ? (byte)1 : (byte)0); F64(v ?? 0); }
        public void Str(string v) { var bytes = Encoding.UTF8.GetBytes(v); I32(bytes.Length); Put(bytes); }
        public void OptString(string? v) { U8(v is null ? (byte)0 : (byte)1); if (v is not null) Str(v); }
        public void Floats(ReadOnlySpan<float> v) { I32(v.Length); FloatsRaw(v); }
        public void FloatsRaw(ReadOnlySpan<float> v)
        {
            if (BitConverter.IsLittleEndian) { Put(System.Runtime.InteropServices.MemoryMarshal.AsBytes(v)); return; }
            Span<byte> b = stackalloc byte[4];
            foreach (float f in v) { BinaryPrimitives.WriteSingleLittleEndian(b, f); Put(b); }
        }

        /// <summary>A write-only stream into the body (for <see cref="OptimizerStateFormat.Save{T}"/>).</summary>
        public Stream AsStream() => new Into(this);

        /// <summary>Writes what is buffered; the body's length and hash.</summary>
        public (long Length, byte[] Hash) Finish()
        {
            Flush();
            return (_flushed, _hash.GetHashAndReset());
        }

        public void Dispose() => _hash.Dispose();

        sealed class Into(BodyWriter body) : Stream
        {
            public override bool CanRead => false;
            public override bool CanSeek => false;
            public override bool CanWrite => true;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => body.Put(buffer.AsSpan(offset, count));
            public override void Write(ReadOnlySpan<byte> buffer) => body.Put(buffer);
            public override void WriteByte(byte value) => body.Put([value]);
        }
    }

    /// <summary>Reads the body; every count is checked against the bytes left before anything is allocated.</summary>
    ref struct BodyReader(ReadOnlySpan<byte> body)
    {
        ReadOnlySpan<byte> _rest = body;
        public readonly int Remaining => _rest.Length;

        ReadOnlySpan<byte> Take(int n)
        {
            if (n < 0 || n > _rest.Length)
                throw new CheckpointFormatException($"corrupt: a field needs {n} bytes but only {_rest.Length} remain.");
            var s = _rest[..n];
            _rest = _rest[n..];
            return s;
        }

        public byte U8() => Take(1)[0];
        public bool Bool() => U8() switch
        {
            0 => false, 1 => true, var b => throw new CheckpointFormatException($"corrupt: a flag byte is {b}, not 0 or 1."),
        };
        public int I32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));
        public long I64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));
        public ulong U64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));
        public double F64() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));
        public double? OptF64() { bool has = Bool(); double v = F64(); return has ? v : null; }

        /// <summary>A count of items each at least <paramref name="minItemBytes"/> long: must fit in what remains.</summary>
        public int Count(int minItemBytes)
        {
            int n = I32();
            if (n < 0 || (long)n * minItemBytes > _rest.Length)
                throw new CheckpointFormatException($"corrupt: a count of {n} items cannot fit in the {_rest.Length} bytes left.");
            return n;
        }

        public string Str()
        {
            int n = I32();
            if (n < 0 || n > _rest.Length)
                throw new CheckpointFormatException($"corrupt: a string of {n} bytes cannot fit in the {_rest.Length} bytes left.");
            return Encoding.UTF8.GetString(Take(n));
        }

        public string? OptString() => Bool() ? Str() : null;

        public float[] Floats() => FloatsRaw(I32());

        /// <summary>A length-prefixed byte string, checked against what remains before it is taken.</summary>
        public ReadOnlySpan<byte> Blob()
        {
            int n = I32();
            if (n < 0 || n > _rest.Length)
                throw new CheckpointFormatException($"corrupt: a block of {n} bytes cannot fit in the {_rest.Length} bytes left.");
            return Take(n);
        }

        public float[] FloatsRaw(int n)
        {
            if (n < 0 || (long)n * 4 > _rest.Length)
                throw new CheckpointFormatException($"corrupt: {n} floats cannot fit in the {_rest.Length} bytes left.");
            var src = Take(n * 4);
            var v = new float[n];
            for (int i = 0; i < n; i++) v[i] = BinaryPrimitives.ReadSingleLittleEndian(src[(i * 4)..]);
            return v;
        }
    }
}
