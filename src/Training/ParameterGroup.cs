using NetNumerics.Optimizers;

namespace NetNumerics.Training;

/// <summary>
/// A group of tensors that an <see cref="OptimizerSet"/> updates with settings of their own (PyTorch <c>param_groups</c>,
/// Optax <c>partition</c>): the tensors its <see cref="Rule"/> takes, unless an earlier group took them first. Every
/// setting left null is the set's: the default optimizer, its weight decay, the set-wide clipping.
/// </summary>
/// <param name="Name">A name for messages and <see cref="OptimizerSet.GroupNames"/>; unique within a grouping.</param>
/// <param name="Rule">Which tensors the group takes.</param>
public sealed record ParameterGroup(string Name, ParameterRule Rule)
{
    /// <summary>The group's optimizer options; null = the set's default optimizer's.</summary>
    public IOptimizerOptions? Options { get; init; }

    /// <summary>The group's weight decay, replacing that of its options (same mode); null = as the options say.</summary>
    public double? WeightDecay { get; init => field = value is { } v ? Guard.NonNegativeFinite(v, nameof(WeightDecay)) : null; }

    /// <summary>The group's learning rate is the step's learning rate times this (finite, &gt;= 0). Default 1.</summary>
    public double LearningRateMultiplier { get; init => field = Guard.NonNegativeFinite(value, nameof(LearningRateMultiplier)); } = 1.0;

    /// <summary>
    /// The group's own clipping, with the global norm taken over the group's tensors only; null = the group's tensors take
    /// part in the set-wide clipping (one norm over every tensor of every such group, as without groups).
    /// </summary>
    public ClippingOptions? Clipping { get; init; }

    /// <summary>
    /// Rank &lt;= 1 tensors (biases, normalisation scales and shifts) get weight decay 0, the rest keep the optimizer's: what
    /// Keras' <c>exclude_from_weight_decay</c> is used for and what common trainers do (nanoGPT decays only tensors of rank
    /// &gt;= 2; BERT's AdamW excludes biases and LayerNorm weights by name).
    /// </summary>
    public static ParameterGroup NoDecayOnBiasAndNorm { get; } = new("no_decay_bias_norm", ParameterRule.MaxRank(1)) { WeightDecay = 0 };
}

/// <summary>
/// Groups of an <see cref="OptimizerSet"/> in order (a tensor goes to the first group whose rule takes it, the rest to the
/// default group) and the factory that builds a group's optimizer on the caller's path (ReferenceOptimizers.For or
/// FastOptimizers.For; nothing in Training picks one).
/// </summary>
/// <param name="Groups">The groups, first match wins.</param>
/// <param name="OptimizerFor">Builds the optimizer of a group whose options or weight decay differ from the default's.</param>
public sealed record ParameterGrouping(IReadOnlyList<ParameterGroup> Groups, Func<IOptimizerOptions, IOptimizer> OptimizerFor)
{
    /// <summary>The name of the group that takes every tensor no rule took.</summary>
    public const string DefaultGroupName = "default";
}
