using NetNumerics.Reference.Nn.Layers;
using NetNumerics.Reference.Nn;
using NetNumerics.Nn;
using NetNumerics.Fast.Nn;
using NetNumerics.Fast.Nn.Layers;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NetNumerics.Fast;
using Xunit;
using static NetNumerics.Properties.Nn.NnCases;
using NetNumerics.Testing;

namespace NetNumerics.Properties.Nn;

public class FastModelProperties
{
    /// <summary>A small model with every layer kind, 'same' and strided convs, on c x 8 x 8 inputs.</summary>
    internal static NetworkSpec Small(int channels, int filters, bool same, int stride) => NetworkSpec.Builder(channels, 8, 8)
        .Conv2D(filters, 3, stride, same ? Padding.Same : Padding.Valid).Relu().MaxPool2D(2).Dropout(0.25)
        .Conv2D(filters + 3, 2, 1, Padding.Same).Relu().Dropout(0.5)
        .Flatten().Dense(12).Relu().Dense(5).Build();

    static Gen<(NetworkSpec Spec, int Batch, int Seed)> Models() =>
        from c in Gen.Choose(1, 3) from f in Gen.Choose(2, 20) from same in Gen.Elements(false, true) from st in Gen.Choose(1, 2)
        from b in Gen.Choose(1, 40) from seed in Gen.Choose(0, int.MaxValue)
        select (Small(c, f, same, st), b, seed);

    internal static (float[] X, int[] Y) Batch(NetworkSpec spec, int batch, int seed)
    {
        var rng = new Random(seed);
        return (Enumerable.Range(0, batch * spec.Input.Length).Select(_ => (float)rng.NextDouble()).ToArray(),
                Enumerable.Range(0, batch).Select(_ => rng.Next(spec.Classes)).ToArray());
    }

    [Property(MaxTest = 20)]
    public Property Fast_and_reference_start_from_bit_identical_weights(ulong seed) =>
        Prop.ForAll(Models().ToArbitrary(), m =>
        {
            var r = new ReferenceModel(m.Spec, seed); var f = new FastModel(m.Spec, seed);
            foreach (var (a, b) in r.Parameters.Zip(f.Parameters))
                NumericAssert.BitExact<float>(a.Values.Span, b.Values.Span, label: $"initial {a.Name}");
            return r.Parameters.Zip(f.Parameters).All(p => p.First.Name == p.Second.Name && p.First.Shape.SequenceEqual(p.Second.Shape));
        });

    /// <summary>The batch is cut into fixed chunks whatever the thread count, so 1 and 2 threads give the same bits (also
    /// with a conv that runs by Winograd).</summary>
    [Property(MaxTest = 20)]
    public Property Fast_gradients_are_bit_identical_with_1_and_2_threads() =>
        Prop.ForAll(Gen.OneOf(Models(), WinogradModels()).ToArbitrary(), m =>
        {
            var (x, y) = Batch(m.Spec, m.Batch, m.Seed);
            var one = new FastModel(m.Spec, 7, new FastModelOptions { MaxDegreeOfParallelism = 1, MaxBatch = 64 });
            var two = new FastModel(m.Spec, 7, new FastModelOptions { MaxDegreeOfParallelism = 2, MaxBatch = 64 });
            var r1 = one.TrainStep(x, y, (ulong)m.Seed, 3); var r2 = two.TrainStep(x, y, (ulong)m.Seed, 3);
            foreach (var (a, b) in one.Parameters.Zip(two.Parameters))
                NumericAssert.BitExact<float>(a.Gradients.Span, b.Gradients.Span, label: $"{a.Name} gradient, 1 vs 2 threads, {m.Batch} samples");
            return (r1 == r2).Label($"{m.Batch} samples: {r1} vs {r2}");
        });

    /// <summary>Two conv, ReLU, max-pool blocks (pool 1 to 3 with stride = pool: the windows tile the map, so they fuse), odd map
    /// sizes (the pool drops the last rows), channel counts off the vector width (scalar tails), few taps (conv1's outer-product path).</summary>
    static Gen<(NetworkSpec Spec, int Batch, int Seed)> FusableModels() =>
        from c in Gen.Choose(1, 3) from hw in Gen.Choose(7, 13) from f1 in Gen.Elements(3, 8, 16, 32, 37) from k1 in Gen.Choose(1, 3)
        from p1 in Gen.Choose(1, 3) from same in Gen.Elements(false, true) from f2 in Gen.Choose(2, 20) from p2 in Gen.Choose(1, 2)
        from drop in Gen.Elements(false, true) from b in Gen.Choose(1, 20) from seed in Gen.Choose(0, int.MaxValue)
        where ((same ? hw : hw - k1 + 1) / p1) - 1 >= p2   // the second conv (2x2, valid) and its pool still fit
        select (FusableSpec(c, hw, f1, k1, p1, same, f2, p2, drop), b, seed);

    /// <summary>First blocks that take the direct path (valid padding, few taps, pool 2, filters a multiple of the GEMM panel):
    /// conv, ReLU and pool in registers forward, the weight gradient without im2col backward; strides 1 and 2.</summary>
    static Gen<(NetworkSpec Spec, int Batch, int Seed)> DirectModels() =>
        from c in Gen.Choose(1, 3) from hw in Gen.Choose(9, 14) from f1 in Gen.Elements(32, 64) from k1 in Gen.Choose(1, 3) from st in Gen.Choose(1, 2)
        from f2 in Gen.Choose(2, 20) from b in Gen.Choose(1, 20) from seed in Gen.Choose(0, int.MaxValue)
        where ((hw - k1) / st + 1) / 2 - 1 >= 1
        select (FusableSpec(c, hw, f1, k1, 2, false, f2, 1, false, st), b, seed);

    /// <summary>A second block whose conv runs by Winograd F(2x2, 3x3) (<see cref="Winograd3x3"/>: 16 input channels, 32 or 64
    /// filters): valid or same padding, odd and even maps (a last tile past the map), pool 2 (the tiles are the pool windows)
    /// or 3 (a conv block, then the pool), after a first block whose pool may be 1.</summary>
    internal static Gen<(NetworkSpec Spec, int Batch, int Seed)> WinogradModels() =>
        from c in Gen.Choose(1, 3) from hw in Gen.Choose(8, 14) from k1 in Gen.Choose(1, 3) from p1 in Gen.Choose(1, 2)
        from f2 in Gen.Elements(32, 64) from same in Gen.Elements(false, true) from p2 in Gen.Choose(2, 3)
        from b in Gen.Choose(1, 20) from seed in Gen.Choose(0, int.MaxValue)
        let mid = (hw - k1 + 1) / p1
        where (same ? mid : mid - 2) >= p2
        select (NetworkSpec.Builder(c, hw, hw).Conv2D(16, k1).Relu().MaxPool2D(p1)
            .Conv2D(f2, 3, 1, same ? Padding.Same : Padding.Valid).Relu().MaxPool2D(p2).Flatten().Dense(7).Build(), b, seed);

    [Fact]
    public void Winograd_models_have_one_winograd_conv_fused_and_unfused()
    {
        foreach (var (spec, _, _) in WinogradModels().Sample(20))
        {
            var fused = new FastModel(spec, 1, new FastModelOptions { MaxBatch = 8 });
            var plain = new FastModel(spec, 1, new FastModelOptions { MaxBatch = 8, FuseLayers = false });
            var direct = new FastModel(spec, 1, new FastModelOptions { MaxBatch = 8, WinogradConvolutions = false });
            Assert.Equal(1, fused.RunLayers.OfType<FastConvReluPool>().Count(l => l.Conv.UsesWinograd));
            Assert.Equal(1, plain.RunLayers.OfType<FastConv2D>().Count(l => l.UsesWinograd));
            Assert.Equal(0, direct.RunLayers.OfType<FastConvReluPool>().Count(l => l.Conv.UsesWinograd));
        }
    }

    static NetworkSpec FusableSpec(int c, int hw, int f1, int k1, int p1, bool same, int f2, int p2, bool drop, int stride = 1)
    {
        var b = NetworkSpec.Builder(c, hw, hw).Conv2D(f1, k1, stride, same ? Padding.Same : Padding.Valid).Relu().MaxPool2D(p1);
        if (drop) b = b.Dropout(0.3);
        return b.Conv2D(f2, 2, 1, Padding.Valid).Relu().MaxPool2D(p2).Flatten().Dense(7).Build();
    }

    /// <summary>
    /// Conv2D, ReLU, MaxPool2D fused into one layer (<see cref="FastConvReluPool"/>, the training path) against the three run
    /// one after the other, each of which is proved against the Reference in <see cref="FastReferenceLayerProperties"/>: the
    /// fusion reorders no arithmetic, so losses, every gradient and evaluation are bit-identical (0 ULP). A Winograd conv
    /// runs the same tiles in both, except that the fused one skips the tiles no pool window reads, whose dY is +0 (see
    /// <see cref="Winograd3x3"/> for why that changes no bit).
    /// </summary>
    [Property(MaxTest = 30)]
    public Property Fused_conv_relu_pool_gives_the_bits_of_the_unfused_layers() =>
        Prop.ForAll(Gen.OneOf(FusableModels(), DirectModels(), WinogradModels()).ToArbitrary(), m =>
        {
            var (x, y) = Batch(m.Spec, m.Batch, m.Seed);
            var fused = new FastModel(m.Spec, 3, new FastModelOptions { MaxDegreeOfParallelism = 2, MaxBatch = 32 });
            var plain = new FastModel(m.Spec, 3, new FastModelOptions { MaxDegreeOfParallelism = 2, MaxBatch = 32, FuseLayers = false });
            if (fused.RunLayers.OfType<FastConvReluPool>().Count() != 2 || plain.RunLayers.OfType<FastConvReluPool>().Any())
                return false.Label("the fusable blocks were not fused (or fused when asked not to)");
            int wf = fused.RunLayers.OfType<FastConvReluPool>().Count(l => l.Conv.UsesWinograd), wp = plain.RunLayers.OfType<FastConv2D>().Count(l => l.UsesWinograd);
            if (wf != wp) return false.Label($"{wf} Winograd convs fused, {wp} unfused");
            var rf = fused.TrainStep(x, y, (ulong)m.Seed, 2); var rp = plain.TrainStep(x, y, (ulong)m.Seed, 2);
            foreach (var (f, p) in fused.Parameters.Zip(plain.Parameters))
                NumericAssert.BitExact<float>(p.Gradients.Span, f.Gradients.Span, label: $"{m.Spec.Layers.Count} layers, batch {m.Batch}: gradient of {f.Name}, fused against unfused");
            var ef = fused.Evaluate(x, y); var ep = plain.Evaluate(x, y);
            return (rf == rp && ef == ep).Label($"{m.Spec.Layers.Count} layers, batch {m.Batch}: {rf} vs {rp}, eval {ef} vs {ep}");
        });

    /// <summary>
    /// Bound on |loss_fast - loss_ref| summed over the batch, for Reference weights W and Fast weights W + dW, by
    /// propagating a componentwise band e on |act_fast - act_ref| through the Reference's activations a (all in double):
    /// linear (conv, dense; n terms): e' = |W_f| ((1 + g) e + g |a|) + g |b_f| + (g |W| + |dW|) |a| + g |b| + |db|, g = gamma_n
    ///   (fast and ref each within g of the exact sum of their own inputs; the rest is the triangle inequality);
    ///   a conv the Fast model runs by Winograd: its own rounding term g |W_f| (e + |a|) + g |b_f| becomes gamma_{in + 11} times
    ///   the Winograd algorithm on |W_f|, |b_f|, |a| + e (<see cref="WinogradAbsolute"/>, the bound <see cref="WinogradProperties"/> proves);
    /// ReLU, flatten: e' = e (1-Lipschitz); max-pool: e' = max of e over the window; dropout: e' = mask * (e + u (2|a| + e)).
    /// Loss: softmax cross-entropy has gradient p - onehot with L1 norm &lt;= 2, so |dL| &lt;= 2 max_k e_k, plus each path's
    /// rounding of log-sum-exp r = gamma_{C+2} + 4u (max|z - m| + |log S| + |m| + |z_y| + 1), counted twice.
    /// </summary>
    static double LossBound(ReferenceModel reference, FastModel fast, float[] x, int batch, ForwardMode mode)
    {
        var net = reference.Network;
        double u = Bounds.UnitRoundoff<float>();
        var a = ToDouble(x); var e = new double[a.Length];
        int param = 0;
        for (int l = 0; l < net.Layers.Count; l++)
        {
            var layer = net.Layers[l];
            var spec = net.Spec.Layers[l];
            var input = net.Spec.Shapes[l];
            var aNext = new double[batch * layer.Output.Length];
            var fl = new float[aNext.Length];
            layer.Forward(ToFloat(a), fl, batch, mode);   // the Reference's own float activations
            aNext = ToDouble(fl);
            var eNext = new double[aNext.Length];
            switch (spec)
            {
                case Conv2DSpec or DenseSpec:
                {
                    int n = (spec is Conv2DSpec c ? c.KernelHeight * c.KernelWidth * input.Channels : input.Length) + 1;
                    double g = Bounds.Gamma(n, u);
                    var wr = ToDouble(reference.Parameters[param].Values.ToArray()); var br = ToDouble(reference.Parameters[param + 1].Values.ToArray());
                    var wf = ToDouble(fast.Parameters[param].Values.ToArray()); var bf = ToDouble(fast.Parameters[param + 1].Values.ToArray());
                    param += 2;
                    var l1 = ReferenceLayer<double>.Create(spec, l, input); var l2 = ReferenceLayer<double>.Create(spec, l, input);
                    bool wino = spec is Conv2DSpec cw && fast.Options.WinogradConvolutions && Winograd3x3.Supports(cw, input);
                    for (int i = 0; i < wr.Length; i++) { l1.Parameters[0].Values[i] = Math.Abs(wf[i]); l2.Parameters[0].Values[i] = g * Math.Abs(wr[i]) + Math.Abs(wf[i] - wr[i]); }
                    for (int i = 0; i < br.Length; i++) { l1.Parameters[1].Values[i] = wino ? 0 : g * Math.Abs(bf[i]); l2.Parameters[1].Values[i] = g * Math.Abs(br[i]) + Math.Abs(bf[i] - br[i]); }
                    var o1 = new double[eNext.Length]; var o2 = new double[eNext.Length];
                    // Winograd: the fast rounding is gamma_{in + 11} x the algorithm on |W_f|, |b_f| and |a| + e >= |a_fast| (WinogradProperties),
                    // and the conv of the input difference is exact in the bound's terms: |W_f| e.
                    l1.Forward(e.Select((v, i) => wino ? v : (1 + g) * v + g * Math.Abs(a[i])).ToArray(), o1, batch, mode);
                    l2.Forward(Abs(a), o2, batch, mode);
                    for (int i = 0; i < eNext.Length; i++) eNext[i] = o1[i] + o2[i];
                    if (wino)
                    {
                        var cs = (Conv2DSpec)spec;
                        double gw = Bounds.Gamma(input.Channels + 11, u);
                        var absW = WinogradAbsolute.Run(cs, input, layer.Output, batch, wf, bf, a.Select((v, i) => Math.Abs(v) + e[i]).ToArray(), null).Y;
                        for (int i = 0; i < eNext.Length; i++) eNext[i] += gw * absW[i];
                    }
                    break;
                }
                case MaxPool2DSpec:
                    ReferenceLayer<double>.Create(spec, l, input).Forward(e, eNext, batch, mode); break;
                case DropoutSpec:
                    ReferenceLayer<double>.Create(spec, l, input).Forward(e.Select((v, i) => v + u * (2 * Math.Abs(a[i]) + v)).ToArray(), eNext, batch, mode); break;
                default:
                    Array.Copy(e, eNext, e.Length); break;
            }
            a = aNext; e = eNext;
        }
        int classes = net.Classes;
        double bound = 0;
        for (int s = 0; s < batch; s++)
        {
            var z = a.AsSpan(s * classes, classes);
            double m = z.ToArray().Max(), maxE = e.AsSpan(s * classes, classes).ToArray().Max();
            double logS = Math.Log(z.ToArray().Sum(v => Math.Exp(v - m)));
            double spread = z.ToArray().Max(v => Math.Abs(v - m)), zy = z.ToArray().Max(Math.Abs);
            double r = Bounds.Gamma(classes + 2, u) + 4 * u * (spread + maxE + Math.Abs(logS) + Math.Abs(m) + maxE + zy + maxE + 1);
            bound += 2 * maxE + 2 * r + 1e-15 * (Math.Abs(logS) + Math.Abs(m) + zy);
        }
        return bound;
    }

    /// <summary>
    /// Three plain SGD steps (w -= 0.05 g, applied inline to each model's own weights and gradients) with dropout on.
    /// Before each step the summed loss of the two paths must agree within <see cref="LossBound"/> computed for the two
    /// weight sets as they then are; evaluation (dropout off) after the last step too.
    /// </summary>
    [Property(MaxTest = 16)]
    public Property Three_sgd_steps_of_fast_and_reference_agree_within_the_propagated_bound() =>
        Prop.ForAll(Gen.OneOf(Models(), WinogradModels()).ToArbitrary(), m =>
        {
            var (x, y) = Batch(m.Spec, m.Batch, m.Seed);
            var r = new ReferenceModel(m.Spec, 11); var f = new FastModel(m.Spec, 11, new FastModelOptions { MaxBatch = 64 });
            for (long step = 0; step < 3; step++)
            {
                var mode = new ForwardMode(true, 5, step);
                double bound = LossBound(r, f, x, m.Batch, mode);
                var lr = r.TrainStep(x, y, 5, step); var lf = f.TrainStep(x, y, 5, step);
                if (!(Math.Abs(lr.LossSum - lf.LossSum) <= bound))
                    return false.Label($"step {step}: loss ref {lr.LossSum:R} fast {lf.LossSum:R}, bound {bound:R}");
                foreach (var model in new IModel[] { r, f })
                    foreach (var p in model.Parameters)
                    {
                        var v = p.Values.Span; var g = p.Gradients.Span;
                        for (int i = 0; i < v.Length; i++) v[i] -= 0.05f * g[i];
                    }
            }
            double evalBound = LossBound(r, f, x, m.Batch, ForwardMode.Inference);
            var er = r.Evaluate(x, y); var ef = f.Evaluate(x, y);
            return (Math.Abs(er.LossSum - ef.LossSum) <= evalBound).Label($"eval: ref {er.LossSum:R} fast {ef.LossSum:R}, bound {evalBound:R}");
        });

    /// <summary>Predict of a one-layer model: logits within the dense gamma bound, softmax applied by the same operations in both paths.</summary>
    [Property(MaxTest = 30)]
    public Property Predict_of_a_flatten_dense_model_matches_reference_within_gamma_bound(ulong seed)
    {
        var spec = NetworkSpec.Builder(1, 3, 3).Flatten().Dense(4).Build();
        return Prop.ForAll(Gen.Choose(1, 20).ToArbitrary(), batch =>
        {
            var (x, y) = Batch(spec, batch, (int)(seed % 1000));
            var r = new ReferenceModel(spec, seed); var f = new FastModel(spec, seed);
            var pr = new float[batch * 4]; var pf = new float[batch * 4];
            r.Predict(x, pr); f.Predict(x, pf);
            // logits differ by at most 2 gamma_10 sum|w x| + ... <= 2 gamma_10 * 10 (|x| <= 1, |w| <= 1); softmax is 1-Lipschitz
            // into each p_k up to a factor 2, plus a few roundings: 4 * 2 gamma_10 * 10 + 16u.
            double tol = 4 * 2 * Bounds.Gamma(10, Bounds.UnitRoundoff<float>()) * 10 + 16 * Bounds.UnitRoundoff<float>();
            return pr.Zip(pf).All(t => Math.Abs(t.First - t.Second) <= tol) && r.Evaluate(x, y).Correct >= 0;
        });
    }

    [Fact]
    public void Fast_rejects_batches_larger_than_MaxBatch_and_bad_options()
    {
        var spec = NetworkSpec.Builder(1, 2, 2).Flatten().Dense(3).Build();
        var f = new FastModel(spec, 0, new FastModelOptions { MaxBatch = 4 });
        var ex = Assert.Throws<ArgumentException>(() => f.TrainStep(new float[20], new int[5], 0, 0));
        Assert.Contains("MaxBatch = 4", ex.Message);
        Assert.Equal(5, f.Evaluate(new float[20], new int[5]).Count);   // evaluation walks large inputs in blocks
        Assert.Throws<ArgumentOutOfRangeException>(() => new FastModel(spec, 0, new FastModelOptions { MaxDegreeOfParallelism = 0 }));
    }
}
