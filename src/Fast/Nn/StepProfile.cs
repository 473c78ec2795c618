using System.Diagnostics;
using NetNumerics.Nn;
using System.Runtime.InteropServices;

namespace NetNumerics.Fast.Nn;

/// <summary>
/// Opt-in timing of <see cref="FastModel.TrainStep(ReadOnlySpan{float}, ReadOnlySpan{int}, ulong, long, MicroBatch)"/> for benchmarks (<see cref="FastModel.EnableProfiling"/>): per layer and
/// direction, summed over the items each worker ran, the CPU time of the worker's thread (CLOCK_THREAD_CPUTIME_ID on Linux,
/// so time the thread spent descheduled on a shared machine is not counted; elsewhere Stopwatch wall time), plus the
/// model's serial phases (wall time). Off by default; when on, one clock read per layer call (about 1,600 per step of 250).
/// </summary>
internal sealed unsafe class StepProfile
{
    [StructLayout(LayoutKind.Sequential)] struct TimeSpec { public long Seconds, Nanoseconds; }
    [DllImport("libc", EntryPoint = "clock_gettime")] static extern int ClockGetTime(int clock, TimeSpec* t);
    const int ClockThreadCpuTime = 3;
    static readonly bool ThreadClock = OperatingSystem.IsLinux() && Probe();
    static bool Probe() { try { TimeSpec t; return ClockGetTime(ClockThreadCpuTime, &t) == 0; } catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return false; } }

    /// <summary>Units of the per-layer slots per second.</summary>
    static double SlotFrequency => ThreadClock ? 1e9 : Stopwatch.Frequency;

    /// <summary>Whether the per-layer slots are thread CPU time (else wall time).</summary>
    public static bool SlotsAreCpuTime => ThreadClock;

    static long Now()
    {
        if (!ThreadClock) return Stopwatch.GetTimestamp();
        TimeSpec t;
        ClockGetTime(ClockThreadCpuTime, &t);
        return t.Seconds * 1_000_000_000 + t.Nanoseconds;
    }

    /// <summary>Serial phases of a step, in order.</summary>
    public enum Phase { Load, ChunksForward, Rows, ChunksBackward, Reduce, Publish }

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

    /// <summary>Seconds per slot (thread CPU or wall, see <see cref="SlotsAreCpuTime"/>), summed over workers.</summary>
    public double[] SlotSeconds()
    {
        var s = new double[Slots];
        foreach (var t in workerTicks)
            for (int i = 0; i < s.Length; i++) s[i] += t[i] / SlotFrequency;
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

    /// <summary>The slot clock when profiling (ticks not null), else 0 (no clock read).</summary>
    public static long Start(long[]? ticks) => ticks != null ? Now() : 0;

    /// <summary>Add the slot-clock time since <paramref name="since"/> to slot and restart it; nothing when not profiling.</summary>
    public static void Add(long[]? ticks, int slot, ref long since)
    {
        if (ticks == null) return;
        long now = Now();
        ticks[slot] += now - since;
        since = now;
    }
}
