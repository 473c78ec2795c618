using BenchmarkDotNet.Running;

namespace NetNumerics.Bench.Peer;

static class Program
{
    /// <summary>`--check`: a few untimed steps of both trainers on one batch (both losses must fall), else BenchmarkDotNet.</summary>
    static void Main(string[] args)
    {
        if (args is ["--check", ..]) { SmokeCheck.Run(args.Length > 1 ? int.Parse(args[1]) : 1); return; }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
