using NetNumerics.Fast.Optimizers;
using NetNumerics.Optimizers;
using System.Numerics;
using Xunit;

namespace NetNumerics.Properties.Optimizers;

/// <summary>
/// Issue 14 #17: the optimizer state's contract is enforced, not assumed. A step outside [0, 2^53] (-1 made t = 0 and
/// every parameter NaN; long.MaxValue overflowed on the next increment) is refused where it is set, and an Update that
/// starts on a state while another Update runs on it throws instead of corrupting the slots (an interlocked flag per
/// state). The overlap is made deterministic: the first Update is held inside its formula until the second has been tried.
/// </summary>
public class StateContractTests
{
    [Theory]
    [InlineData(-1L)]
    [InlineData(long.MaxValue)]
    [InlineData((1L << 53) + 1)]
    public void A_step_outside_0_to_2_to_the_53_is_refused_where_it_is_set(long step)
    {
        var state = FastOptimizers.For(new AdamOptions()).Init<float>(4);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => state.Step = step);
        Assert.Contains("Step", e.Message);
        Assert.Contains(step.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message);
        Assert.Equal(0, state.Step);
    }

    [Fact]
    public void The_last_representable_step_cannot_be_advanced_and_nothing_turns_nan()
    {
        var adam = FastOptimizers.For(new AdamOptions());
        var state = adam.Init<float>(4);
        state.Step = 1L << 53;
        float[] p = [1, 2, 3, 4], g = [0.1f, 0.1f, 0.1f, 0.1f];
        Assert.Throws<InvalidOperationException>(() => adam.Update(state, p, g, 1e-3));
        Assert.Equal([1f, 2, 3, 4], p);
        Assert.Equal(1L << 53, state.Step);
    }

    /// <summary>Options of the blocking test optimizer (no slots).</summary>
    sealed record HoldOptions : IOptimizerOptions
    {
        public string Name => "hold";
        public IReadOnlyList<string> SlotNames => [];
        public void Validate() { }
    }

    /// <summary>p -= lr * g, but the first call waits inside the formula until released; later calls record that they overlapped.</summary>
    sealed class HoldingOptimizer() : OptimizerBase(new HoldOptions())
    {
        public readonly ManualResetEventSlim Entered = new(), Release = new();
        int _inside, _calls;
        public int Overlaps;

        protected override void Apply<T>(OptimizerState<T> state, Span<T> parameters, ReadOnlySpan<T> gradients, double learningRate)
        {
            if (Interlocked.Increment(ref _inside) > 1) Interlocked.Increment(ref Overlaps);
            if (Interlocked.Increment(ref _calls) == 1) { Entered.Set(); Release.Wait(TimeSpan.FromSeconds(30)); }
            T lr = T.CreateTruncating(learningRate);
            for (int i = 0; i < parameters.Length; i++) parameters[i] -= lr * gradients[i];
            Interlocked.Decrement(ref _inside);
        }
    }

    [Fact]
    public async Task A_second_update_on_a_state_in_use_throws_and_the_first_completes_untouched()
    {
        var opt = new HoldingOptimizer();
        var state = opt.Init<float>(3);
        float[] p1 = [1, 1, 1], p2 = [5, 5, 5], g = [1, 1, 1];
        var first = Task.Run(() => opt.Update(state, p1, g, 0.5));
        Assert.True(opt.Entered.Wait(TimeSpan.FromSeconds(30)), "the first update did not start");
        var e = Assert.Throws<InvalidOperationException>(() => opt.Update(state, p2, g, 0.5));
        Assert.Contains("already being updated by another thread", e.Message);
        opt.Release.Set();
        await first;
        Assert.Equal(0, opt.Overlaps);
        Assert.Equal([0.5f, 0.5f, 0.5f], p1);
        Assert.Equal([5f, 5f, 5f], p2);     // the refused update touched nothing
        Assert.Equal(1, state.Step);
        opt.Update(state, p2, g, 0.5);      // the state is free again
        Assert.Equal(2, state.Step);
    }

    [Fact]
    public async Task Different_states_may_be_updated_at_the_same_time()
    {
        var opt = new HoldingOptimizer();
        var a = opt.Init<float>(2);
        var b = opt.Init<float>(2);
        float[] pa = [1, 1], pb = [1, 1], g = [1, 1];
        var first = Task.Run(() => opt.Update(a, pa, g, 1));
        Assert.True(opt.Entered.Wait(TimeSpan.FromSeconds(30)));
        opt.Update(b, pb, g, 1);            // no exception: another state
        opt.Release.Set();
        await first;
        Assert.Equal(1, opt.Overlaps);
        Assert.Equal((1L, 1L), (a.Step, b.Step));
    }

    [Fact]
    public void A_state_is_released_when_an_update_throws()
    {
        var adam = FastOptimizers.For(new AdamOptions());
        var state = adam.Init<float>(2);
        Assert.Throws<ArgumentException>(() => adam.Update(state, new float[2], new float[3], 1e-3));   // lengths differ
        float[] p = [1, 1];
        adam.Update(state, p, new float[] { 0.1f, 0.1f }, 1e-3);
        Assert.Equal(1, state.Step);
    }
}
