namespace NetNumerics.Training.Distributed;

/// <summary>Where one rank runs: its process id and host name (exchanged at start, so a message can name a rank).</summary>
/// <param name="Rank">The rank.</param>
/// <param name="ProcessId">Its process id on <paramref name="Host"/>.</param>
/// <param name="Host">The machine it runs on.</param>
public readonly record struct MpiPeer(int Rank, int ProcessId, string Host)
{
    /// <summary>"rank 1 (pid 3316 on node7)".</summary>
    public override string ToString() => $"rank {Rank} (pid {ProcessId} on {Host})";
}
