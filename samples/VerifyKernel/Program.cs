using NetNumerics.Optimizers;
using NetNumerics.Reference.Optimizers;
using NetNumerics.Testing;
using VerifyKernel;

// 1. A vectorized dot product against the scalar one, within the derived bound: each is within
//    gamma_n * sum|x_i y_i| of the exact value (Higham §3.1), so they agree within twice that.
KernelCheck.Reduction<float>(2, b => MyKernels.ScalarDot(b[0], b[1]), b => MyKernels.VectorDot(b[0], b[1]),
    b => 2 * Bounds.Dot<float>(b[0], b[1]));
Console.WriteLine("dot product: within 2 gamma_n sum|x y| at every width");

// 2. A fused momentum SGD against the library's Reference Sgd, bit for bit, parameters and velocity after every
//    step, on every float class (NaN where the Reference has NaN, any payload: which one wins when two NaNs meet is
//    unspecified, so that is the kit's default; NanPolicy.PayloadExact is there when a kernel must keep NaN bits).
var sgd = new SgdOptions { Momentum = 0.9 };
OptimizerStep<float> mine = (state, p, g, lr) => { state.Step++; MyKernels.FusedSgd(p, g, state.Slot("velocity").Span, (float)lr, 0.9f); };
KernelCheck.Optimizer(new Sgd(sgd), mine);
Console.WriteLine("fused SGD: bit for bit with the Reference at every width");

// 3. The same kernel with one FMA in its 128-bit body: caught, at that width, with a shrunk case.
OptimizerStep<float> wrong = (state, p, g, lr) => { state.Step++; MyKernels.FusedSgd(p, g, state.Slot("velocity").Span, (float)lr, 0.9f, fmaAt128: true); };
try
{
    KernelCheck.Optimizer(new Sgd(sgd), wrong);
    Console.Error.WriteLine("the wrong kernel was not caught");
    return 1;
}
catch (NumericAssertException e)
{
    Console.WriteLine("the wrong kernel is caught:");
    Console.WriteLine(e.Message);
}
Console.WriteLine("all checks passed");
return 0;
