namespace NetNumerics.Bench.Peer;

/// <summary>
/// MNIST-shaped synthetic data (1x28x28 pixels uniform in [0,1], labels uniform in 0..9): training speed does not
/// depend on the values. Built once, outside every timed region, and shared by both frameworks.
/// </summary>
static class SyntheticMnist
{
    public const int Batch = 250;
    public const int Pixels = 28 * 28;
    public const int Classes = 10;
    public const int EpochSamples = 48_000;
    public const int EpochSteps = EpochSamples / Batch; // 192

    public static (float[] Images, int[] Labels) Make(int samples, int seed = 1)
    {
        var rng = new Random(seed);
        var x = new float[samples * Pixels];
        for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextDouble();
        var y = new int[samples];
        for (int i = 0; i < y.Length; i++) y[i] = rng.Next(Classes);
        return (x, y);
    }
}
