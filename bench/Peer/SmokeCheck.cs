using System.Diagnostics;

namespace NetNumerics.Bench.Peer;

/// <summary>
/// Untimed sanity check that both trainers really train the same-sized model: 20 steps on one fixed batch (which a
/// CNN memorizes), printing the mean loss of each (both start near ln 10 = 2.30 and must fall) and a rough time.
/// </summary>
static class SmokeCheck
{
    public static void Run(int threads)
    {
        TorchTrainer.SetThreads(threads);
        var (x, y) = SyntheticMnist.Make(SyntheticMnist.Batch);
        var fast = new FastTrainer(threads);
        using var torchTrainer = new TorchTrainer(x, y);
        Console.WriteLine($"threads {threads}; parameters: Fast {fast.ParameterCount}, TorchSharp {torchTrainer.ParameterCount}");
        for (int s = 0; s < 20; s++)
        {
            var t0 = Stopwatch.GetTimestamp();
            double lf = fast.Step(x, y, 0) / SyntheticMnist.Batch;
            var t1 = Stopwatch.GetTimestamp();
            double lt = torchTrainer.Step(0);
            var t2 = Stopwatch.GetTimestamp();
            Console.WriteLine($"step {s,2}: Fast loss {lf:F4} ({Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds,6:F1} ms)   TorchSharp loss {lt:F4} ({Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds,6:F1} ms)");
        }
    }
}
