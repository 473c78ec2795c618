using System.Diagnostics;

namespace NetNumerics.Bench.Peer;

/// <summary>
/// `--paired THREADS [ROUNDS]`: a check and a load-robust second measurement beside BenchmarkDotNet. Both trainers run
/// in one process with THREADS threads and train on the same fixed batch of 250, ALTERNATING one Fast step and one
/// TorchSharp step per round, so the two see the same background load (the 2-core machine is shared). After 5
/// untimed warm-up rounds it prints the first and last loss of each (both start near ln 10 = 2.30 and must fall: the
/// models really train) and, for each, the median wall time and the median process CPU time (all threads, user+system;
/// less sensitive to being descheduled, but it counts spin-waiting) of a step, and the medians of the per-round ratios
/// TorchSharp / Fast. Between steps it sleeps GAP_MS (untimed): libtorch's OpenMP workers spin-wait for some
/// milliseconds after a parallel region, and on 2 cores with 2 threads that spinning took a core from the Fast step that
/// followed (its median 34.8 ms paired against 30.7 ms alone in BenchmarkDotNet); after the gap each step starts on idle
/// cores, as it does in its own process.
/// </summary>
static class PairedSteps
{
    /// <summary>Untimed pause between two steps, long enough for a spinning OpenMP (or .NET) worker to go to sleep.</summary>
    public const int DefaultGapMs = 50;

    public static void Run(int threads, int rounds, int gapMs)
    {
        TorchTrainer.SetThreads(threads);
        var (x, y) = SyntheticMnist.Make(SyntheticMnist.Batch);
        var fast = new FastTrainer(threads);
        using var torchTrainer = new TorchTrainer(x, y);
        Console.WriteLine($"threads {threads}, {gapMs} ms untimed gap between steps; parameters: Fast {fast.ParameterCount}, TorchSharp {torchTrainer.ParameterCount}");
        const int warmup = 5;
        var fastMs = new double[rounds]; var torchMs = new double[rounds]; var ratio = new double[rounds];
        var fastSys = new double[rounds]; var torchSys = new double[rounds];
        var fastCpu = new double[rounds]; var torchCpu = new double[rounds]; var cpuRatio = new double[rounds];
        double firstFast = 0, firstTorch = 0, lastFast = 0, lastTorch = 0;
        for (int r = -warmup; r < rounds; r++)
        {
            var s0 = Environment.CpuUsage.PrivilegedTime; var c0 = Environment.CpuUsage.TotalTime; long t0 = Stopwatch.GetTimestamp();
            double lf = fast.Step(x, y, 0) / SyntheticMnist.Batch;
            var s1 = Environment.CpuUsage.PrivilegedTime; var c1 = Environment.CpuUsage.TotalTime; long t1 = Stopwatch.GetTimestamp();
            if (gapMs > 0) Thread.Sleep(gapMs);
            var s1b = Environment.CpuUsage.PrivilegedTime; var c1b = Environment.CpuUsage.TotalTime; long t1b = Stopwatch.GetTimestamp();
            double lt = torchTrainer.Step(0);
            var s2 = Environment.CpuUsage.PrivilegedTime; var c2 = Environment.CpuUsage.TotalTime; long t2 = Stopwatch.GetTimestamp();
            if (gapMs > 0) Thread.Sleep(gapMs);
            if (r == -warmup) { firstFast = lf; firstTorch = lt; }
            lastFast = lf; lastTorch = lt;
            if (r < 0) continue;
            fastMs[r] = Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds;
            torchMs[r] = Stopwatch.GetElapsedTime(t1b, t2).TotalMilliseconds;
            ratio[r] = torchMs[r] / fastMs[r];
            fastCpu[r] = (c1 - c0).TotalMilliseconds;
            torchCpu[r] = (c2 - c1b).TotalMilliseconds;
            cpuRatio[r] = torchCpu[r] / fastCpu[r];
            fastSys[r] = (s1 - s0).TotalMilliseconds;
            torchSys[r] = (s2 - s1b).TotalMilliseconds;
        }
        Console.WriteLine($"mean loss, first -> last step: Fast {firstFast:F4} -> {lastFast:F4}, TorchSharp {firstTorch:F4} -> {lastTorch:F4}");
        Console.WriteLine($"{rounds} paired steps of 250, wall: median Fast {Median(fastMs):F1} ms, TorchSharp {Median(torchMs):F1} ms, " +
                          $"median ratio TorchSharp/Fast {Median(ratio):F2} (min Fast {fastMs.Min():F1}, min TorchSharp {torchMs.Min():F1})");
        Console.WriteLine($"{rounds} paired steps of 250, CPU:  median Fast {Median(fastCpu):F1} ms, TorchSharp {Median(torchCpu):F1} ms, " +
                          $"median ratio TorchSharp/Fast {Median(cpuRatio):F2}; of which system (kernel: page faults...) " +
                          $"Fast {Median(fastSys):F1} ms, TorchSharp {Median(torchSys):F1} ms");
    }

    static double Median(double[] a)
    {
        var s = a.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }
}
