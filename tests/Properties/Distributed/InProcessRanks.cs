using System.Runtime.InteropServices;
using NetNumerics.Distributed;

namespace NetNumerics.Properties.Distributed;

/// <summary>
/// The ranks of a data-parallel job as threads of this process, joined by a barrier: the same collective semantics as
/// MPI (every rank calls the same operations in the same order; a gather returns everyone's bytes in rank order), so the
/// model's and the trainer's rank logic can be proved fast, without a launcher. <see cref="Run"/> runs one body per rank
/// and rethrows the first failure; a rank that throws breaks the barrier for the others (no hang).
/// </summary>
sealed class InProcessRanks
{
    readonly Barrier barrier;
    readonly byte[][] slots;
    static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);   // a hang guard on a loaded machine, not a speed check

    public InProcessRanks(int size)
    {
        barrier = new Barrier(size);
        slots = new byte[size][];
        Members = Enumerable.Range(0, size).Select(r => (ICommunicator)new Member(this, r, size)).ToArray();
    }

    public ICommunicator[] Members { get; }

    void Wait()
    {
        if (!barrier.SignalAndWait(Patience)) throw new TimeoutException("a rank did not reach the collective");
    }

    /// <summary>Runs body(rank) on one thread per rank; returns their results in rank order.</summary>
    public static T[] Run<T>(int size, Func<ICommunicator, T> body)
    {
        var ranks = new InProcessRanks(size);
        var results = new T[size];
        var errors = new Exception?[size];
        var threads = Enumerable.Range(0, size).Select(r => new Thread(() =>
        {
            try { results[r] = body(ranks.Members[r]); }
            catch (Exception e) { errors[r] = e; ranks.barrier.Dispose(); }   // the others' Wait then throws instead of hanging
        }, 16 << 20)).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        var first = errors.FirstOrDefault(e => e is not null and not ObjectDisposedException) ?? errors.FirstOrDefault(e => e is not null);
        if (first is not null) throw new AggregateException(first);
        return results;
    }

    sealed class Member(InProcessRanks group, int rank, int size) : ICommunicator
    {
        public int Rank => rank;
        public int Size => size;

        public void AllGather<T>(ReadOnlySpan<T> mine, Span<T> all, ReadOnlySpan<int> counts) where T : unmanaged
        {
            if (counts.Length != size || counts[rank] != mine.Length) throw new ArgumentException("counts do not match", nameof(counts));
            group.slots[rank] = MemoryMarshal.AsBytes(mine).ToArray();
            group.Wait();
            int at = 0;
            for (int q = 0; q < size; q++)
            {
                var part = MemoryMarshal.Cast<byte, T>(group.slots[q]);
                if (part.Length != counts[q]) throw new InvalidOperationException($"rank {q} sent {part.Length} elements, counts say {counts[q]}");
                part.CopyTo(all[at..]);
                at += part.Length;
            }
            group.Wait();   // nobody overwrites a slot before everyone has read it
        }

        public void Barrier() => group.Wait();
    }
}
