using FsCheck;
using FsCheck.Fluent;
using NetNumerics.Optimizers;
using NetNumerics.Testing;

namespace NetNumerics.Properties.Optimizers;

/// <summary>
/// The kit's option records (<see cref="HyperGen"/>: every optimizer and variant, hyperparameters anywhere in their valid
/// ranges) except those whose epsilon rounds to 0 or to infinity in float (HyperGen draws 5e-324, 1e-300, 1e-40 and
/// 1e300): the laws that use these divide by epsilon, and 0/0 or inf/inf is NaN there, which the Reference documents
/// and the Fast == Reference properties cover on the whole range.
/// </summary>
static class FloatSafeOptions
{
    /// <summary>Any optimizer and variant, epsilon positive and finite in float.</summary>
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
}
