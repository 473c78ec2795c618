namespace NetNumerics.Optimizers;

/// <summary>
/// One optimizer over all the trainable tensors of a model: one <see cref="OptimizerState{T}"/> per
/// tensor, gradient clipping across tensors, one <see cref="Step"/> per batch. This is the object form
/// a training loop uses; the functional form is <see cref="IOptimizer.Init{T}"/>/<see cref="IOptimizer.Update{T}(OptimizerState{T}, Span{T}, ReadOnlySpan{T}, double)"/>.
/// Create with ReferenceOptimizers.CreateSet or FastOptimizers.CreateSet.
/// </summary>
public sealed class OptimizerSet
{
    readonly OptimizerState<float>[] _states;

    public OptimizerSet(IOptimizer optimizer, IGradientClipper clipper, IReadOnlyList<Parameter> parameters, ClippingOptions clipping)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(clipper);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(clipping);
        Optimizer = optimizer;
        Clipper = clipper;
        Clipping = clipping;
        _states = parameters.Select(p => optimizer.Init<float>(p.Length)).ToArray();
    }

    public IOptimizer Optimizer { get; }
    public IGradientClipper Clipper { get; }
    public ClippingOptions Clipping { get; }

    /// <summary>The state of each tensor, in the order of the parameters given at construction.</summary>
    public IReadOnlyList<OptimizerState<float>> States => _states;

    /// <summary>Updates applied so far.</summary>
    public long Steps => _states.Length == 0 ? 0 : _states[0].Step;

    /// <summary>
    /// One update of every tensor with learning rate <paramref name="learningRate"/>: clips the
    /// gradients IN PLACE (by value, then by global norm over all tensors), then updates each tensor's
    /// Values from its Gradients. Returns the global gradient norm before norm clipping, or NaN when no
    /// global-norm clipping is configured (it is not computed then).
    /// </summary>
    public double Step(IReadOnlyList<Parameter> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Count != _states.Length)
            throw new ArgumentException(
                $"parameters has {parameters.Count} tensors, but this optimizer set was created for {_states.Length}.", nameof(parameters));
        for (int i = 0; i < parameters.Count; i++)
            Guard.SameLength(_states[i].Length, $"state[{i}]", parameters[i].Length, $"parameters[{i}] ({parameters[i].Name})");
        Guard.NonNegativeFinite(learningRate, nameof(learningRate));

        if (!double.IsPositiveInfinity(Clipping.ClipValue))
            foreach (var p in parameters) Clipper.ClipByValue(p.Gradients.Span, Clipping.ClipValue);
        double norm = double.NaN;
        if (!double.IsPositiveInfinity(Clipping.GlobalClipNorm))
            norm = Clipper.ClipByGlobalNorm(parameters.Select(p => p.Gradients).ToArray(), Clipping.GlobalClipNorm);
        for (int i = 0; i < parameters.Count; i++)
            Optimizer.Update(_states[i], parameters[i].Values.Span, parameters[i].Gradients.Span, learningRate);
        return norm;
    }
}
