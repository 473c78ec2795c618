using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetNumerics.Fast.Kernels;

/// <summary>
/// A schedule formula of the step t (as a double) made only of correctly rounded operations
/// (+, -, *, /, sqrt, min, max, floor, abs, and selects between them), written once for a scalar and once for eight lanes in the same order.
/// </summary>
internal interface IStepFormula
{
    double Invoke(double t);
    Vector512<double> Invoke(Vector512<double> t);
}

/// <summary>
/// One fused pass: destination[i] = formula(firstStep + i). The lanes hold the steps as exact doubles
/// (t and t + 8 are integers below 2^53, so the increment is exact and equals (double)(firstStep + i));
/// each lane then performs the Reference's operations in the Reference's order, so the bits are the same.
/// Ranges reaching 2^53, and widths below 512 (<see cref="SimdWidth"/>), go through the scalar form, which converts each
/// step as the Reference does.
/// </summary>
internal static class StepKernel
{
    const long ExactIntegers = 1L << 53;

    /// <summary>Tests only: take the Vector512 path even where the CPU has no 512-bit vectors or a <see cref="SimdWidth"/> cap
    /// is below 512 (.NET then runs the same IEEE operation per lane in software), so the vector formulas are checked on
    /// every machine. Per thread.</summary>
    [ThreadStatic] internal static bool ForceVector512;

    public static void Fill<TFormula>(long firstStep, Span<double> destination, TFormula formula) where TFormula : struct, IStepFormula
    {
        int i = 0, n = destination.Length;
        ref double d = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(destination);
        if ((SimdWidth.Current == VectorWidth.Bits512 || ForceVector512) && n >= Vector512<double>.Count && firstStep + n < ExactIntegers)
        {
            double f = firstStep;
            var t = Vector512.Create(f, f + 1, f + 2, f + 3, f + 4, f + 5, f + 6, f + 7);
            var eight = Vector512.Create(8.0);
            for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
            {
                formula.Invoke(t).StoreUnsafe(ref d, (nuint)i);
                t += eight;
            }
        }
        for (; i < n; i++) Unsafe.Add(ref d, i) = formula.Invoke((double)(firstStep + i));
    }
}
