namespace NetNumerics.Distributed;

/// <summary>
/// The processes (ranks) of one data-parallel job and the two collective operations training needs. Every rank calls
/// the same operations in the same order; a call returns on a rank only once every rank has made it.
/// <see cref="SingleProcess.Instance"/> is the job of one process; the MPI implementation is
/// <c>NetNumerics.Training.Distributed.MpiCommunicator</c>.
/// </summary>
public interface ICommunicator
{
    /// <summary>This process's index in the job, 0 &lt;= Rank &lt; Size; rank 0 is the one that writes files.</summary>
    int Rank { get; }

    /// <summary>Processes in the job, &gt;= 1.</summary>
    int Size { get; }

    /// <summary>
    /// Gathers every rank's <paramref name="mine"/> into <paramref name="all"/> on every rank: rank r's elements
    /// (<paramref name="counts"/>[r] of them; <c>mine.Length</c> must equal <c>counts[Rank]</c>) follow those of ranks 0..r-1.
    /// The bytes arrive unchanged (no conversion, NaN payloads kept).
    /// </summary>
    /// <param name="mine">This rank's elements.</param>
    /// <param name="all">Receives the elements of all ranks, in rank order; at least the sum of <paramref name="counts"/> long.</param>
    /// <param name="counts">Elements per rank, the same array on every rank, <c>Size</c> entries.</param>
    void AllGather<T>(ReadOnlySpan<T> mine, Span<T> all, ReadOnlySpan<int> counts) where T : unmanaged;

    /// <summary>Returns once every rank has called it.</summary>
    void Barrier();
}
