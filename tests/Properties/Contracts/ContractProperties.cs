using NetNumerics.Optimizers;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace NetNumerics.Properties.Contracts;

public class ContractProperties
{
    [Property(MaxTest = 200)]
    public bool Aligned_buffers_start_on_a_64_byte_boundary(byte length)
    {
        var f = AlignedBuffer.Allocate<float>(length);
        var d = AlignedBuffer.Allocate<double>(length);
        unsafe
        {
            fixed (float* pf = f.Array) fixed (double* pd = d.Array)
                return f.Count == length && d.Count == length
                    && ((nint)(pf + f.Offset)) % 64 == 0 && ((nint)(pd + d.Offset)) % 64 == 0;
        }
    }

    [Property(MaxTest = 200)]
    public bool Counter_rng_is_a_pure_function_of_seed_stream_index(ulong seed, ulong stream, ulong index)
    {
        double u = CounterRng.Uniform(seed, stream, index);
        return u == CounterRng.Uniform(seed, stream, index) && u >= 0 && u < 1
            && CounterRng.Bits(seed, stream, index) != CounterRng.Bits(seed, stream, index + 1);
    }

    [Property(MaxTest = 200)]
    public Property Guard_rejects_values_outside_unit_interval_naming_argument_and_value()
    {
        var bad = Gen.Elements(-0.5, 1.0, 1.5, double.NaN, double.PositiveInfinity, double.NegativeInfinity);
        return Prop.ForAll(bad.ToArbitrary(), v =>
        {
            var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Guard.UnitInterval(v, "beta1"));
            return ex.ParamName == "beta1" && ex.Message.Contains("[0, 1)") && ex.Message.Contains(v.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        });
    }

    [Fact]
    public void Optimizer_state_clone_is_deep_and_bit_equal()
    {
        var s = new OptimizerState<float>("adam", 5, new[] { "m", "v" }) { Step = 3 };
        s.Slot("m").Span[2] = 1.5f;
        var c = s.Clone();
        Assert.True(c.BitEquals(s));
        c.Slot("v").Span[4] = -0f;   // -0 and +0 differ in bits
        Assert.False(c.BitEquals(s));
        Assert.Equal(1.5f, c.Slot("m").Span[2]);
        var ex = Assert.Throws<ArgumentException>(() => s.Slot("velocity"));
        Assert.Contains("m, v", ex.Message);
    }
}
