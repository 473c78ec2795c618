using System.Numerics;

namespace NetNumerics.Optimizers;

/// <summary>
/// The explicit state of one optimizer over one parameter tensor: the number of updates applied
/// so far and named slots of the same length as the tensor (Adam: "m", "v"; momentum SGD:
/// "velocity"; ...). Nothing else is hidden anywhere, so saving <see cref="Step"/>, the slot names
/// and the slot contents restores an optimizer exactly. Slots are 64-byte aligned.
/// </summary>
public sealed class OptimizerState<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly ArraySegment<T>[] _slots;

    /// <summary>An empty state: step 0, one zero-filled slot of <paramref name="length"/> elements per name. Optimizers make theirs with <see cref="IOptimizer.Init{T}"/>; use this constructor to rebuild a saved state before copying its slots back.</summary>
    /// <param name="optimizer">The optimizer name, e.g. "adam" (must match <see cref="IOptimizer.Name"/> for Update to accept the state).</param>
    /// <param name="length">Elements of the parameter tensor and of every slot, &gt;= 0.</param>
    /// <param name="slotNames">The slot names in order (copied), e.g. ["m", "v"].</param>
    public OptimizerState(string optimizer, int length, IReadOnlyList<string> slotNames)
    {
        ArgumentException.ThrowIfNullOrEmpty(optimizer);
        Guard.NonNegative(length, nameof(length));
        Optimizer = optimizer;
        Length = length;
        SlotNames = slotNames.ToArray();
        _slots = new ArraySegment<T>[SlotNames.Count];
        for (int i = 0; i < _slots.Length; i++) _slots[i] = AlignedBuffer.Allocate<T>(length);
    }

    /// <summary>Which optimizer (and variant) this state belongs to, e.g. "adam".</summary>
    public string Optimizer { get; }

    /// <summary>Length of the parameter tensor and of every slot.</summary>
    public int Length { get; }

    /// <summary>Updates applied so far (t in the papers is Step after the increment, 1-based).</summary>
    public long Step { get; set; }

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

    /// <summary>A deep copy (same step, same slot bits).</summary>
    public OptimizerState<T> Clone()
    {
        var copy = new OptimizerState<T>(Optimizer, Length, SlotNames) { Step = Step };
        for (int i = 0; i < _slots.Length; i++) _slots[i].AsSpan().CopyTo(copy._slots[i]);
        return copy;
    }

    /// <summary>True when both states have the same optimizer, step, slots and bits in every slot.</summary>
    public bool BitEquals(OptimizerState<T> other)
    {
        if (Optimizer != other.Optimizer || Step != other.Step || Length != other.Length
            || !SlotNames.SequenceEqual(other.SlotNames)) return false;
        for (int i = 0; i < _slots.Length; i++)
            if (!System.Runtime.InteropServices.MemoryMarshal.AsBytes(_slots[i].AsSpan())
                    .SequenceEqual(System.Runtime.InteropServices.MemoryMarshal.AsBytes(other._slots[i].AsSpan())))
                return false;
        return true;
    }
}
