using System.Diagnostics;

namespace NetNumerics.Cli.Bench;

/// <summary>
/// The one timing rule of `numerics bench`: <c>warmup</c> untimed runs, then <c>repetitions</c> timed samples (Stopwatch), the
/// median sample reported. A sample of a short body repeats it <c>inner</c> times and is divided by <c>inner</c>.
/// </summary>
static class MedianTimer
{
    /// <summary>
    /// Runs <paramref name="body"/> at least <paramref name="calls"/> times and for at least <paramref name="seconds"/>: long
    /// enough for .NET's tiered JIT to replace a method's first code with optimized code (it counts 30 calls, then compiles
    /// in the background), which two or three calls are not.
    /// </summary>
    public static void WarmUp(Action body, int calls, double seconds)
    {
        long t0 = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls || (Stopwatch.GetElapsedTime(t0).TotalSeconds < seconds && i < 1_000_000); i++) body();
    }

    /// <summary>Median seconds of one call of <paramref name="body"/>, after <paramref name="warmup"/> untimed calls.</summary>
    public static double Seconds(Action body, int warmup, int repetitions, int inner = 1)
    {
        for (int i = 0; i < warmup; i++) body();
        var samples = new double[repetitions];
        for (int r = 0; r < repetitions; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < inner; i++) body();
            samples[r] = Stopwatch.GetElapsedTime(t0).TotalSeconds / inner;
        }
        return Median(samples);
    }

    /// <summary>One call's wall seconds and the process's CPU seconds over it (all threads; getrusage on Linux).</summary>
    public static (double Wall, double Cpu) WallAndCpu(Action body)
    {
        var c0 = Environment.CpuUsage.TotalTime;
        long t0 = Stopwatch.GetTimestamp();
        body();
        double wall = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        return (wall, (Environment.CpuUsage.TotalTime - c0).TotalSeconds);
    }

    /// <summary>Calls per sample so that one sample lasts about <paramref name="sampleSeconds"/> (one timed call decides).</summary>
    public static int InnerFor(Action body, double sampleSeconds)
    {
        body();
        long t0 = Stopwatch.GetTimestamp();
        body();
        double once = Math.Max(Stopwatch.GetElapsedTime(t0).TotalSeconds, 1e-7);
        return (int)Math.Clamp(Math.Ceiling(sampleSeconds / once), 1, 100_000);
    }

    public static double Median(IEnumerable<double> values)
    {
        var s = values.Order().ToArray();
        if (s.Length == 0) throw new ArgumentException("no samples", nameof(values));
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }
}
