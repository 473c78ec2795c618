using NetNumerics.Optimizers;
using NetNumerics.Fast.Kernels;

namespace NetNumerics.Fast.Optimizers;

/// <summary>
/// The Fast optimizer for an options record: one fused vector pass per update over p, g and the state
/// slots (Vector512, else 256/128, one-lane tail; large tensors split across threads, see
/// <see cref="MaxDegreeOfParallelism"/>), bit-identical to
/// NetNumerics.Reference.Optimizers.ReferenceOptimizers.For(options) for float and double.
/// </summary>
public static class FastOptimizers
{
    /// <summary>The Fast optimizer for an options record (<see cref="SgdOptions"/> gives <see cref="FastSgd"/>, <see cref="AdamOptions"/> and <see cref="AdamWOptions"/> give <see cref="FastAdam"/>, and so on). Its states are interchangeable with the Reference optimizer's for the same record (same name, slots and bits).</summary>
    /// <param name="options">Any of the optimizer option records.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The record is not one of the library's optimizers, or its combination of options is invalid.</exception>
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
        LionOptions o => new FastLion(o),
        AdafactorOptions o => new FastAdafactor(o),
        MuonOptions o => new FastMuon(o),
        LambOptions o => new FastLamb(o),
        ScheduleFreeOptions o => new FastScheduleFree(o),
        AveragingOptions o => new FastAveraging(o),
        LookaheadOptions o => new FastLookahead(o),
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
}
