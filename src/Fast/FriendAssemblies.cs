using System.Runtime.CompilerServices;

// The tests, the benchmarks and the `numerics bench` command use the kernels' internals (the vector idiom, the driver, the
// worker pool and the machine probes in Kernels/Probes).
[assembly: InternalsVisibleTo("NetNumerics.Properties")]
[assembly: InternalsVisibleTo("NetNumerics.Bench")]
[assembly: InternalsVisibleTo("numerics")]
