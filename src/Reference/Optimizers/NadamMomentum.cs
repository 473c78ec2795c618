namespace NetNumerics.Reference.Optimizers;

/// <summary>
/// Nadam's per-step scalars, shared by the Reference and the Fast path (they are part of the
/// specification, not of a kernel): <c>mu_t = b1*(1 - 0.5*0.96^(t*d))</c> and the running product
/// <c>P_t = mu_1*mu_2*...*mu_t</c> (P_0 = 1), multiplied left to right in double as Keras and PyTorch do
/// with their stored <c>u_product</c>/<c>mu_product</c>. Because the state holds only the step, the
/// products are recomputed from t; a cache keeps that O(1) amortized per step. Thread-safe.
/// </summary>
internal static class NadamMomentum
{
    static readonly Dictionary<(double, double), List<double>> Products = new();

    public static double Mu(double beta1, double momentumDecay, long t) =>
        beta1 * (1.0 - 0.5 * Math.Pow(0.96, t * momentumDecay));

    public static double Product(double beta1, double momentumDecay, long t)
    {
        Guard.NonNegative(t, nameof(t));
        lock (Products)
        {
            if (!Products.TryGetValue((beta1, momentumDecay), out var list))
                Products[(beta1, momentumDecay)] = list = [1.0];
            while (list.Count <= t)
                list.Add(list[^1] * Mu(beta1, momentumDecay, list.Count));
            return list[(int)t];
        }
    }
}
