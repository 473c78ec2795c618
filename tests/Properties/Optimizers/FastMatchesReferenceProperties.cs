using NetNumerics.Fast.Kernels;
using System.Numerics;
using System.Runtime.InteropServices;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NetNumerics.Fast.Optimizers;
using NetNumerics.Optimizers;
using NetNumerics.Reference.Optimizers;
using Xunit;

namespace NetNumerics.Properties.Optimizers;

/// <summary>
/// Fast == Reference bit for bit (0 ULP): parameters and every state slot, after every step, for every
/// optimizer and variant, float and double, every vector width (512/256/128/scalar lanes), random
/// lengths, values, hyperparameters, step counts and a learning rate that changes every step.
/// Both paths apply the same IEEE operations (+,-,*,/,sqrt,max,min,abs, no FMA) in the same order to the
/// same per-step scalars, so no tolerance is needed.
/// </summary>
public class FastMatchesReferenceProperties
{
    static readonly int[] Widths = [0, 256, 128, 1];

    internal static Gen<(IOptimizerOptions Options, int Length, ulong Seed, int Steps, int Width)> Cases(Gen<IOptimizerOptions> options) =>
        from o in options
        from n in OptimizerGens.Length
        from seed in ArbMap.Default.GeneratorFor<ulong>()
        from steps in Gen.Choose(1, 8)
        from width in Gen.Elements(Widths)
        select (o, n, seed, steps, width);

    static bool SameBits<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b) where T : unmanaged =>
        MemoryMarshal.AsBytes(a).SequenceEqual(MemoryMarshal.AsBytes(b));

    static string FirstDifference<T>(T[] a, T[] b) where T : unmanaged
    {
        for (int i = 0; i < a.Length; i++)
            if (!SameBits<T>([a[i]], [b[i]])) return $"params differ first at {i}: ref {a[i]} fast {b[i]}";
        return "params equal";
    }

    internal static Property Check<T>((IOptimizerOptions Options, int Length, ulong Seed, int Steps, int Width) c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var reference = ReferenceOptimizers.For(c.Options);
        var fast = FastOptimizers.For(c.Options);
        T[] pRef = OptimizerGens.Values<T>(c.Length, c.Seed, 1), pFast = (T[])pRef.Clone();
        var sRef = reference.Init<T>(c.Length);
        var sFast = fast.Init<T>(c.Length);
        bool ok = sRef.BitEquals(sFast);
        string where = ok ? "" : "init";
        int previous = KernelDriver.MaxVectorBits;
        KernelDriver.MaxVectorBits = c.Width;
        try
        {
            for (int step = 0; step < c.Steps && ok; step++)
            {
                T[] g = OptimizerGens.Values<T>(c.Length, c.Seed, 10 + (ulong)step);
                double lr = OptimizerGens.LearningRate(c.Seed, step);
                reference.Update(sRef, pRef, g, lr);
                fast.Update(sFast, pFast, g, lr);
                ok = SameBits<T>(pRef, pFast) && sRef.BitEquals(sFast);
                if (!ok) where = $"step {step + 1} lr {lr}: {FirstDifference(pRef, pFast)}, state equal {sRef.BitEquals(sFast)}";
            }
        }
        finally { KernelDriver.MaxVectorBits = previous; }
        return ok.Label($"{typeof(T).Name} {c.Options} n={c.Length} width={c.Width} {where}");
    }

    public static IEnumerable<object[]> Optimizers() =>
        new (string, Gen<IOptimizerOptions>)[]
        {
            ("sgd", OptimizerGens.Sgd), ("adam", OptimizerGens.Adam), ("adagrad", OptimizerGens.Adagrad),
            ("adadelta", OptimizerGens.Adadelta), ("rmsprop", OptimizerGens.Rmsprop), ("adamax", OptimizerGens.Adamax),
            ("nadam", OptimizerGens.Nadam), ("radam", OptimizerGens.Radam), ("lion", OptimizerGens.Lion),
            ("schedule-free", OptimizerGens.ScheduleFree), ("averaging", OptimizerGens.Averaging), ("lookahead", OptimizerGens.Lookahead),
        }.Select(x => new object[] { x.Item1 });

    static Gen<IOptimizerOptions> GenFor(string name) => name switch
    {
        "sgd" => OptimizerGens.Sgd, "adam" => OptimizerGens.Adam, "adagrad" => OptimizerGens.Adagrad,
        "adadelta" => OptimizerGens.Adadelta, "rmsprop" => OptimizerGens.Rmsprop, "adamax" => OptimizerGens.Adamax,
        "nadam" => OptimizerGens.Nadam, "radam" => OptimizerGens.Radam, "lion" => OptimizerGens.Lion,
        "schedule-free" => OptimizerGens.ScheduleFree, "averaging" => OptimizerGens.Averaging, "lookahead" => OptimizerGens.Lookahead, _ => throw new ArgumentException(name),
    };

    const int MaxTest = 150;

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Fast_equals_Reference_bitwise_float(string optimizer) =>
        Prop.ForAll(Cases(GenFor(optimizer)).ToArbitrary(), Check<float>).Check(Config.QuickThrowOnFailure.WithMaxTest(MaxTest));

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Fast_equals_Reference_bitwise_double(string optimizer) =>
        Prop.ForAll(Cases(GenFor(optimizer)).ToArbitrary(), Check<double>).Check(Config.QuickThrowOnFailure.WithMaxTest(MaxTest));
}
