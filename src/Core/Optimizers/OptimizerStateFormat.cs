using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace NetNumerics.Optimizers;

/// <summary>
/// Saves an <see cref="OptimizerState{T}"/> (float, double or Half) to a stream and loads it back bit for bit
/// (format: OPTIMIZER-STATE.md next to this file). Layout, little-endian: magic <c>0x89 "NNOS" 0x0D 0x0A 0x1A</c>,
/// version (u16), element code (u8: 2 = Half, 4 = float, 8 = double), reserved (u8, 0), step (i64), length (i32),
/// optimizer name, slot count (u16), slot names (each u16 byte count + UTF-8), then every slot's elements in slot
/// order, then the SHA-256 of everything before it.
/// <para>Loading treats the bytes as hostile: every count is checked against its limit and against the bytes that
/// are really there before anything is allocated, and any damage (truncation, a flipped bit, trailing bytes, a
/// wrong element type, a newer version) is an <see cref="OptimizerStateFormatException"/> that says what was
/// wrong and what is allowed.</para>
/// </summary>
public static class OptimizerStateFormat
{
    /// <summary>The 8-byte signature (a non-ASCII first byte and CR LF SUB catch text-mode transfers, as PNG's does).</summary>
    public static ReadOnlySpan<byte> Magic => [0x89, (byte)'N', (byte)'N', (byte)'O', (byte)'S', 0x0D, 0x0A, 0x1A];

    /// <summary>
    /// The newest format version this code reads and writes: 2 adds the state's scalar entries (names after the slot
    /// names, values after the slots); 3 adds the tensor's shape and each slot's length (after the scalar names), for the
    /// states of shape-aware optimizers (<see cref="OptimizerState{T}.IsPlain"/> false). A plain state without scalars is
    /// written as version 1 and a plain one with scalars as version 2, byte for byte as before.
    /// </summary>
    public const int Version = 3;

    /// <summary>Longest optimizer or slot name, in UTF-8 bytes.</summary>
    public const int MaxNameBytes = 256;

    /// <summary>Most slots a state may have (the largest optimizer here has 4).</summary>
    public const int MaxSlots = 64;

    const int HashBytes = 32;

    /// <summary>The element code stored for <typeparamref name="T"/>: its size in bytes.</summary>
    static byte ElementCode<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) || typeof(T) == typeof(double) || typeof(T) == typeof(Half)
            ? (byte)System.Runtime.CompilerServices.Unsafe.SizeOf<T>()
            : throw new NotSupportedException($"OptimizerStateFormat stores float, double and Half states, not {typeof(T).Name}.");

    static string ElementName(int code) => code switch { 2 => "Half", 4 => "float", 8 => "double", _ => $"code {code}" };

    /// <summary>The exact number of bytes <see cref="Save{T}"/> writes for <paramref name="state"/>.</summary>
    public static long SizeOf<T>(OptimizerState<T> state) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(state);
        long size = Magic.Length + 2 + 1 + 1 + 8 + 4 + 2 + Encoding.UTF8.GetByteCount(state.Optimizer) + 2;
        foreach (string name in state.SlotNames) size += 2 + Encoding.UTF8.GetByteCount(name);
        int version = VersionFor(state);
        if (version >= 2)
        {
            size += 2 + 8L * state.ScalarNames.Count;
            foreach (string name in state.ScalarNames) size += 2 + Encoding.UTF8.GetByteCount(name);
        }
        if (version >= 3) size += 2 + 4L * state.Shape.Count + 4L * state.SlotNames.Count;
        long elements = 0;
        for (int i = 0; i < state.SlotNames.Count; i++) elements += state.SlotAt(i).Length;
        return size + elements * ElementCode<T>() + HashBytes;
    }

    /// <summary>1 for a plain state without scalars, 2 for a plain one with scalars, 3 for a shaped one.</summary>
    static int VersionFor<T>(OptimizerState<T> state) where T : unmanaged, IFloatingPointIeee754<T> =>
        !state.IsPlain ? 3 : state.ScalarNames.Count > 0 ? 2 : 1;

    /// <summary>Writes <paramref name="state"/> to <paramref name="stream"/> at its current position.</summary>
    public static void Save<T>(OptimizerState<T> state, Stream stream) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(stream);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Put(ReadOnlySpan<byte> bytes) { hash.AppendData(bytes); stream.Write(bytes); }

        Span<byte> head = stackalloc byte[Magic.Length + 2 + 1 + 1 + 8 + 4];
        Magic.CopyTo(head);
        int version = VersionFor(state);
        bool scalars = version >= 2;
        BinaryPrimitives.WriteUInt16LittleEndian(head[8..], (ushort)version);
        head[10] = ElementCode<T>();
        head[11] = 0;
        BinaryPrimitives.WriteInt64LittleEndian(head[12..], state.Step);
        BinaryPrimitives.WriteInt32LittleEndian(head[20..], state.Length);
        Put(head);
        PutName(state.Optimizer, "optimizer name", Put);
        if (state.SlotNames.Count > MaxSlots)
            throw new ArgumentException($"state has {state.SlotNames.Count} slots; at most {MaxSlots} can be saved.", nameof(state));
        Span<byte> count = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(count, (ushort)state.SlotNames.Count);
        Put(count);
        foreach (string name in state.SlotNames) PutName(name, "slot name", Put);
        if (scalars)
        {
            if (state.ScalarNames.Count > MaxSlots)
                throw new ArgumentException($"state has {state.ScalarNames.Count} scalars; at most {MaxSlots} can be saved.", nameof(state));
            BinaryPrimitives.WriteUInt16LittleEndian(count, (ushort)state.ScalarNames.Count);
            Put(count);
            foreach (string name in state.ScalarNames) PutName(name, "scalar name", Put);
        }
        if (version >= 3)
        {
            Span<byte> i32 = stackalloc byte[4];
            BinaryPrimitives.WriteUInt16LittleEndian(count, (ushort)state.Shape.Count);
            Put(count);
            foreach (int d in state.Shape) { BinaryPrimitives.WriteInt32LittleEndian(i32, d); Put(i32); }
            for (int i = 0; i < state.SlotNames.Count; i++) { BinaryPrimitives.WriteInt32LittleEndian(i32, state.SlotAt(i).Length); Put(i32); }
        }
        for (int i = 0; i < state.SlotNames.Count; i++)
            PutElements(state.SlotAt(i).Span, Put);
        if (scalars) PutElements<double>(state.Scalars, Put);
        Span<byte> digest = stackalloc byte[HashBytes];
        hash.GetHashAndReset(digest);
        stream.Write(digest);
    }

    delegate void Sink(ReadOnlySpan<byte> bytes);

    static void PutName(string name, string what, Sink put)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(name);
        if (utf8.Length > MaxNameBytes)
            throw new ArgumentException($"{what} '{name[..Math.Min(name.Length, 40)]}...' is {utf8.Length} UTF-8 bytes; at most {MaxNameBytes} can be saved.");
        Span<byte> len = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(len, (ushort)utf8.Length);
        put(len);
        put(utf8);
    }

    static void PutElements<T>(ReadOnlySpan<T> values, Sink put) where T : unmanaged
    {
        if (BitConverter.IsLittleEndian) { put(MemoryMarshal.AsBytes(values)); return; }
        throw new PlatformNotSupportedException("OptimizerStateFormat is implemented for little-endian machines only.");
    }

    /// <summary>
    /// Reads one state of element type <typeparamref name="T"/> from <paramref name="stream"/>, which must hold exactly
    /// one saved state from its current position to its end. A seekable stream is bounded by its length; any other
    /// stream is read to its end first (memory grows with the bytes received, never with what a header claims).
    /// </summary>
    /// <exception cref="OptimizerStateFormatException">The bytes are not one complete, intact state of type T.</exception>
    public static OptimizerState<T> Load<T>(Stream stream) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] bytes;
        if (stream.CanSeek)
        {
            long remaining = stream.Length - stream.Position;
            if (remaining > Array.MaxLength)
                throw new OptimizerStateFormatException($"the stream holds {remaining} bytes, more than one state can (at most {Array.MaxLength}).");
            bytes = new byte[remaining];
            stream.ReadExactly(bytes);
        }
        else
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            bytes = copy.ToArray();
        }
        return Load<T>(bytes);
    }

    /// <summary>Reads one state of element type <typeparamref name="T"/> from exactly these bytes.</summary>
    /// <exception cref="OptimizerStateFormatException">The bytes are not one complete, intact state of type T.</exception>
    public static OptimizerState<T> Load<T>(ReadOnlySpan<byte> bytes) where T : unmanaged, IFloatingPointIeee754<T>
    {
        byte code = ElementCode<T>();
        var r = new Reader(bytes);
        if (bytes.Length < Magic.Length || !bytes[..Magic.Length].SequenceEqual(Magic))
            throw new OptimizerStateFormatException("it does not start with the optimizer-state signature 89 4E 4E 4F 53 0D 0A 1A.");
        r.Skip(Magic.Length);
        int version = r.U16("version");
        if (version < 1 || version > Version)
            throw new OptimizerStateFormatException($"format version {version}; this build reads versions 1 to {Version}.");
        int stored = r.U8("element type");
        if (stored != code)
            throw new OptimizerStateFormatException($"it holds {ElementName(stored)} elements; {ElementName(code)} was asked for.");
        if (r.U8("reserved byte") != 0) throw new OptimizerStateFormatException("reserved byte 11 is not 0.");
        long step = r.I64("step");
        if (step < 0 || step > OptimizerState<T>.MaxStep)
            throw new OptimizerStateFormatException($"step is {step}; it must be in [0, 2^53 = {OptimizerState<T>.MaxStep}].");
        int length = r.I32("length");
        if (length < 0) throw new OptimizerStateFormatException($"length is {length}; it must be >= 0.");
        string optimizer = r.Name("optimizer name");
        if (optimizer.Length == 0) throw new OptimizerStateFormatException("the optimizer name is empty.");
        int slots = r.U16("slot count");
        if (slots > MaxSlots) throw new OptimizerStateFormatException($"slot count is {slots}; at most {MaxSlots} are allowed.");
        var names = new string[slots];
        for (int i = 0; i < slots; i++)
        {
            names[i] = r.Name($"slot {i} name");
            if (names[i].Length == 0) throw new OptimizerStateFormatException($"slot {i} has an empty name.");
            if (Array.IndexOf(names, names[i], 0, i) >= 0) throw new OptimizerStateFormatException($"slot name '{names[i]}' appears twice.");
        }
        var scalarNames = new string[version >= 2 ? r.U16("scalar count") : 0];
        if (scalarNames.Length > MaxSlots) throw new OptimizerStateFormatException($"scalar count is {scalarNames.Length}; at most {MaxSlots} are allowed.");
        for (int i = 0; i < scalarNames.Length; i++)
        {
            scalarNames[i] = r.Name($"scalar {i} name");
            if (scalarNames[i].Length == 0) throw new OptimizerStateFormatException($"scalar {i} has an empty name.");
            if (Array.IndexOf(scalarNames, scalarNames[i], 0, i) >= 0) throw new OptimizerStateFormatException($"scalar name '{scalarNames[i]}' appears twice.");
        }
        int[]? shape = null;
        var slotLengths = new int[slots];
        Array.Fill(slotLengths, length);
        if (version >= 3)
        {
            int rank = r.U16("rank");
            if (rank > OptimizerState<T>.MaxRank) throw new OptimizerStateFormatException($"the shape has {rank} dimensions; at most {OptimizerState<T>.MaxRank} are allowed.");
            shape = new int[rank];
            long product = 1;
            for (int i = 0; i < rank; i++)
            {
                shape[i] = r.I32($"dimension {i}");
                if (shape[i] < 0) throw new OptimizerStateFormatException($"dimension {i} of the shape is {shape[i]}; dimensions must be >= 0.");
                product = Math.Min(product * shape[i], 1L << 31);   // saturates above int.MaxValue: both factors <= 2^31, no overflow
            }
            if (product != length)
                throw new OptimizerStateFormatException($"the shape [{string.Join(", ", shape)}] has {product} elements, but the length is {length}.");
            for (int i = 0; i < slots; i++)
            {
                slotLengths[i] = r.I32($"slot {i} length");
                if (slotLengths[i] < 0) throw new OptimizerStateFormatException($"slot '{names[i]}' has length {slotLengths[i]}; it must be >= 0.");
            }
        }
        long payload = 8L * scalarNames.Length;
        foreach (int n in slotLengths) payload += (long)n * code;
        long expected = r.Position + payload + HashBytes;
        if (expected != bytes.Length)
            throw new OptimizerStateFormatException(bytes.Length < expected
                ? $"it is truncated: {slots} slots of {(version >= 3 ? string.Join(", ", slotLengths) : length)} {ElementName(code)} elements need {expected} bytes, but there are {bytes.Length}."
                : $"{bytes.Length - expected} bytes follow the end of the state ({expected} bytes).");
        Span<byte> digest = stackalloc byte[HashBytes];
        SHA256.HashData(bytes[..^HashBytes], digest);
        if (!digest.SequenceEqual(bytes[^HashBytes..]))
            throw new OptimizerStateFormatException("its SHA-256 does not match its contents (the bytes were damaged).");

        var state = shape is null
            ? new OptimizerState<T>(optimizer, length, names, scalarNames) { Step = step }
            : new OptimizerState<T>(optimizer, shape, names, slotLengths, scalarNames) { Step = step };
        for (int i = 0; i < slots; i++)
            MemoryMarshal.Cast<byte, T>(r.Take(slotLengths[i] * code, $"slot '{names[i]}'")).CopyTo(state.SlotAt(i).Span);
        MemoryMarshal.Cast<byte, double>(r.Take(8 * scalarNames.Length, "scalars")).CopyTo(state.Scalars);
        return state;
    }

    ref struct Reader(ReadOnlySpan<byte> bytes)
    {
        readonly ReadOnlySpan<byte> _bytes = bytes;
        public int Position { get; private set; }

        public ReadOnlySpan<byte> Take(int count, string what)
        {
            if (count < 0 || _bytes.Length - Position < count)
                throw new OptimizerStateFormatException($"it is truncated in the {what} at byte {Position} (needs {count} bytes, {_bytes.Length - Position} left).");
            var s = _bytes.Slice(Position, count);
            Position += count;
            return s;
        }

        public void Skip(int count) => Take(count, "signature");
        public int U8(string what) => Take(1, what)[0];
        public int U16(string what) => BinaryPrimitives.ReadUInt16LittleEndian(Take(2, what));
        public int I32(string what) => BinaryPrimitives.ReadInt32LittleEndian(Take(4, what));
        public long I64(string what) => BinaryPrimitives.ReadInt64LittleEndian(Take(8, what));

        public string Name(string what)
        {
            int n = U16(what + " length");
            if (n > MaxNameBytes) throw new OptimizerStateFormatException($"the {what} is {n} bytes long; at most {MaxNameBytes} are allowed.");
            try { return new UTF8Encoding(false, true).GetString(Take(n, what)); }
            catch (DecoderFallbackException) { throw new OptimizerStateFormatException($"the {what} is not valid UTF-8."); }
        }
    }
}

/// <summary>A saved optimizer state that cannot be loaded: the message says what was wrong and what is allowed.</summary>
public sealed class OptimizerStateFormatException(string message)
    : IOException("Not a valid optimizer state: " + message);
