using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NetNumerics.Optimizers;
using NetNumerics.Reference.Optimizers;
using Xunit;
using NetNumerics.Testing;

namespace NetNumerics.Properties.Optimizers;

/// <summary>OptimizerStateFormat: bit-exact round trips, and every kind of damage rejected with a clear message.</summary>
public class StateFormatProperties
{
    /// <summary>A state after a few real Adam (AMSGrad) steps on random data: 3 slots with arbitrary bits.</summary>
    static OptimizerState<T> Trained<T>(int length, int steps, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var adam = new Adam(new AdamOptions { Amsgrad = true });
        var state = adam.Init<T>(length);
        var rng = new Random(seed);
        var p = new T[length]; var g = new T[length];
        for (int s = 0; s < steps; s++)
        {
            for (int i = 0; i < length; i++) g[i] = T.CreateTruncating(rng.NextDouble() * 2 - 1);
            adam.Update(state, p, g, 1e-3);
        }
        return state;
    }

    static byte[] Bytes<T>(OptimizerState<T> s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var ms = new MemoryStream();
        OptimizerStateFormat.Save(s, ms);
        Assert.Equal(OptimizerStateFormat.SizeOf(s), ms.Length);
        return ms.ToArray();
    }

    [Property(MaxTest = 40)]
    public Property Round_trip_is_bit_exact_for_float_double_and_half() =>
        Prop.ForAll(Gen.Choose(0, 300).ToArbitrary(), Gen.Choose(0, 5).ToArbitrary(), (length, steps) =>
        {
            var f = Trained<float>(length, steps, length);
            var d = Trained<double>(length, steps, length);
            var h = Trained<Half>(length, steps, length);
            return OptimizerStateFormat.Load<float>(Bytes(f)).BitEquals(f)
                && OptimizerStateFormat.Load<double>(Bytes(d)).BitEquals(d)
                && OptimizerStateFormat.Load<Half>(Bytes(h)).BitEquals(h)
                && Bytes(OptimizerStateFormat.Load<float>(Bytes(f))).AsSpan().SequenceEqual(Bytes(f));
        });

    [Fact]
    public void Round_trip_keeps_nan_payloads_signed_zeros_and_infinities()
    {
        var s = new OptimizerState<float>("custom", 4, ["a"]) { Step = OptimizerState<float>.MaxStep };   // the largest step a state holds
        float[] odd = [BitConverter.Int32BitsToSingle(unchecked((int)0xFFC01234)), -0f, float.NegativeInfinity, float.Epsilon];
        odd.CopyTo(s.SlotAt(0).Span);
        var back = OptimizerStateFormat.Load<float>(Bytes(s));
        NumericAssert.BitExact(s, back, NanPolicy.PayloadExact);   // a file format keeps every bit: payload-exact, the kit's opt-in
        Assert.Equal(OptimizerState<float>.MaxStep, back.Step);
    }

    [Fact]
    public void Every_truncation_is_rejected_naming_the_problem()
    {
        byte[] b = Bytes(Trained<float>(5, 2, 1));
        for (int n = 0; n < b.Length; n++)
        {
            var e = Assert.Throws<OptimizerStateFormatException>(() => OptimizerStateFormat.Load<float>(b.AsSpan(0, n)));
            Assert.StartsWith("Not a valid optimizer state: ", e.Message);
            Assert.DoesNotContain('\n', e.Message);
        }
    }

    [Fact]
    public void Every_single_bit_flip_is_rejected()
    {
        byte[] b = Bytes(Trained<double>(3, 2, 2));
        for (int bit = 0; bit < b.Length * 8; bit++)
        {
            byte[] c = (byte[])b.Clone();
            c[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.Throws<OptimizerStateFormatException>(() => OptimizerStateFormat.Load<double>(c));
        }
    }

    [Fact]
    public void Trailing_bytes_wrong_element_type_and_newer_versions_are_rejected()
    {
        byte[] b = Bytes(Trained<float>(7, 1, 3));
        Assert.Contains("bytes follow the end", Assert.Throws<OptimizerStateFormatException>(() => OptimizerStateFormat.Load<float>([.. b, 0])).Message);
        Assert.Contains("holds float elements; double was asked for",
            Assert.Throws<OptimizerStateFormatException>(() => OptimizerStateFormat.Load<double>(b)).Message);
        byte[] newer = (byte[])b.Clone();
        newer[8] = OptimizerStateFormat.Version + 1;
        Assert.Contains("format version 2", Assert.Throws<OptimizerStateFormatException>(() => OptimizerStateFormat.Load<float>(newer)).Message);
    }

    [Fact]
    public void A_header_claiming_huge_slots_allocates_nothing_before_rejecting()
    {
        byte[] b = Bytes(Trained<float>(2, 1, 4));
        b[20] = 0xFF; b[21] = 0xFF; b[22] = 0xFF; b[23] = 0x7F;   // length = int.MaxValue
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<OptimizerStateFormatException>(() => OptimizerStateFormat.Load<float>(b));
        Assert.Contains("truncated", e.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024, "rejecting must not allocate what the header claims");
    }

    sealed class OneWayStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    }

    [Fact]
    public void Loads_from_a_stream_that_cannot_seek()
    {
        var s = Trained<float>(33, 3, 5);
        NumericAssert.BitExact(s, OptimizerStateFormat.Load<float>(new OneWayStream(Bytes(s))), NanPolicy.PayloadExact);
    }
}
