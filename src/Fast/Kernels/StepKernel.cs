using System.Runtime.CompilerServices;

namespace NetNumerics.Fast.Kernels;

/// <summary>
/// A schedule formula of the step t (as a double) made only of correctly rounded operations (+, -, *, /, sqrt, min, max,
/// floor, abs, and selects between them), written once over <see cref="IVec{TSelf, T}"/>: the same code runs on one lane
/// (<see cref="Lane{T}"/>, the schedule's At) and on Vector512/256/128 lanes (the range fill), in the Reference's order.
/// </summary>
internal interface IStepFormula
{
    TV Invoke<TV>(TV t) where TV : struct, IVec<TV, double>;
}

/// <summary>
/// One fused pass: destination[i] = formula(firstStep + i), through <see cref="KernelDriver"/> at the width
/// <see cref="SimdWidth.Current"/> gives (every width the CPU has), one-lane tail. Each vector's lanes hold the steps as
/// exact doubles, <c>(double)(firstStep + i) + (0, 1, ..., Count - 1)</c>: below 2^53 every integer is a double, so the
/// sum is exact and equals the Reference's <c>(double)(firstStep + i + k)</c>; each lane then performs the Reference's
/// operations in the Reference's order, so every element has the Reference's bits at every width. Ranges reaching 2^53
/// run on one lane, which converts each step as the Reference does.
/// </summary>
internal static class StepKernel
{
    const long ExactIntegers = 1L << 53;

    /// <summary>Tests only: run the range fill at this width even where the CPU does not accelerate it (.NET then runs the
    /// same IEEE operation per lane in software), so every width's instantiation is checked on every machine. Per thread;
    /// null = <see cref="SimdWidth.Current"/>.</summary>
    [ThreadStatic] internal static VectorWidth? ForceWidth;

    /// <summary>The formula at one step, on one lane: the schedule's At.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double At<TFormula>(in TFormula formula, long step) where TFormula : struct, IStepFormula =>
        formula.Invoke(Lane<double>.Create(step)).Value;

    public static unsafe void Fill<TFormula>(long firstStep, Span<double> destination, TFormula formula) where TFormula : struct, IStepFormula
    {
        VectorWidth width = firstStep + destination.Length >= ExactIntegers ? VectorWidth.Scalar : ForceWidth ?? SimdWidth.Current;
        fixed (double* d = destination)
        {
            var k = new FillKernel<TFormula> { D = d, First = firstStep, Formula = formula };
            KernelDriver.RunAt<double, FillKernel<TFormula>>(ref k, destination.Length, width);
        }
    }

    unsafe struct FillKernel<TFormula> : IKernel<double> where TFormula : struct, IStepFormula
    {
        public double* D;
        public long First;
        public TFormula Formula;

        // Not readonly: a readonly Apply would copy Formula (a generic struct) before each call to it.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply<TV>(nint i) where TV : struct, IVec<TV, double> =>
            Formula.Invoke(TV.Create(First + i) + TV.Indices).Store(D + i);
    }
}
