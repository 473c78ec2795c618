using BenchmarkDotNet.Running;

namespace NetNumerics.Bench.Peer;

static class Program
{
    /// <summary>`--paired THREADS [ROUNDS]`: alternating untimed-by-BDN check (see <see cref="PairedSteps"/>); otherwise BenchmarkDotNet.</summary>
    static void Main(string[] args)
    {
        if (args is ["--paired", ..])
        {
            PairedSteps.Run(args.Length > 1 ? int.Parse(args[1]) : 1, args.Length > 2 ? int.Parse(args[2]) : 40);
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
