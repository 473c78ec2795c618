namespace NetNumerics.Distributed;

/// <summary>The job of one process: rank 0 of 1; a gather copies, a barrier returns at once.</summary>
public sealed class SingleProcess : ICommunicator
{
    SingleProcess() { }

    /// <summary>The one instance.</summary>
    public static SingleProcess Instance { get; } = new();

    /// <inheritdoc />
    public int Rank => 0;

    /// <inheritdoc />
    public int Size => 1;

    /// <inheritdoc />
    public void AllGather<T>(ReadOnlySpan<T> mine, Span<T> all, ReadOnlySpan<int> counts) where T : unmanaged
    {
        if (counts.Length != 1 || counts[0] != mine.Length)
            throw new ArgumentException($"counts must be [{mine.Length}] (one process), but has {counts.Length} entries.", nameof(counts));
        mine.CopyTo(all);
    }

    /// <inheritdoc />
    public void Barrier() { }
}
