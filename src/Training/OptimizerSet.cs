using NetNumerics.Optimizers;
using NetNumerics.Nn;
namespace NetNumerics.Training;

/// <summary>
/// The optimizers over all the trainable tensors of a model: one <see cref="OptimizerState{T}"/> per tensor, gradient
/// clipping across tensors, one <see cref="Step"/> per batch. Without a <see cref="ParameterGrouping"/> one optimizer and one
/// clipping serve every tensor; with one, each tensor goes to the first <see cref="ParameterGroup"/> whose rule takes it
/// (the rest to the default group) and is updated with that group's optimizer, learning-rate multiplier, weight decay and
/// clipping. This is the object form a training loop uses; the functional form is
/// <see cref="IOptimizer.Init{T}(int)"/>/<see cref="IOptimizer.Update{T}(OptimizerState{T}, Span{T}, ReadOnlySpan{T}, double)"/>.
/// Create with an optimizer and a clipper of one path, e.g. <c>new OptimizerSet(FastOptimizers.For(options), FastClipping.Instance, model.Parameters)</c>.
/// </summary>
public sealed class OptimizerSet
{
    readonly OptimizerState<float>[] _states;
    readonly IOptimizer[] _optimizerOf;    // per tensor: its group's optimizer
    readonly double[] _multiplierOf;       // per tensor: its group's learning-rate multiplier
    readonly int[] _groupOf;               // per tensor: index into GroupNames
    readonly ClipGroup[] _clipGroups;      // [0] = set-wide clipping (tensors of groups without their own), then one per group with its own

    /// <summary>Tensors clipped together and their gradient views, reused by every Step (the global-norm clipper's list).</summary>
    sealed record ClipGroup(ClippingOptions Clipping, int[] Tensors, Memory<float>[] Views);

    /// <param name="optimizer">The default optimizer (of the group that takes every tensor no rule took).</param>
    /// <param name="clipper">Of the optimizer's path; required when any clipping clips.</param>
    /// <param name="parameters">The tensors, in the order <see cref="Step"/> will be given them.</param>
    /// <param name="clipping">The set-wide clipping; none by default.</param>
    /// <param name="grouping">Parameter groups and the factory for their optimizers; null = one group.</param>
    public OptimizerSet(IOptimizer optimizer, IGradientClipper? clipper, IReadOnlyList<Parameter> parameters, ClippingOptions? clipping = null,
        ParameterGrouping? grouping = null)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(parameters);
        Optimizer = optimizer;
        Clipper = clipper;
        Clipping = clipping ?? new ClippingOptions();
        Grouping = grouping;
        var groups = grouping?.Groups ?? [];
        CheckGroups(groups);
        GroupNames = groups.Select(g => g.Name).Append(ParameterGrouping.DefaultGroupName).ToArray();

        // One optimizer per group, built once; a group that changes neither options nor weight decay shares the default.
        var optimizers = groups.Select(g => OptimizerOf(g, optimizer, grouping)).Append(optimizer).ToArray();
        var multipliers = groups.Select(g => g.LearningRateMultiplier).Append(1.0).ToArray();
        _groupOf = parameters.Select(p => Route(groups, p)).ToArray();
        _optimizerOf = _groupOf.Select(g => optimizers[g]).ToArray();
        _multiplierOf = _groupOf.Select(g => multipliers[g]).ToArray();
        _states = parameters.Select((p, i) => _optimizerOf[i].Init<float>(p.Shape)).ToArray();   // shape-aware optimizers keep it; the rest make the plain state of Init(p.Length)
        HasEvaluationWeights = _optimizerOf.Any(o => o is IEvaluationWeights);

        var clipGroups = new List<ClipGroup> { Clip(Clipping, i => groups.Count == _groupOf[i] || groups[_groupOf[i]].Clipping is null) };
        for (int g = 0; g < groups.Count; g++)
            if (groups[g].Clipping is { } own) { int k = g; clipGroups.Add(Clip(own, i => _groupOf[i] == k)); }
        _clipGroups = clipGroups.ToArray();
        if (clipper is null && _clipGroups.FirstOrDefault(c => c.Clipping.Clips) is { } clips)
            throw new ArgumentException(
                $"clipping is {clips.Clipping}, so a clipper is required (ReferenceClipping.Instance or FastClipping.Instance).", nameof(clipper));

        ClipGroup Clip(ClippingOptions options, Func<int, bool> member)
        {
            int[] tensors = Enumerable.Range(0, parameters.Count).Where(member).ToArray();
            return new ClipGroup(options, tensors, new Memory<float>[tensors.Length]);
        }
    }

    static void CheckGroups(IReadOnlyList<ParameterGroup> groups)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { ParameterGrouping.DefaultGroupName };
        foreach (var g in groups)
        {
            ArgumentNullException.ThrowIfNull(g, "grouping");
            if (string.IsNullOrEmpty(g.Name) || !seen.Add(g.Name))
                throw new ArgumentException(
                    $"parameter group name '{g.Name}' is empty, repeated or '{ParameterGrouping.DefaultGroupName}'; each group needs a name of its own.", "grouping");
            ArgumentNullException.ThrowIfNull(g.Rule, $"grouping: {g.Name}.Rule");
        }
    }

    static IOptimizer OptimizerOf(ParameterGroup g, IOptimizer fallback, ParameterGrouping? grouping)
    {
        if (g.Options is null && g.WeightDecay is null) return fallback;
        var options = g.Options ?? (fallback as OptimizerBase)?.Options
            ?? throw new ArgumentException(
                $"parameter group '{g.Name}' sets WeightDecay but not Options, and the default optimizer {fallback.Name} exposes no options to change; give the group Options.", "grouping");
        if (g.WeightDecay is { } wd) options = options.WithWeightDecay(wd);
        return grouping!.OptimizerFor(options)
            ?? throw new ArgumentException($"OptimizerFor returned null for parameter group '{g.Name}' ({options}).", "grouping");
    }

    /// <summary>The group that takes <paramref name="p"/>: the first whose rule matches, else the default (= groups.Count).</summary>
    static int Route(IReadOnlyList<ParameterGroup> groups, Parameter p)
    {
        for (int g = 0; g < groups.Count; g++)
            if (groups[g].Rule.Matches(p)) return g;
        return groups.Count;
    }

    /// <summary>The default optimizer (of the default group; every tensor's without a grouping).</summary>
    public IOptimizer Optimizer { get; }
    /// <summary>The clipper; null when no clipping clips.</summary>
    public IGradientClipper? Clipper { get; }
    /// <summary>The set-wide clipping (every tensor's without a grouping; with one, that of the groups without their own).</summary>
    public ClippingOptions Clipping { get; }
    /// <summary>The parameter groups given at construction; null = one group.</summary>
    public ParameterGrouping? Grouping { get; }

    /// <summary>The groups' names in order, the default group (<see cref="ParameterGrouping.DefaultGroupName"/>) last.</summary>
    public IReadOnlyList<string> GroupNames { get; }

    /// <summary>The index into <see cref="GroupNames"/> of the group tensor <paramref name="tensor"/> belongs to.</summary>
    public int GroupOf(int tensor) => _groupOf[tensor];

    /// <summary>The optimizer that updates tensor <paramref name="tensor"/> (its group's).</summary>
    public IOptimizer OptimizerOf(int tensor) => _optimizerOf[tensor];

    /// <summary>The state of each tensor, in the order of the parameters given at construction.</summary>
    public IReadOnlyList<OptimizerState<float>> States => _states;

    /// <summary>Copies the step and every slot of <paramref name="states"/> (one per tensor, same optimizer and lengths) into this set's states.</summary>
    internal void CopyStatesFrom(IReadOnlyList<OptimizerState<float>> states)
    {
        Guard.SameLength(_states.Length, "optimizer set tensors", states.Count, nameof(states));
        for (int i = 0; i < _states.Length; i++)
        {
            var from = states[i];
            if (from.Optimizer != _states[i].Optimizer || !from.SlotNames.SequenceEqual(_states[i].SlotNames) || !from.ScalarNames.SequenceEqual(_states[i].ScalarNames))
                throw new ArgumentException($"states[{i}] belongs to '{from.Optimizer}' with slots [{string.Join(", ", from.SlotNames)}], not to '{_states[i].Optimizer}'.", nameof(states));
            Guard.SameLength(_states[i].Length, $"tensor {i}", from.Length, $"states[{i}]");
            if (!from.SameLayout(_states[i]))
                throw new ArgumentException(
                    $"states[{i}] has shape [{string.Join(", ", from.Shape)}] and slots [{from.DescribeSlots()}], but tensor {i}'s optimizer '{_states[i].Optimizer}' needs shape [{string.Join(", ", _states[i].Shape)}] and slots [{_states[i].DescribeSlots()}].", nameof(states));
            _states[i].CopyFrom(from);
        }
    }

    /// <summary>True when some tensor's optimizer evaluates at other weights than it trains with (<see cref="IEvaluationWeights"/>: Schedule-Free).</summary>
    public bool HasEvaluationWeights { get; }

    float[][]? _trainingWeights;   // the training weights while the evaluation weights are swapped in

    /// <summary>
    /// Puts each tensor's evaluation weights (<see cref="IEvaluationWeights"/>; the training weights for every other
    /// optimizer) into the parameters and keeps the training weights, which <see cref="RestoreTrainingWeights"/> puts back
    /// bit for bit. Calls must alternate.
    /// </summary>
    public void SwapInEvaluationWeights(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Guard.SameLength(_states.Length, "optimizer set tensors", parameters.Count, nameof(parameters));
        if (_swapped) throw new InvalidOperationException("the evaluation weights are already swapped in; call RestoreTrainingWeights first.");
        _trainingWeights ??= new float[_states.Length][];
        for (int i = 0; i < _states.Length; i++)
        {
            if (_optimizerOf[i] is not IEvaluationWeights eval) continue;
            var values = parameters[i].Values.Span;
            var kept = _trainingWeights[i] ??= new float[values.Length];
            values.CopyTo(kept);
            eval.EvaluationWeights(_states[i], kept, values);
        }
        _swapped = true;
    }

    bool _swapped;

    /// <summary>Puts back the training weights <see cref="SwapInEvaluationWeights"/> kept.</summary>
    public void RestoreTrainingWeights(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!_swapped) throw new InvalidOperationException("no evaluation weights are swapped in.");
        for (int i = 0; i < _states.Length; i++)
            if (_optimizerOf[i] is IEvaluationWeights) _trainingWeights![i].CopyTo(parameters[i].Values.Span);
        _swapped = false;
    }

    /// <summary>Updates applied so far.</summary>
    public long Steps => _states.Length == 0 ? 0 : _states[0].Step;

    /// <summary>
    /// One update of every tensor: clips the gradients IN PLACE (by value, then by global norm; the set-wide clipping over
    /// the tensors of groups without their own, each other group's over its own tensors), then updates each tensor's
    /// Values from its Gradients with its group's optimizer at <paramref name="learningRate"/> times the group's multiplier.
    /// Returns the set-wide global gradient norm before norm clipping, or NaN when the set-wide clipping has no global norm
    /// (it is not computed then). Allocates nothing.
    /// </summary>
    public double Step(IReadOnlyList<Parameter> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Count != _states.Length)
            throw new ArgumentException(
                $"parameters has {parameters.Count} tensors, but this optimizer set was created for {_states.Length}.", nameof(parameters));
        for (int i = 0; i < parameters.Count; i++)
            if (_states[i].Length != parameters[i].Length)   // the message is built only on failure: Step allocates nothing
                Guard.SameLength(_states[i].Length, $"state[{i}]", parameters[i].Length, $"parameters[{i}] ({parameters[i].Name})");
        Guard.NonNegativeFinite(learningRate, nameof(learningRate));

        double setWideNorm = double.NaN;
        for (int c = 0; c < _clipGroups.Length; c++)
        {
            var (clipping, tensors, views) = _clipGroups[c];
            if (!double.IsPositiveInfinity(clipping.ClipValue))
                foreach (int i in tensors) Clipper!.ClipByValue(parameters[i].Gradients.Span, clipping.ClipValue);
            if (double.IsPositiveInfinity(clipping.GlobalClipNorm)) continue;
            for (int k = 0; k < tensors.Length; k++) views[k] = parameters[tensors[k]].Gradients;
            double norm = Clipper!.ClipByGlobalNorm(views, clipping.GlobalClipNorm);
            if (c == 0) setWideNorm = norm;
        }
        for (int i = 0; i < parameters.Count; i++)
            _optimizerOf[i].Update(_states[i], parameters[i].Values.Span, parameters[i].Gradients.Span, learningRate * _multiplierOf[i]);
        return setWideNorm;
    }
}
