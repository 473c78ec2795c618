using BenchmarkDotNet.Running;

namespace NetNumerics.Bench.Peer;

static class Program
{
    /// <summary>`--paired THREADS [ROUNDS] [GAP_MS]`: alternating untimed-by-BDN check (see <see cref="PairedSteps"/>);
    /// otherwise BenchmarkDotNet.</summary>
    static int Main(string[] args)
    {
        if (args is ["--paired", ..])
        {
            if (args.Length > 4
                || !Count(args, 1, "THREADS", 1, 1, 64, out int threads) || !Count(args, 2, "ROUNDS", 40, 1, 100_000, out int rounds)
                || !Count(args, 3, "GAP_MS", PairedSteps.DefaultGapMs, 0, 10_000, out int gap))
            {
                if (args.Length > 4) Console.Error.WriteLine($"--paired takes THREADS [ROUNDS] [GAP_MS]; got {args.Length - 1} values.");
                return 2;
            }
            PairedSteps.Run(threads, rounds, gap);
            return 0;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }

    /// <summary>args[i] as a whole number in [min, max] (fallback when absent), else one line on stderr and false.</summary>
    static bool Count(string[] args, int i, string name, int fallback, int min, int max, out int value)
    {
        value = fallback;
        if (args.Length <= i) return true;
        if (int.TryParse(args[i], out value) && value >= min && value <= max) return true;
        Console.Error.WriteLine($"--paired {name}: '{args[i]}' is not a whole number from {min} to {max}.");
        return false;
    }
}
