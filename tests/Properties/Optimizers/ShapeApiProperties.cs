using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NetNumerics.Fast.Optimizers;
using NetNumerics.Nn;
using NetNumerics.Optimizers;
using NetNumerics.Reference.Optimizers;
using NetNumerics.Testing;
using NetNumerics.Training;
using Xunit;

namespace NetNumerics.Properties.Optimizers;

/// <summary>
/// IOptimizer.Init(shape): element-wise optimizers ignore it (same bits and files as Init(length)); shape-aware ones keep
/// the shape and size slots by it; wrappers pass it on; the state format stores it (version 3) only when needed and
/// rejects a damaged shape or slot-length header with one line, before allocating.
/// </summary>
public class ShapeApiProperties
{
    /// <summary>A shape of 1 to 4 dimensions in 1..6, and its product.</summary>
    static readonly Gen<int[]> Shapes =
        from rank in Gen.Choose(1, 4)
        from dims in Gen.ArrayOf(Gen.Choose(1, 6), rank)
        select dims;

    static int Product(int[] shape) => shape.Aggregate(1, (a, d) => a * d);

    static byte[] Bytes<T>(OptimizerState<T> s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var ms = new MemoryStream();
        OptimizerStateFormat.Save(s, ms);
        Assert.Equal(OptimizerStateFormat.SizeOf(s), ms.Length);
        return ms.ToArray();
    }

    static readonly Gen<IOptimizerOptions> Existing = Gen.OneOf(HyperGen.AnyOptimizer, WrapperGens.Averaging, WrapperGens.Lookahead, WrapperGens.TameScheduleFree);

    [Property(MaxTest = 120)]
    public Property Every_element_wise_optimizer_gives_the_same_bits_and_files_whether_initialized_by_length_or_by_shape() =>
        Prop.ForAll(Existing.ToArbitrary(), Shapes.ToArbitrary(), Gen.Choose(0, 1000).ToArbitrary(), (options, shape, seed) =>
        {
            int n = Product(shape);
            foreach (var optimizer in new[] { ReferenceOptimizers.For(options), FastOptimizers.For(options) })
            {
                var byLength = optimizer.Init<float>(n);
                var byShape = optimizer.Init<float>(shape);
                Assert.True(byShape.IsPlain);
                Assert.Equal([n], byShape.Shape);
                Assert.True(byLength.BitEquals(byShape));
                Assert.Equal(Bytes(byLength), Bytes(byShape));
                float[] p1 = SeededInputs.Values<float>(n, (ulong)seed, 1), p2 = (float[])p1.Clone();
                for (int t = 0; t < 3; t++)
                {
                    float[] g = SeededInputs.Values<float>(n, (ulong)seed, (ulong)(2 + t));
                    double lr = SeededInputs.LearningRate((ulong)seed, t);
                    optimizer.Update(byLength, p1, g, lr);
                    optimizer.Update(byShape, p2, g, lr);
                }
                NumericAssert.BitExact(p1, p2);
                Assert.True(byLength.BitEquals(byShape));
                Assert.Equal(Bytes(byLength), Bytes(byShape));
            }
            return true;
        });

    [Fact]
    public void Element_wise_states_are_still_written_as_versions_1_and_2()
    {
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(Bytes(new Adam(new AdamOptions()).Init<float>([3, 4])).AsSpan(8)));
        Assert.Equal(2, BinaryPrimitives.ReadUInt16LittleEndian(Bytes(new ScheduleFree(ScheduleFreeOptions.AdamW).Init<float>([3, 4])).AsSpan(8)));
    }

    [Property(MaxTest = 60)]
    public Property A_shape_aware_optimizer_keeps_the_shape_and_sizes_its_slots_by_it() =>
        Prop.ForAll(Shapes.ToArbitrary(), shape =>
        {
            var s = new ShapedTestOptimizer().Init<double>(shape);
            Assert.Equal(shape, s.Shape);
            Assert.Equal(Product(shape), s.Length);
            Assert.Equal(Product(shape), s.SlotAt(0).Length);
            Assert.Equal(Product(shape) / shape[^1], s.SlotAt(1).Length);
            return s.IsPlain == (shape.Length == 1 && shape[0] == 1);   // [1]: one row of one column, every slot of length 1
        });

    [Property(MaxTest = 60)]
    public Property A_shaped_state_round_trips_through_the_format_as_version_3() =>
        Prop.ForAll(Shapes.ToArbitrary(), Gen.Choose(0, 4).ToArbitrary(), (shape, steps) =>
        {
            var opt = new ShapedTestOptimizer();
            var f = Trained<float>(opt, shape, steps);
            var d = Trained<double>(opt, shape, steps);
            var bf = Bytes(f);
            var back = OptimizerStateFormat.Load<float>(bf);
            Assert.Equal(f.IsPlain ? 1 : 3, BinaryPrimitives.ReadUInt16LittleEndian(bf.AsSpan(8)));
            Assert.Equal(f.IsPlain ? [Product(shape)] : shape, back.Shape);
            Assert.Equal(bf, Bytes(back));
            return back.BitEquals(f) && OptimizerStateFormat.Load<double>(Bytes(d)).BitEquals(d);
        });

    static OptimizerState<T> Trained<T>(IOptimizer opt, int[] shape, int steps) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s = opt.Init<T>(shape);
        int n = s.Length;
        var p = SeededInputs.Values<T>(n, 5, 1);
        for (int t = 0; t < steps; t++) opt.Update(s, p, SeededInputs.Values<T>(n, 5, (ulong)(2 + t)), 0.01);
        return s;
    }

    [Fact]
    public void Wrappers_pass_the_shape_to_their_base_and_step_it_as_the_base_alone()
    {
        int[] shape = [3, 5];
        var baseOpt = new ShapedTestOptimizer();
        var ema = new TestEma(new AveragingOptions { Base = new ShapedTestOptions(), Mode = WeightAveraging.Ema, Momentum = 0.9 }, baseOpt);
        var wrapped = ema.Init<float>(shape);
        var alone = baseOpt.Init<float>(shape);
        Assert.Equal(shape, wrapped.Shape);
        Assert.Equal([15, 15, 3], Enumerable.Range(0, 3).Select(k => wrapped.SlotAt(k).Length));
        float[] p1 = SeededInputs.Values<float>(15, 9, 1), p2 = (float[])p1.Clone();
        for (int t = 0; t < 4; t++)
        {
            float[] g = SeededInputs.Values<float>(15, 9, (ulong)(2 + t));
            ema.Update(wrapped, p1, g, 0.1);
            baseOpt.Update(alone, p2, g, 0.1);
        }
        NumericAssert.BitExact(p1, p2);
        NumericAssert.BitExact(alone.SlotAt(1).ToArray(), wrapped.SlotAt(2).ToArray());
        Assert.True(OptimizerStateFormat.Load<float>(Bytes(wrapped)).BitEquals(wrapped));
    }

    /// <summary>The library's EMA wrapper over the fixture (the library's factories know only the library's records).</summary>
    sealed class TestEma(AveragingOptions options, IOptimizer baseOptimizer) : AveragingOptimizer(options, baseOptimizer)
    {
        protected override void Ema<T>(Span<T> a, ReadOnlySpan<T> p, double momentum)
        {
            T m = T.CreateTruncating(momentum), k = T.CreateTruncating(1 - momentum);
            for (int i = 0; i < a.Length; i++) a[i] = m * a[i] + k * p[i];
        }

        protected override void Mean<T>(Span<T> a, ReadOnlySpan<T> p, long count)
        {
            T n = T.CreateTruncating(count);
            for (int i = 0; i < a.Length; i++) a[i] += (p[i] - a[i]) / n;
        }
    }

    [Fact]
    public void A_state_whose_slot_lengths_do_not_fit_the_optimizer_is_refused_naming_the_slot()
    {
        var adam = new FastAdam(new AdamOptions());
        var odd = new OptimizerState<float>("adam", [4], ["m", "v"], [4, 2], []);
        var e = Assert.Throws<ArgumentException>(() => adam.Update(odd, new float[4], new float[4], 0.1));
        Assert.Contains("slot 'v' has 2 elements", e.Message);
        var shaped = new ShapedTestOptimizer();
        var wrong = new OptimizerState<float>("test-shaped", [2, 3], ["velocity", "row"], [6, 3], []);
        e = Assert.Throws<ArgumentException>(() => shaped.Update(wrong, new float[6], new float[6], 0.1));
        Assert.Contains("slot 'row' has 3 elements", e.Message);
        Assert.Contains("[2, 3]", e.Message);
    }

    [Fact]
    public void Bad_shapes_are_one_clear_error()
    {
        var opt = new ShapedTestOptimizer();
        Assert.Contains("negative dimension -1", Assert.Throws<ArgumentOutOfRangeException>(() => opt.Init<float>([2, -1])).Message);
        Assert.Contains("more than 2147483647 elements", Assert.ThrowsAny<ArgumentException>(() => new Adam(new AdamOptions()).Init<float>([65536, 65536])).Message);
        Assert.Contains("at most 32", Assert.ThrowsAny<ArgumentException>(() => opt.Init<float>(new int[33])).Message);
    }

    // ---- damaged version-3 headers --------------------------------------------------------------------

    /// <summary>A saved [2, 3] state of the shaped fixture; the shape header sits right after the (empty) scalar list.</summary>
    static byte[] Shaped(out int rankAt)
    {
        var s = Trained<float>(new ShapedTestOptimizer(), [2, 3], 2);
        byte[] b = Bytes(s);
        // magic 8, version 2, code 1, reserved 1, step 8, length 4, name (2 + 11), slot count 2, names (2+8, 2+3), scalar count 2
        rankAt = 24 + 2 + "test-shaped".Length + 2 + (2 + "velocity".Length) + (2 + "row".Length) + 2;
        Assert.Equal(2, BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(rankAt)));
        return b;
    }

    /// <summary>The bytes with one field changed and the SHA-256 recomputed, so only the field's own check can catch it.</summary>
    static byte[] With(byte[] b, Action<byte[]> change)
    {
        byte[] c = (byte[])b.Clone();
        change(c);
        SHA256.HashData(c.AsSpan(0, c.Length - 32), c.AsSpan(c.Length - 32));
        return c;
    }

    static void Rejected(byte[] b, string expected)
    {
        var e = Assert.Throws<OptimizerStateFormatException>(() => OptimizerStateFormat.Load<float>(b));
        Assert.StartsWith("Not a valid optimizer state: ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_damaged_shape_or_slot_length_header_is_one_clear_error()
    {
        byte[] b = Shaped(out int at);
        Rejected(With(b, c => BinaryPrimitives.WriteUInt16LittleEndian(c.AsSpan(at), 40)), "40 dimensions; at most 32");
        Rejected(With(b, c => BinaryPrimitives.WriteInt32LittleEndian(c.AsSpan(at + 2), -2)), "dimension 0 of the shape is -2");
        Rejected(With(b, c => BinaryPrimitives.WriteInt32LittleEndian(c.AsSpan(at + 2), 4)), "has 12 elements, but the length is 6");
        Rejected(With(b, c => BinaryPrimitives.WriteInt32LittleEndian(c.AsSpan(at + 10 + 4), -1)), "slot 'row' has length -1");
        // a slot length that claims 2^30 floats: refused by the byte count before anything that size is allocated
        Rejected(With(b, c => BinaryPrimitives.WriteInt32LittleEndian(c.AsSpan(at + 10 + 4), 1 << 30)), "truncated");
        Rejected(With(b, c => BinaryPrimitives.WriteInt32LittleEndian(c.AsSpan(at + 10 + 4), 1)), "bytes follow the end of the state");
        Rejected(With(b, c => BinaryPrimitives.WriteUInt16LittleEndian(c.AsSpan(8), 4)), "format version 4; this build reads versions 1 to 3");
        // the shape block is hashed like everything else
        byte[] flipped = (byte[])b.Clone();
        flipped[at + 2] ^= 0x01;
        Assert.Throws<OptimizerStateFormatException>(() => OptimizerStateFormat.Load<float>(flipped));
    }

    [Fact]
    public void Every_truncation_of_a_shaped_state_is_rejected()
    {
        byte[] b = Shaped(out _);
        for (int n = 0; n < b.Length; n++)
            Assert.StartsWith("Not a valid optimizer state: ", Assert.Throws<OptimizerStateFormatException>(() => OptimizerStateFormat.Load<float>(b.AsSpan(0, n))).Message);
    }

    [Fact]
    public void An_optimizer_set_gives_each_tensor_its_shape()
    {
        var w = new Parameter("W", [3, 4], new float[12], new float[12]);
        var bias = new Parameter("b", [3], new float[3], new float[3]);
        var set = new OptimizerSet(new ShapedTestOptimizer(), null, [w, bias]);
        Assert.Equal([3, 4], set.States[0].Shape);
        Assert.Equal(3, set.States[0].SlotAt(1).Length);
        Assert.Equal([3], set.States[1].Shape);
        var plain = new OptimizerSet(new FastAdam(new AdamOptions()), null, [w, bias]);
        Assert.Equal([12], plain.States[0].Shape);   // element-wise: the plain state of Init(12)
        Assert.True(plain.States[0].IsPlain);
    }
}
