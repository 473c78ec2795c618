using System.Runtime.InteropServices;
using NetNumerics.Distributed;
using NetNumerics.Nn;
using NetNumerics.Optimizers;

namespace NetNumerics.Training.Distributed;

/// <summary>
/// What the ranks of a data-parallel job agree on beyond the gradient: that their weights and optimizer states are still
/// bit-identical (a 64-bit hash per rank, gathered once per epoch: 8 bytes per rank), and whether any rank was asked to stop
/// (one byte per rank per step), so every rank stops after the same batch.
/// </summary>
public static class RankAgreement
{
    /// <summary>
    /// FNV-1a over the bits of every weight, every optimizer slot and every step count, in model order: equal on two ranks
    /// exactly when (with overwhelming probability) they hold the same bits. One pass over about 3x the parameter count
    /// (a few milliseconds for the seed CNN with Adam), once per epoch.
    /// </summary>
    /// <param name="parameters">The model's tensors.</param>
    /// <param name="states">The optimizer state of each tensor (may be empty).</param>
    public static ulong Hash(IReadOnlyList<Parameter> parameters, IReadOnlyList<OptimizerState<float>> states)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(states);
        ulong h = 14695981039346656037UL;
        static ulong Mix(ulong h, ReadOnlySpan<float> values)
        {
            foreach (uint bits in MemoryMarshal.Cast<float, uint>(values)) h = (h ^ bits) * 1099511628211UL;
            return h;
        }
        foreach (var p in parameters) h = Mix(h, p.Values.Span);
        foreach (var s in states)
        {
            h = (h ^ (ulong)s.Step) * 1099511628211UL;
            for (int i = 0; i < s.SlotNames.Count; i++) h = Mix(h, s.SlotAt(i).Span);
        }
        return h;
    }

    /// <summary>
    /// Gathers every rank's <see cref="Hash"/> and throws an <see cref="MpiException"/> naming the ranks whose weights differ
    /// from rank 0's. Every rank calls it at the same point (the trainer: after every epoch).
    /// </summary>
    /// <param name="ranks">The job.</param>
    /// <param name="parameters">The model's tensors.</param>
    /// <param name="states">Their optimizer states.</param>
    /// <param name="when">Where in the run, for the message ("after epoch 3").</param>
    public static void CheckSameWeights(ICommunicator ranks, IReadOnlyList<Parameter> parameters, IReadOnlyList<OptimizerState<float>> states, string when)
    {
        ArgumentNullException.ThrowIfNull(ranks);
        if (ranks.Size == 1) return;
        Span<ulong> mine = [Hash(parameters, states)];
        var all = new ulong[ranks.Size];
        var counts = Enumerable.Repeat(1, ranks.Size).ToArray();
        ranks.AllGather<ulong>(mine, all, counts);
        var differ = Enumerable.Range(1, ranks.Size - 1).Where(r => all[r] != all[0]).ToArray();
        if (differ.Length > 0)
            throw new MpiException(
                $"the weights differ across ranks {when}: rank 0 has hash {all[0]:x16}, " +
                string.Join(", ", differ.Select(r => $"rank {r} {all[r]:x16}")) +
                "; the ranks must run the same build on the same data (same --data files on every machine) and the same CPU kind (vector width), or the bits drift apart.");
    }

    /// <summary>True on every rank when <paramref name="mine"/> is true on any rank (one byte per rank).</summary>
    /// <param name="ranks">The job.</param>
    /// <param name="mine">This rank's vote.</param>
    public static bool Any(ICommunicator ranks, bool mine)
    {
        ArgumentNullException.ThrowIfNull(ranks);
        if (ranks.Size == 1) return mine;
        Span<byte> vote = [(byte)(mine ? 1 : 0)];
        Span<byte> all = stackalloc byte[ranks.Size];
        Span<int> counts = stackalloc int[ranks.Size];
        counts.Fill(1);
        ranks.AllGather<byte>(vote, all, counts);
        return all.Contains((byte)1);
    }
}
