using FsCheck;
using FsCheck.Fluent;
using NetNumerics.Reference.Optimizers;
using NetNumerics.Optimizers;
using NetNumerics.Testing;
using Xunit;

namespace NetNumerics.Properties.Testing;

/// <summary>NumericAssert passes exactly when its rule holds, and its failure names the index, both values with their bits, the distance and the allowance.</summary>
public class NumericAssertTests
{
    [Fact]
    public void WithinUlps_passes_at_k_and_fails_below_k()
    {
        Prop.ForAll(Arb.From(from x in FloatGen.Finite<float>() from k in Gen.Choose(1, 1000) select (x, k)), c =>
        {
            float y = Ulp.Offset(c.x, c.k);
            if (Ulp.Distance(c.x, y) != (ulong)c.k) return true.ToProperty();   // saturated at infinity: nothing to check
            NumericAssert.WithinUlps<float>([c.x], [y], (ulong)c.k);
            var e = Assert.Throws<NumericAssertException>(() => NumericAssert.WithinUlps<float>([c.x], [y], (ulong)c.k - 1));
            return e.Message.Contains($"distance {c.k} ULP").Label(e.Message);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(500));
    }

    [Fact]
    public void The_failure_message_names_the_first_index_both_values_in_decimal_and_hex_and_the_distance()
    {
        float[] expected = [1f, 2f, 3f, 4f], actual = [1f, 2f, MathF.BitIncrement(3f), 5f];
        var e = Assert.Throws<NumericAssertException>(() => NumericAssert.BitExact<float>(expected, actual, label: "y"));
        Assert.Contains("BitExact failed for y: 2 of 4 elements out of tolerance; first at index 2", e.Message);
        Assert.Contains("expected 3 (0x40400000)", e.Message);
        Assert.Contains("actual   3.0000002 (0x40400001)", e.Message);
        Assert.Contains("distance 1 ULP", e.Message);
        Assert.Contains("largest distance 2097152 ULP at index 3: expected 4 (0x40800000), actual 5 (0x40A00000)", e.Message);
    }

    [Fact]
    public void WithinBound_reports_the_difference_and_the_bound()
    {
        double[] expected = [1.0, 2.0], actual = [1.0, 2.5];
        NumericAssert.WithinBound<double>(expected, actual, [0, 0.5]);
        var e = Assert.Throws<NumericAssertException>(() => NumericAssert.WithinBound<double>(expected, actual, 0.25));
        Assert.Contains("first at index 1", e.Message);
        Assert.Contains("|actual - expected| = 0.5, bound 0.25 (2x the bound)", e.Message);
        Assert.Contains("(0x4004000000000000)", e.Message);
        Assert.Throws<NumericAssertException>(() => NumericAssert.WithinBound(1.0, 1.0 + 1e-9, double.NaN));
        NumericAssert.WithinBound(double.PositiveInfinity, double.PositiveInfinity, 0);
        Assert.Throws<ArgumentException>(() => NumericAssert.WithinBound<double>(expected, actual, [1.0]));
    }

    [Fact]
    public void BitExact_sees_the_sign_of_zero_and_NaN_payloads_only_when_asked()
    {
        Assert.Throws<NumericAssertException>(() => NumericAssert.BitExact(0.0, -0.0));
        NumericAssert.WithinUlps(0.0, -0.0, 0);
        Assert.Throws<NumericAssertException>(() => NumericAssert.WithinUlps(0.0, -0.0, 0, zero: SignedZeroPolicy.Distinct));
        float a = BitConverter.Int32BitsToSingle(0x7FC00001), b = BitConverter.Int32BitsToSingle(0x7FC00002);
        NumericAssert.BitExact(a, b);   // the default: which payload comes out when two NaNs meet is unspecified
        NumericAssert.BitExact(a, -b);
        var payload = Assert.Throws<NumericAssertException>(() => NumericAssert.BitExact(a, b, NanPolicy.PayloadExact));
        Assert.Contains("NaN payloads must match", payload.Message);
        NumericAssert.BitExact(a, a, NanPolicy.PayloadExact);
        Assert.Throws<NumericAssertException>(() => NumericAssert.BitExact(a, 1f));
        Assert.Throws<NumericAssertException>(() => NumericAssert.BitExact(1f, a));
        var lengths = Assert.Throws<NumericAssertException>(() => NumericAssert.BitExact<float>([1f], [1f, 2f]));
        Assert.Contains("expected has 1 elements but actual has 2", lengths.Message);
    }

    [Fact]
    public void Optimizer_states_are_compared_slot_by_slot()
    {
        var adam = new Adam(new AdamOptions());
        var a = adam.Init<float>(3);
        adam.Update(a, new float[] { 1, 2, 3 }, new float[] { 0.1f, 0.2f, 0.3f }, 1e-3);
        var b = a.Clone();
        NumericAssert.BitExact(a, b);
        b.Slot("v").Span[1] = MathF.BitIncrement(b.Slot("v").Span[1]);
        var e = Assert.Throws<NumericAssertException>(() => NumericAssert.BitExact(a, b));
        Assert.Contains("slot 'v'", e.Message);
        Assert.Contains("first at index 1", e.Message);
        b = a.Clone(); b.Step++;
        Assert.Contains("step 2", Assert.Throws<NumericAssertException>(() => NumericAssert.BitExact(a, b)).Message);
    }
}
