namespace NetNumerics.Optimizers;

/// <summary>
/// The per-step quantities torch keeps as state, as functions of our step count t (the number of updates applied):
/// they belong to the specification (NetNumerics.Reference computes its per-step scalars from them) and to torch's
/// state dictionary (<see cref="TorchStateDict"/> writes and checks them).
/// </summary>
internal static class TorchSteps
{
    /// <summary>
    /// torch's float32 <c>step</c> tensor after t increments, as a double: t itself up to 2^24, where <c>step += 1</c>
    /// stops changing a float32 (2^24 + 1 rounds to 2^24).
    /// </summary>
    public static double FloatStep(long t) => Math.Min(t, 1L << 24);

    /// <summary>NAdam's momentum at step t: <c>beta1 * (1 - 0.5 * 0.96^(t*momentum_decay))</c> in double (torch/optim/nadam.py, Keras 2).</summary>
    public static double NadamMu(double beta1, double momentumDecay, long t) =>
        beta1 * (1.0 - 0.5 * Math.Pow(0.96, t * momentumDecay));

    static readonly Dictionary<(double, double), List<float>> MuProducts = new();

    /// <summary>
    /// torch's NAdam <c>mu_product</c> after t updates: a float32 0-dim tensor (<c>torch.tensor(1.)</c>, also for double
    /// parameters) updated by <c>mu_product *= mu</c>, so <c>P_t = (float)(P_{t-1} * (float)mu_t)</c>, with mu_t in double
    /// at torch's float32 step. Cached per (beta1, momentum_decay): O(1) amortized per step. Thread-safe.
    /// </summary>
    public static float NadamMuProduct(double beta1, double momentumDecay, long t)
    {
        Guard.NonNegative(t, nameof(t));
        lock (MuProducts)
        {
            if (!MuProducts.TryGetValue((beta1, momentumDecay), out var list))
                MuProducts[(beta1, momentumDecay)] = list = [1f];
            while (list.Count <= t)
                list.Add(list[^1] * (float)NadamMu(beta1, momentumDecay, (long)FloatStep(list.Count)));
            return list[(int)t];
        }
    }
}
