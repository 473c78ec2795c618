using BenchmarkDotNet.Running;
using NetNumerics.Bench.Nn;

if (args.Length > 0 && args[0] == "--layers")
{
    CnnLayerProfile.Run(args.Length > 1 ? int.Parse(args[1]) : 5, args.Length > 2 ? int.Parse(args[2]) : 10);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
