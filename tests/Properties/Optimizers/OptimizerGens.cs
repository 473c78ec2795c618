using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using NetNumerics.Optimizers;
using NetNumerics.Testing;

namespace NetNumerics.Properties.Optimizers;

/// <summary>Generators for optimizer properties: option records (from the kit), lengths and seeded inputs.</summary>
static class OptimizerGens
{
    /// <summary>
    /// Every optimizer and variant with hyperparameters anywhere in their valid ranges (the kit's
    /// <see cref="HyperGen"/>), except an epsilon that rounds to 0 or to infinity in float: the laws below divide by it
    /// (0/0 and inf/inf are NaN, which the Reference documents and FastMatchesReferenceProperties covers).
    /// </summary>
    public static readonly Gen<IOptimizerOptions> Any = HyperGen.AnyOptimizer.Where(EpsilonUsableInFloat);

    /// <summary>Adam, AMSGrad and AdamW, epsilon positive and finite in float.</summary>
    public static readonly Gen<IOptimizerOptions> Adam = HyperGen.Adam.Where(EpsilonUsableInFloat);

    static bool EpsilonUsableInFloat(IOptimizerOptions o) => o switch
    {
        AdamOptions x => Usable(x.Epsilon), AdamWOptions x => Usable(x.Epsilon), AdagradOptions x => Usable(x.Epsilon),
        AdadeltaOptions x => Usable(x.Epsilon), RmspropOptions x => Usable(x.Epsilon), AdamaxOptions x => Usable(x.Epsilon),
        NadamOptions x => Usable(x.Epsilon), RadamOptions x => Usable(x.Epsilon), _ => true,
    };

    static bool Usable(double epsilon) => (float)epsilon > 0 && float.IsFinite((float)epsilon);

    /// <summary>Lengths: 0, 1, around every vector width (2..16 floats per vector), and up to tens of thousands.</summary>
    public static readonly Gen<int> Length = Gen.Frequency(
        (3, Gen.Elements(0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 63, 64, 65, 127, 129)),
        (4, Gen.Choose(0, 400)),
        (1, Gen.Choose(400, 30_000)));

    /// <summary>A random finite value: sign, magnitude over several decades, some exact zeros of both signs.</summary>
    public static T Value<T>(ulong seed, ulong stream, ulong index) where T : IFloatingPointIeee754<T>
    {
        ulong bits = CounterRng.Bits(seed, stream, index);
        if (bits % 23 == 0) return (bits & 0x100) == 0 ? T.Zero : T.NegativeZero;
        double u = CounterRng.Uniform(seed, stream + 1000, index) * 2 - 1;
        double scale = Math.Pow(10, (int)(bits % 7) - 3);   // 1e-3 .. 1e3
        return T.CreateTruncating(u * scale);
    }

    public static T[] Values<T>(int n, ulong seed, ulong stream) where T : IFloatingPointIeee754<T>
    {
        var a = new T[n];
        for (int i = 0; i < n; i++) a[i] = Value<T>(seed, stream, (ulong)i);
        return a;
    }

    /// <summary>Learning rate for a step: 0 sometimes, else 10^[-4, 0].</summary>
    public static double LearningRate(ulong seed, int step)
    {
        double u = CounterRng.Uniform(seed, 77, (ulong)step);
        return u < 0.05 ? 0 : Math.Pow(10, -4 + 4 * u);
    }

    public static string Show(IOptimizerOptions o) => o.ToString()!;
}
