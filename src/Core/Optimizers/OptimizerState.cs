using System.Numerics;

namespace NetNumerics.Optimizers;

/// <summary>
/// The explicit state of one optimizer over one parameter tensor: the number of updates applied
/// so far and named slots of the same length as the tensor (Adam: "m", "v"; momentum SGD:
/// "velocity"; ...), or, for a shape-aware optimizer, the tensor's <see cref="Shape"/> and slots of the lengths it
/// needs (Adafactor: a row and a column vector per matrix). Nothing else is hidden anywhere, so saving <see cref="Step"/>, the slot names
/// and the slot contents restores an optimizer exactly. Slots are 64-byte aligned.
/// <para>Threading: <see cref="IOptimizer.Update{T}(OptimizerState{T}, Span{T}, ReadOnlySpan{T}, double)"/> changes a
/// state in place, so one state may be updated by one thread at a time (different states, e.g. one per tensor, may be
/// updated in parallel; the Fast path parallelizes inside one call). A second Update that starts on a state while
/// another is running on it throws <see cref="InvalidOperationException"/> instead of corrupting the slots (an
/// interlocked flag per state, two atomic operations per call).</para>
/// </summary>
public sealed class OptimizerState<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly ArraySegment<T>[] _slots;
    readonly double[] _scalars;
    readonly int[] _shape;       // the tensor's dimensions; [Length] unless a shape-aware optimizer made the state
    OptimizerState<T>? _inner;   // a wrapper's view of its base optimizer's slots (made once, shares the memory)
    long _step;
    int _updating;   // 1 while an Update runs on this state (see the threading note above)

    /// <summary>
    /// The largest <see cref="Step"/> a state may hold: 2^53, the last count a double (in which the bias corrections
    /// raise betas to the power t) holds exactly; an update past it is refused rather than computed with a wrong t.
    /// </summary>
    public const long MaxStep = 1L << 53;

    /// <summary>An empty state: step 0, one zero-filled slot of <paramref name="length"/> elements per name. Optimizers make theirs with <see cref="IOptimizer.Init{T}(int)"/>; use this constructor to rebuild a saved state before copying its slots back.</summary>
    /// <param name="optimizer">The optimizer name, e.g. "adam" (must match <see cref="IOptimizer.Name"/> for Update to accept the state).</param>
    /// <param name="length">Elements of the parameter tensor and of every slot, &gt;= 0.</param>
    /// <param name="slotNames">The slot names in order (copied), e.g. ["m", "v"].</param>
    public OptimizerState(string optimizer, int length, IReadOnlyList<string> slotNames)
        : this(optimizer, length, slotNames, []) { }

    /// <summary>
    /// An empty state with scalar entries as well: step 0, zero-filled slots, and one double per name in
    /// <paramref name="scalarNames"/>, all 0 (Schedule-Free's running weight sum and largest learning rate).
    /// </summary>
    /// <param name="optimizer">The optimizer name (must match <see cref="IOptimizer.Name"/> for Update to accept the state).</param>
    /// <param name="length">Elements of the parameter tensor and of every slot, &gt;= 0.</param>
    /// <param name="slotNames">The slot names in order (copied).</param>
    /// <param name="scalarNames">The scalar names in order (copied), e.g. ["lr_max", "weight_sum"]; empty for most optimizers.</param>
    public OptimizerState(string optimizer, int length, IReadOnlyList<string> slotNames, IReadOnlyList<string> scalarNames)
    {
        ArgumentException.ThrowIfNullOrEmpty(optimizer);
        ArgumentNullException.ThrowIfNull(slotNames);
        ArgumentNullException.ThrowIfNull(scalarNames);
        Guard.NonNegative(length, nameof(length));
        Optimizer = optimizer;
        Length = length;
        _shape = [length];
        Shape = Array.AsReadOnly(_shape);
        IsPlain = true;
        SlotNames = slotNames.ToArray();
        ScalarNames = scalarNames.ToArray();
        _scalars = new double[ScalarNames.Count];
        _slots = new ArraySegment<T>[SlotNames.Count];
        for (int i = 0; i < _slots.Length; i++) _slots[i] = AlignedBuffer.Allocate<T>(length);
    }

    /// <summary>
    /// An empty state for a tensor of a given shape whose slots may have lengths other than the tensor's (Adafactor's row
    /// and column factors): step 0, zero-filled slots of <paramref name="slotLengths"/> elements, zero scalars. Shape-aware
    /// optimizers make theirs with <see cref="IOptimizer.Init{T}(ReadOnlySpan{int})"/>; use this constructor to rebuild
    /// a saved state. With shape <c>[n]</c> and every slot of n elements it is the plain state of the other constructors.
    /// </summary>
    /// <param name="optimizer">The optimizer name (must match <see cref="IOptimizer.Name"/> for Update to accept the state).</param>
    /// <param name="shape">The tensor's dimensions, each &gt;= 0, at most <see cref="MaxRank"/> of them; their product is <see cref="Length"/> and must fit an int.</param>
    /// <param name="slotNames">The slot names in order (copied).</param>
    /// <param name="slotLengths">Elements of each slot, &gt;= 0, one per slot name.</param>
    /// <param name="scalarNames">The scalar names in order (copied); empty for most optimizers.</param>
    /// <exception cref="ArgumentException">A dimension or slot length is negative, the product overflows, or the counts differ.</exception>
    public OptimizerState(string optimizer, ReadOnlySpan<int> shape, IReadOnlyList<string> slotNames, IReadOnlyList<int> slotLengths,
        IReadOnlyList<string> scalarNames)
    {
        ArgumentException.ThrowIfNullOrEmpty(optimizer);
        ArgumentNullException.ThrowIfNull(slotNames);
        ArgumentNullException.ThrowIfNull(slotLengths);
        ArgumentNullException.ThrowIfNull(scalarNames);
        if (slotLengths.Count != slotNames.Count)
            throw new ArgumentException($"{slotNames.Count} slot names but {slotLengths.Count} slot lengths; give one length per slot.", nameof(slotLengths));
        Optimizer = optimizer;
        Length = ShapeChecks.Product(shape, nameof(shape));
        _shape = shape.ToArray();
        Shape = Array.AsReadOnly(_shape);
        SlotNames = slotNames.ToArray();
        ScalarNames = scalarNames.ToArray();
        _scalars = new double[ScalarNames.Count];
        _slots = new ArraySegment<T>[SlotNames.Count];
        bool plain = _shape.Length == 1;
        for (int i = 0; i < _slots.Length; i++)
        {
            if (slotLengths[i] < 0)
                throw new ArgumentOutOfRangeException(nameof(slotLengths), slotLengths[i], $"slot '{SlotNames[i]}' has length {slotLengths[i]}; a slot length must be >= 0.");
            plain &= slotLengths[i] == Length;
        }
        for (int i = 0; i < _slots.Length; i++) _slots[i] = AlignedBuffer.Allocate<T>(slotLengths[i]);
        IsPlain = plain;
    }

    /// <summary>A view over <paramref name="slots"/> (no copy): a wrapper optimizer's base state inside its own.</summary>
    OptimizerState(string optimizer, int length, int[] shape, bool plain, string[] slotNames, ArraySegment<T>[] slots)
    {
        Optimizer = optimizer;
        Length = length;
        _shape = shape;
        Shape = Array.AsReadOnly(_shape);
        IsPlain = plain && slots.All(s => s.Count == length);
        SlotNames = slotNames;
        ScalarNames = [];
        _scalars = [];
        _slots = slots;
    }

    /// <summary>
    /// The state of a wrapped (base) optimizer whose slots are this state's slots from <paramref name="firstSlot"/> on,
    /// sharing their memory; made on the first call and kept (a wrapper's Update allocates nothing after that).
    /// The caller sets its <see cref="Step"/> before each use.
    /// </summary>
    internal OptimizerState<T> Inner(string optimizer, IReadOnlyList<string> slotNames, int firstSlot)
    {
        if (_inner is { } made && made.Optimizer == optimizer) return made;
        if (firstSlot + slotNames.Count != _slots.Length)
            throw new ArgumentException($"state '{Optimizer}' has {_slots.Length} slots; a base of {slotNames.Count} slots from slot {firstSlot} does not fit.");
        return _inner = new OptimizerState<T>(optimizer, Length, _shape, IsPlain, slotNames.ToArray(), _slots[firstSlot..]);
    }

    /// <summary>Which optimizer (and variant) this state belongs to, e.g. "adam".</summary>
    public string Optimizer { get; }

    /// <summary>Length of the parameter tensor (the product of <see cref="Shape"/>); every slot's too unless a shape-aware optimizer made the state.</summary>
    public int Length { get; }

    /// <summary>Most dimensions a shape may have.</summary>
    public const int MaxRank = 32;

    /// <summary>
    /// The tensor's dimensions: <c>[Length]</c> for every state of an optimizer that ignores shapes (all but Adafactor,
    /// Muon and wrappers over them), the tensor's own shape for a shape-aware one. Shape and slot lengths are saved by
    /// <see cref="OptimizerStateFormat"/> (version 3) only when the state is not plain.
    /// </summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>The dimensions without a copy (for the kernels).</summary>
    internal ReadOnlySpan<int> ShapeSpan => _shape;

    /// <summary>True when <see cref="Shape"/> is <c>[Length]</c> and every slot has <see cref="Length"/> elements: the state every optimizer made before shapes (saved byte for byte as then).</summary>
    public bool IsPlain { get; }

    /// <summary>The optimizer that last checked this state's slot lengths against its shape (the check runs once per state and optimizer).</summary>
    internal object? CheckedBy { get; set; }

    /// <summary>
    /// Updates applied so far (t in the papers is Step after the increment, 1-based). Must be in [0, <see cref="MaxStep"/>]:
    /// a negative step would make t = 0 (bias corrections 1 - beta^0 = 0, every parameter NaN) and a huge one would
    /// overflow on the next increment, so both are an <see cref="ArgumentOutOfRangeException"/> here.
    /// </summary>
    public long Step
    {
        get => _step;
        set
        {
            if (value < 0 || value > MaxStep)
                throw new ArgumentOutOfRangeException(nameof(Step), value,
                    $"Step of optimizer state '{Optimizer}' must be in [0, 2^53 = {MaxStep}] (updates applied so far), but was {value}.");
            _step = value;
        }
    }

    /// <summary>Marks the state busy for one Update; throws if another Update holds it. Pair with <see cref="EndUpdate"/>.</summary>
    internal void BeginUpdate()
    {
        if (Interlocked.CompareExchange(ref _updating, 1, 0) != 0)
            throw new InvalidOperationException(
                $"optimizer state '{Optimizer}' (length {Length}) is already being updated by another thread; a state may be updated by one thread at a time (use one state per thread, or lock around Update).");
    }

    internal void EndUpdate() => Volatile.Write(ref _updating, 0);

    /// <summary>The slot names in order, e.g. ["m", "v"] for Adam (see each options record's SlotNames for the PyTorch and Keras names).</summary>
    public IReadOnlyList<string> SlotNames { get; }

    /// <summary>The slot with this name (a view of the state's own memory, not a copy); throws naming the slots that exist if there is none.</summary>
    public Memory<T> Slot(string name)
    {
        for (int i = 0; i < _slots.Length; i++)
            if (SlotNames[i] == name) return _slots[i];
        throw new ArgumentException(
            $"Optimizer state '{Optimizer}' has no slot '{name}'; it has [{string.Join(", ", SlotNames)}].", nameof(name));
    }

    /// <summary>Slot by position, in the order of <see cref="SlotNames"/>.</summary>
    public Memory<T> SlotAt(int index) => _slots[index];

    /// <summary>The names of the state's scalar entries, in order (empty for every optimizer but the wrappers that need them).</summary>
    public IReadOnlyList<string> ScalarNames { get; }

    /// <summary>The scalar entries in the order of <see cref="ScalarNames"/> (the state's own memory: writable).</summary>
    public Span<double> Scalars => _scalars;

    /// <summary>Copies the step, every slot and every scalar of <paramref name="from"/> (same optimizer, length, slot and scalar names).</summary>
    /// <exception cref="ArgumentException">The states do not have the same shape.</exception>
    public void CopyFrom(OptimizerState<T> from)
    {
        ArgumentNullException.ThrowIfNull(from);
        if (from.Optimizer != Optimizer || from.Length != Length || !from.SlotNames.SequenceEqual(SlotNames) || !from.ScalarNames.SequenceEqual(ScalarNames)
            || !SameLayout(from))
            throw new ArgumentException(
                $"cannot copy state '{from.Optimizer}' (shape [{string.Join(", ", from._shape)}], slots [{from.DescribeSlots()}], scalars [{string.Join(", ", from.ScalarNames)}]) " +
                $"into '{Optimizer}' (shape [{string.Join(", ", _shape)}], slots [{DescribeSlots()}], scalars [{string.Join(", ", ScalarNames)}]).", nameof(from));
        Step = from.Step;
        for (int i = 0; i < _slots.Length; i++) from._slots[i].AsSpan().CopyTo(_slots[i]);
        from._scalars.CopyTo(_scalars, 0);
    }

    /// <summary>Same shape and slot lengths.</summary>
    internal bool SameLayout(OptimizerState<T> other)
    {
        if (!_shape.AsSpan().SequenceEqual(other._shape) || _slots.Length != other._slots.Length) return false;
        for (int i = 0; i < _slots.Length; i++)
            if (_slots[i].Count != other._slots[i].Count) return false;
        return true;
    }

    /// <summary>"m", "v" for a plain state; "row_var (32)", ... with each slot's length otherwise.</summary>
    internal string DescribeSlots() =>
        string.Join(", ", SlotNames.Select((n, i) => IsPlain ? n : $"{n} ({_slots[i].Count})"));

    /// <summary>A deep copy (same step, shape, slot lengths and bits).</summary>
    public OptimizerState<T> Clone()
    {
        var copy = IsPlain
            ? new OptimizerState<T>(Optimizer, Length, SlotNames, ScalarNames) { Step = Step }
            : new OptimizerState<T>(Optimizer, _shape, SlotNames, _slots.Select(s => s.Count).ToArray(), ScalarNames) { Step = Step };
        for (int i = 0; i < _slots.Length; i++) _slots[i].AsSpan().CopyTo(copy._slots[i]);
        _scalars.CopyTo(copy._scalars, 0);
        return copy;
    }

    /// <summary>True when both states have the same optimizer, step, slots and bits in every slot and scalar.</summary>
    public bool BitEquals(OptimizerState<T> other)
    {
        if (Optimizer != other.Optimizer || Step != other.Step || Length != other.Length || !SameLayout(other)
            || !SlotNames.SequenceEqual(other.SlotNames) || !ScalarNames.SequenceEqual(other.ScalarNames)) return false;
        for (int i = 0; i < _scalars.Length; i++)
            if (BitConverter.DoubleToInt64Bits(_scalars[i]) != BitConverter.DoubleToInt64Bits(other._scalars[i])) return false;
        for (int i = 0; i < _slots.Length; i++)
            if (!System.Runtime.InteropServices.MemoryMarshal.AsBytes(_slots[i].AsSpan())
                    .SequenceEqual(System.Runtime.InteropServices.MemoryMarshal.AsBytes(other._slots[i].AsSpan())))
                return false;
        return true;
    }
}
