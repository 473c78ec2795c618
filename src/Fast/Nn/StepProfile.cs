using System.Diagnostics;

namespace NetNumerics.Fast;

/// <summary>
/// Opt-in timing of <see cref="FastModel.TrainStep"/> for benchmarks (<see cref="FastModel.EnableProfiling"/>): Stopwatch
/// ticks per layer and direction, summed over the chunks each worker ran, plus the model's serial phases. Off by default;
/// when on it costs two timestamps per layer call (about 1,600 per step of 250).
/// </summary>
internal sealed class StepProfile
{
    /// <summary>Serial phases of a step, in order.</summary>
    public enum Phase { Load, Chunks, Reduce, DenseBlocks, Publish }

    readonly long[][] workerTicks;
    readonly long[] phaseTicks = new long[Enum.GetValues<Phase>().Length];

    public StepProfile(int layers, int workers)
    {
        Layers = layers;
        workerTicks = new long[workers][];
        for (int w = 0; w < workers; w++) workerTicks[w] = new long[Slots];
    }

    public int Layers { get; }
    /// <summary>Slot 2i: forward of layer i; 2i + 1: its backward; 2L: softmax and loss; 2L + 1: whole-batch dense dW blocks.</summary>
    public int Slots => 2 * Layers + 2;
    public int SoftmaxSlot => 2 * Layers;
    public int DenseBlockSlot => 2 * Layers + 1;

    public long[] Worker(int w) => workerTicks[w];

    /// <summary>Thread-seconds per slot, summed over workers.</summary>
    public double[] SlotSeconds()
    {
        var s = new double[Slots];
        foreach (var t in workerTicks)
            for (int i = 0; i < s.Length; i++) s[i] += t[i] / (double)Stopwatch.Frequency;
        return s;
    }

    public double PhaseSeconds(Phase p) => phaseTicks[(int)p] / (double)Stopwatch.Frequency;

    public void Reset()
    {
        foreach (var t in workerTicks) Array.Clear(t);
        Array.Clear(phaseTicks);
    }

    public void AddPhase(Phase p, ref long since)
    {
        long now = Stopwatch.GetTimestamp();
        phaseTicks[(int)p] += now - since;
        since = now;
    }

    /// <summary>The timestamp when profiling (ticks not null), else 0 (no clock read).</summary>
    public static long Start(long[]? ticks) => ticks != null ? Stopwatch.GetTimestamp() : 0;

    /// <summary>Add the time since <paramref name="since"/> to slot and restart the clock; nothing when not profiling.</summary>
    public static void Add(long[]? ticks, int slot, ref long since)
    {
        if (ticks == null) return;
        long now = Stopwatch.GetTimestamp();
        ticks[slot] += now - since;
        since = now;
    }
}
