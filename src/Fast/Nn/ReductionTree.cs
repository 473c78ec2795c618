using System.Numerics.Tensors;

namespace NetNumerics.Fast.Nn;

/// <summary>
/// The fixed pairwise tree in which <see cref="FastModel"/> sums the chunk gradients of a batch. Leaves are the chunks
/// 0..C-1 padded to L = a power of two; a node is (left + right), or left alone when the right subtree holds no chunk.
/// Padding with empty subtrees on the right changes nothing, so the tree (and the bits) depend only on C, never on L,
/// on the thread count or on the rank count. Rank r of R (R a power of two) owns the aligned subtree of leaves
/// [r L/R, (r+1) L/R): it sums its chunks to that subtree's root, the ranks gather their roots, and every rank sums the
/// roots in the same tree, which is the top of the one-process tree. IEEE addition is commutative, so only the tree's
/// shape fixes the result.
/// </summary>
internal static unsafe class ReductionTree
{
    /// <summary>L: the smallest power of two &gt;= max(chunks, ranks).</summary>
    public static int Leaves(int chunks, int ranks) => (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(Math.Max(chunks, ranks), 1));

    /// <summary>Chunks [Start, End) of rank <paramref name="rank"/> (empty when its subtree holds none of the C chunks).</summary>
    public static (int Start, int End) ChunksOf(int rank, int ranks, int chunks)
    {
        int per = Leaves(chunks, ranks) / ranks;
        int start = Math.Min(rank * per, chunks);
        return (start, Math.Min(start + per, chunks));
    }

    /// <summary>
    /// Sums the subtree of <paramref name="size"/> leaves starting at <paramref name="first"/> (leaves at or past
    /// <paramref name="present"/> are empty) into leaf <paramref name="first"/>'s buffer, element range [from, from + length).
    /// Leaf i's buffer starts at <paramref name="buffers"/> + i * <paramref name="stride"/>; the other leaves' buffers are overwritten.
    /// </summary>
    public static void Sum(float* buffers, long stride, int first, int size, int present, int from, int length)
    {
        int end = Math.Min(first + size, present);
        for (int width = 1; width < size; width *= 2)
            for (int i = first; i + width < end; i += 2 * width)
            {
                var left = new Span<float>(buffers + i * stride + from, length);
                TensorPrimitives.Add(left, new ReadOnlySpan<float>(buffers + (i + width) * stride + from, length), left);
            }
    }
}
