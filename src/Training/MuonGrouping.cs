using NetNumerics.Nn;
using NetNumerics.Optimizers;

namespace NetNumerics.Training;

/// <summary>
/// Muon's companion group: Muon takes matrices (rank 2) and convolution kernels (rank 4, as [out, in*kh*kw]); every other
/// tensor (biases, normalisation scales, anything of rank 0, 1 or 3) goes to the group this builds, with Muon's
/// <see cref="MuonOptions.Fallback"/> (torch's AdamW by default) at <see cref="MuonOptions.FallbackLrScale"/> times the rate,
/// as Keller Jordan's and torch's documentation prescribe ("other parameters ... should be optimized by a standard method
/// such as AdamW"). Put it first in a <see cref="ParameterGrouping"/> whose default optimizer is Muon.
/// </summary>
public static class MuonGrouping
{
    /// <summary>The group's name, as checkpoints record it.</summary>
    public const string GroupName = "muon_fallback";

    /// <summary>The tensors Muon does not take: rank other than 2 and 4.</summary>
    public static ParameterRule NotMuon { get; } = ParameterRule.Where("rank not 2 or 4", p => !MuonOptions.Takes(p.Shape));

    /// <summary>The fallback group of <paramref name="muon"/>; <paramref name="fallback"/> replaces its options (e.g. wrapped in EMA like the default optimizer).</summary>
    /// <param name="muon">Muon's options (the fallback record and its learning-rate scale).</param>
    /// <param name="fallback">Options to use instead of <c>muon.Fallback</c>; null = <c>muon.Fallback</c>.</param>
    public static ParameterGroup Fallback(MuonOptions muon, IOptimizerOptions? fallback = null)
    {
        ArgumentNullException.ThrowIfNull(muon);
        return new ParameterGroup(GroupName, NotMuon) { Options = fallback ?? muon.Fallback, LearningRateMultiplier = muon.FallbackLrScale };
    }
}
