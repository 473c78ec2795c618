using System.Runtime.CompilerServices;

namespace NetNumerics;

/// <summary>
/// Arrays whose first element sits on a 64-byte boundary (one cache line, one Vector512).
/// Vector512 loops over misaligned memory split a cache line on every load and store and run about half as fast,
/// so optimizer state and model tensors are allocated here.
/// The backing array lives on the pinned object heap, so the GC never moves it and the
/// alignment holds for its lifetime. The result is an ordinary <see cref="ArraySegment{T}"/>.
/// </summary>
internal static class AlignedBuffer
{
    public const int Alignment = 64;

    public static unsafe ArraySegment<T> Allocate<T>(int length) where T : unmanaged
    {
        Guard.NonNegative(length, nameof(length));
        int pad = Alignment / sizeof(T);
        var backing = GC.AllocateArray<T>(length + pad, pinned: true);
        nint address = (nint)Unsafe.AsPointer(ref backing[0]);
        int offset = (int)((Alignment - (address % Alignment)) % Alignment) / sizeof(T);
        return new ArraySegment<T>(backing, offset, length);
    }
}
