namespace NetNumerics.Fast.Kernels.Probes;

/// <summary>
/// The FLOP count quoted for a training step of the seed CNN (NetworkSpec.MnistSeed): 3 x the forward multiply-adds x 2
/// (forward, input gradient, weight gradient), 17.02 MFLOP per sample: conv1 26x26x32 outputs of 9 taps (0.389 MFLOP),
/// conv2 11x11x64 of 288 (4.461), dense1 1600x256 (0.819), dense2 256x10 (0.005). conv1's input gradient is counted though
/// the model never computes it; elementwise layers and the optimizer are not counted. 4.256 GFLOP per step of 250.
/// These are the model's FLOPs, not the Fast path's work (<see cref="ExecutedPerSample"/>): with the default options it runs
/// conv2 by Winograd F(2x2, 3x3), whose 16 GEMMs per pass do 2.25x fewer multiply-adds than the direct sum, only over the
/// 5x5 tiles of the 10x10 outputs a 2x2 pool window reads, and it never computes conv1's input gradient. A fraction of the
/// FMA probe on the model's FLOPs can therefore pass 100 %; the fraction on executed FLOPs cannot.
/// </summary>
internal static class SeedCnnFlops
{
    const double Conv1 = 26 * 26 * 32 * 9 * 2, Dense = 1600 * 256 * 2 + 256 * 10 * 2;

    /// <summary>Forward FLOPs of one sample.</summary>
    public const double ForwardPerSample = Conv1 + 11 * 11 * 64 * 288 * 2 + Dense;

    /// <summary>conv2 by Winograd, per sample: the 16 GEMMs (32 in x 64 out) over 25 tiles in the forward pass, the input
    /// gradient and the weight gradient, plus the transforms' additions: input 32 per tile and channel (forward and again
    /// backward), output 28 per tile and filter (with the bias), dY 12 per tile and filter, input gradient 48 per tile and channel.</summary>
    public const double Conv2Winograd = 3 * 16 * 25 * 32 * 64 * 2 + 25 * (2 * 32 * 32 + 64 * 28 + 64 * 12 + 32 * 48);

    /// <summary>FLOPs the Fast path executes per sample in a training step with the default options: conv1 forward and weight
    /// gradient, conv2 by Winograd (<see cref="Conv2Winograd"/>), dense1 and dense2 three times: 8.32 MFLOP, 0.489 of the count.</summary>
    public const double ExecutedPerSample = 2 * Conv1 + Conv2Winograd + 3 * Dense;

    /// <summary>The same with <c>WinogradConvolutions = false</c>: conv2 by im2col + GEMM, forward and input gradient over its
    /// 10x10 read outputs, weight gradient over all 11x11: 15.09 MFLOP, 0.886 of the count.</summary>
    public const double ExecutedPerSampleDirect = 2 * Conv1 + 2 * (10 * 10 * 64 * 288 * 2) + 11 * 11 * 64 * 288 * 2 + 3 * Dense;

    /// <summary>The executed share of the model's FLOPs, <see cref="ExecutedPerSample"/> / (3 x <see cref="ForwardPerSample"/>):
    /// a fraction of the FMA probe on the model's FLOPs times this is the fraction on executed FLOPs.</summary>
    public const double ExecutedShare = ExecutedPerSample / (3 * ForwardPerSample);

    /// <summary>FLOPs of one training step of <paramref name="batch"/> samples.</summary>
    public static double TrainStep(int batch) => 3.0 * ForwardPerSample * batch;
}
