using System.Diagnostics;

namespace NetNumerics.Bench.Peer;

/// <summary>
/// `--paired THREADS [ROUNDS]`: a check and a load-robust second measurement beside BenchmarkDotNet. Both trainers run
/// in one process with THREADS threads and train on the same fixed batch of 250, ALTERNATING one Fast step and one
/// TorchSharp step per round, so the two see the same background load (the 2-core machine is shared). After 5
/// untimed warm-up rounds it prints the first and last loss of each (both start near ln 10 = 2.30 and must fall: the
/// models really train) and the median step time of each and the median of the per-round ratios TorchSharp / Fast.
/// </summary>
static class PairedSteps
{
    public static void Run(int threads, int rounds)
    {
        TorchTrainer.SetThreads(threads);
        var (x, y) = SyntheticMnist.Make(SyntheticMnist.Batch);
        var fast = new FastTrainer(threads);
        using var torchTrainer = new TorchTrainer(x, y);
        Console.WriteLine($"threads {threads}; parameters: Fast {fast.ParameterCount}, TorchSharp {torchTrainer.ParameterCount}");
        const int warmup = 5;
        var fastMs = new double[rounds]; var torchMs = new double[rounds]; var ratio = new double[rounds];
        double firstFast = 0, firstTorch = 0, lastFast = 0, lastTorch = 0;
        for (int r = -warmup; r < rounds; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            double lf = fast.Step(x, y, 0) / SyntheticMnist.Batch;
            long t1 = Stopwatch.GetTimestamp();
            double lt = torchTrainer.Step(0);
            long t2 = Stopwatch.GetTimestamp();
            if (r == -warmup) { firstFast = lf; firstTorch = lt; }
            lastFast = lf; lastTorch = lt;
            if (r < 0) continue;
            fastMs[r] = Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds;
            torchMs[r] = Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds;
            ratio[r] = torchMs[r] / fastMs[r];
        }
        Console.WriteLine($"mean loss, first -> last step: Fast {firstFast:F4} -> {lastFast:F4}, TorchSharp {firstTorch:F4} -> {lastTorch:F4}");
        Console.WriteLine($"{rounds} paired steps of 250: median Fast {Median(fastMs):F1} ms, TorchSharp {Median(torchMs):F1} ms, " +
                          $"median per-round ratio TorchSharp/Fast {Median(ratio):F2} (min Fast {fastMs.Min():F1}, min TorchSharp {torchMs.Min():F1})");
    }

    static double Median(double[] a)
    {
        var s = a.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }
}
