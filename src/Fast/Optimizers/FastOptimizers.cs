using NetNumerics.Optimizers;

namespace NetNumerics.Fast.Optimizers;

/// <summary>
/// The Fast optimizer for an options record: one fused vector pass per update over p, g and the state
/// slots (Vector512, else 256/128, one-lane tail; large tensors split across threads, see
/// <see cref="MaxDegreeOfParallelism"/>), bit-identical to
/// NetNumerics.Reference.Optimizers.ReferenceOptimizers.For(options) for float and double.
/// </summary>
public static class FastOptimizers
{
    public static IOptimizer For(IOptimizerOptions options) => options switch
    {
        SgdOptions o => new FastSgd(o),
        AdamOptions o => new FastAdam(o),
        AdamWOptions o => new FastAdam(o),
        AdagradOptions o => new FastAdagrad(o),
        AdadeltaOptions o => new FastAdadelta(o),
        RmspropOptions o => new FastRmsprop(o),
        AdamaxOptions o => new FastAdamax(o),
        NadamOptions o => new FastNadam(o),
        RadamOptions o => new FastRadam(o),
        null => throw new ArgumentNullException(nameof(options)),
        _ => throw new ArgumentException($"options of type {options.GetType().Name} name no known optimizer.", nameof(options)),
    };

    /// <summary>
    /// Threads an update of a large tensor (at least 1,048,576 elements) may use; default the processor count, 1 keeps every
    /// update on the calling thread. The tensor is cut into fixed blocks of 16,384 elements shared by the threads; each
    /// element gets the same operations whoever runs it, so results are bit-identical for every value. Process-wide.
    /// </summary>
    public static int MaxDegreeOfParallelism
    {
        get => KernelDriver.MaxThreads;
        set => KernelDriver.MaxThreads = value;
    }

    /// <summary>An <see cref="OptimizerSet"/> over a model's parameters, Fast path (updates and clipping).</summary>
    public static OptimizerSet CreateSet(IOptimizerOptions options, IReadOnlyList<Parameter> parameters, ClippingOptions? clipping = null) =>
        new(For(options), FastClipping.Instance, parameters, clipping ?? new ClippingOptions());
}
