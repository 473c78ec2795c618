using NetNumerics.Optimizers;
using NetNumerics.Nn;
namespace NetNumerics.Training;

/// <summary>
/// One optimizer over all the trainable tensors of a model: one <see cref="OptimizerState{T}"/> per
/// tensor, gradient clipping across tensors, one <see cref="Step"/> per batch. This is the object form
/// a training loop uses; the functional form is <see cref="IOptimizer.Init{T}"/>/<see cref="IOptimizer.Update{T}(OptimizerState{T}, Span{T}, ReadOnlySpan{T}, double)"/>.
/// Create with an optimizer and a clipper of one path, e.g. <c>new OptimizerSet(FastOptimizers.For(options), FastClipping.Instance, model.Parameters)</c>.
/// </summary>
public sealed class OptimizerSet
{
    readonly OptimizerState<float>[] _states;
    readonly Memory<float>[] _gradients;   // reused by every Step: the global-norm clipper's view of this step's gradients

    /// <summary>One state per tensor of <paramref name="parameters"/>, made with <paramref name="optimizer"/>'s Init (float).</summary>
    /// <param name="optimizer">The update rule (ReferenceOptimizers.For or FastOptimizers.For).</param>
    /// <param name="clipper">ReferenceClipping.Instance or FastClipping.Instance; may be null when <paramref name="clipping"/> does not clip.</param>
    /// <param name="parameters">The tensors to train (e.g. a model's Parameters); only their lengths are read here.</param>
    /// <param name="clipping">Clip by value and/or global norm before each update; none when null.</param>
    /// <exception cref="ArgumentException">Clipping is on but no clipper was given.</exception>
    public OptimizerSet(IOptimizer optimizer, IGradientClipper? clipper, IReadOnlyList<Parameter> parameters, ClippingOptions? clipping = null)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(parameters);
        Optimizer = optimizer;
        Clipper = clipper;
        Clipping = clipping ?? new ClippingOptions();
        if (clipper is null && Clipping.Clips)
            throw new ArgumentException($"clipping is {Clipping}, so a clipper is required (ReferenceClipping.Instance or FastClipping.Instance).", nameof(clipper));
        _states = parameters.Select(p => optimizer.Init<float>(p.Length)).ToArray();
        _gradients = new Memory<float>[_states.Length];
    }

    /// <summary>The update rule applied to every tensor.</summary>
    public IOptimizer Optimizer { get; }
    /// <summary>The clipper; null when <see cref="Clipping"/> does not clip.</summary>
    public IGradientClipper? Clipper { get; }
    /// <summary>The clipping applied before each update.</summary>
    public ClippingOptions Clipping { get; }

    /// <summary>The state of each tensor, in the order of the parameters given at construction.</summary>
    public IReadOnlyList<OptimizerState<float>> States => _states;

    /// <summary>Copies the step and every slot of <paramref name="states"/> (one per tensor, same optimizer and lengths) into this set's states.</summary>
    internal void CopyStatesFrom(IReadOnlyList<OptimizerState<float>> states)
    {
        Guard.SameLength(_states.Length, "optimizer set tensors", states.Count, nameof(states));
        for (int i = 0; i < _states.Length; i++)
        {
            var from = states[i];
            if (from.Optimizer != _states[i].Optimizer || !from.SlotNames.SequenceEqual(_states[i].SlotNames))
                throw new ArgumentException($"states[{i}] belongs to '{from.Optimizer}' with slots [{string.Join(", ", from.SlotNames)}], not to '{_states[i].Optimizer}'.", nameof(states));
            Guard.SameLength(_states[i].Length, $"tensor {i}", from.Length, $"states[{i}]");
            _states[i].Step = from.Step;
            for (int k = 0; k < from.SlotNames.Count; k++) from.SlotAt(k).CopyTo(_states[i].SlotAt(k));
        }
    }

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
            if (_states[i].Length != parameters[i].Length)   // the message is built only on failure: Step allocates nothing
                Guard.SameLength(_states[i].Length, $"state[{i}]", parameters[i].Length, $"parameters[{i}] ({parameters[i].Name})");
        Guard.NonNegativeFinite(learningRate, nameof(learningRate));

        if (!double.IsPositiveInfinity(Clipping.ClipValue))
            for (int i = 0; i < parameters.Count; i++) Clipper!.ClipByValue(parameters[i].Gradients.Span, Clipping.ClipValue);
        double norm = double.NaN;
        if (!double.IsPositiveInfinity(Clipping.GlobalClipNorm))
        {
            for (int i = 0; i < parameters.Count; i++) _gradients[i] = parameters[i].Gradients;
            norm = Clipper!.ClipByGlobalNorm(_gradients, Clipping.GlobalClipNorm);
        }
        for (int i = 0; i < parameters.Count; i++)
            Optimizer.Update(_states[i], parameters[i].Values.Span, parameters[i].Gradients.Span, learningRate);
        return norm;
    }
}
