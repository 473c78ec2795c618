namespace NetNumerics.Fast.Kernels.Probes;

/// <summary>
/// The FLOP count quoted for a training step of the seed CNN (NetworkSpec.MnistSeed): 3 x the forward multiply-adds x 2
/// (forward, input gradient, weight gradient), 17.02 MFLOP per sample: conv1 26x26x32 outputs of 9 taps (0.389 MFLOP),
/// conv2 11x11x64 of 288 (4.461), dense1 1600x256 (0.819), dense2 256x10 (0.005). conv1's input gradient is counted though
/// the model never computes it; elementwise layers and the optimizer are not counted. 4.256 GFLOP per step of 250.
/// These are the model's FLOPs, not the Fast path's work: it also skips conv2's last output row and column (21 of its 121
/// positions per channel), which no 2x2 pool window reads, in the forward and the input gradient (its weight gradient keeps
/// them), so it executes <see cref="ExecutedPerSample"/> = 15.09 MFLOP per sample, 0.886 of the count.
/// </summary>
internal static class SeedCnnFlops
{
    /// <summary>Forward FLOPs of one sample.</summary>
    public const double ForwardPerSample = 26 * 26 * 32 * 9 * 2 + 11 * 11 * 64 * 288 * 2 + 1600 * 256 * 2 + 256 * 10 * 2;

    /// <summary>FLOPs the Fast path executes per sample in a training step: conv1 forward and weight gradient, conv2 forward and
    /// input gradient over 10x10 of its 11x11 outputs and weight gradient over all, dense1 and dense2 three times.</summary>
    public const double ExecutedPerSample = 2 * (26 * 26 * 32 * 9 * 2) + 2 * (10 * 10 * 64 * 288 * 2) + 11 * 11 * 64 * 288 * 2
        + 3 * (1600 * 256 * 2 + 256 * 10 * 2);

    /// <summary>FLOPs of one training step of <paramref name="batch"/> samples.</summary>
    public static double TrainStep(int batch) => 3.0 * ForwardPerSample * batch;
}
