using NetNumerics.Testing;
using Xunit;

namespace NetNumerics.Properties.Testing;

/// <summary>The public width cap: scoped, nested, restored, per async flow, validated.</summary>
public class SimdWidthTests
{
    [Fact]
    public void Scopes_cap_the_width_nest_and_restore()
    {
        Assert.Equal(SimdWidth.Hardware, SimdWidth.Current);
        Assert.Equal(VectorWidth.Bits512, SimdWidth.Cap);
        using (SimdWidth.Limit(VectorWidth.Bits256))
        {
            Assert.True(SimdWidth.Current <= VectorWidth.Bits256);
            using (SimdWidth.Limit(VectorWidth.Scalar)) Assert.Equal(VectorWidth.Scalar, SimdWidth.Current);
            Assert.Equal(VectorWidth.Bits256, SimdWidth.Cap);
        }
        Assert.Equal(SimdWidth.Hardware, SimdWidth.Current);
        Assert.Equal(VectorWidth.Scalar, SimdWidth.Available[^1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => SimdWidth.Limit((VectorWidth)64));
    }

    [Fact]
    public async Task A_scope_follows_its_flow_across_awaits_and_not_into_other_threads()
    {
        using (SimdWidth.Limit(VectorWidth.Bits128))
        {
            await Task.Yield();
            Assert.Equal(VectorWidth.Bits128, SimdWidth.Cap);
            VectorWidth seenElsewhere = VectorWidth.Scalar;
            var t = new Thread(() => seenElsewhere = SimdWidth.Cap);   // a thread that does not flow this context
            t.UnsafeStart();
            t.Join();
            Assert.Equal(VectorWidth.Bits512, seenElsewhere);
        }
        Assert.Equal(VectorWidth.Bits512, SimdWidth.Cap);
    }

    [Fact]
    public void Concurrent_scopes_do_not_see_each_other()
    {
        var widths = new[] { VectorWidth.Bits512, VectorWidth.Bits256, VectorWidth.Bits128, VectorWidth.Scalar };
        var wrong = 0;
        Parallel.For(0, 400, i =>
        {
            var w = widths[i % 4];
            using (SimdWidth.Limit(w))
                for (int k = 0; k < 100; k++)
                    if (SimdWidth.Cap != w) Interlocked.Increment(ref wrong);
        });
        Assert.Equal(0, wrong);
    }
}
