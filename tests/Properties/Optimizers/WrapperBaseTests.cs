using NetNumerics.Fast.Optimizers;
using NetNumerics.Optimizers;
using NetNumerics.Reference.Optimizers;
using Xunit;

namespace NetNumerics.Properties.Optimizers;

/// <summary>
/// What the wrappers share (WrapperOptimizer): the base of the same path, and which bases they refuse. A base whose state keeps
/// scalars (Schedule-Free: lr_max, weight_sum) is refused with one line naming the wrapper and the base: its training weights
/// are recomputed from its own z and x at every step, so a wrapper could neither reset them (Lookahead) nor average them
/// without competing with its own average x (EMA, SWA).
/// </summary>
public class WrapperBaseTests
{
    static readonly (string Wrapper, Func<IOptimizerOptions, IOptimizerOptions> Wrap)[] Wrappers =
    [
        ("weight averaging", b => new AveragingOptions { Base = b }),
        ("weight averaging", b => new AveragingOptions { Base = b, Mode = WeightAveraging.Swa }),
        ("Lookahead", b => new LookaheadOptions { Base = b }),
        ("Schedule-Free", b => new ScheduleFreeOptions { Base = b }),
    ];

    [Fact]
    public void A_base_with_scalars_is_one_line_naming_the_wrapper_and_the_base()
    {
        foreach (var (wrapper, wrap) in Wrappers)
            foreach (var withScalars in new IOptimizerOptions[] { ScheduleFreeOptions.Sgd, ScheduleFreeOptions.AdamW })
            {
                Assert.NotEmpty(withScalars.ScalarNames);
                string message = Assert.Throws<ArgumentException>(() => wrap(withScalars)).Message;
                Assert.StartsWith($"{wrapper}", message);
                Assert.Contains($"cannot wrap {withScalars.Name}", message);
                Assert.Contains("lr_max, weight_sum", message);
                Assert.DoesNotContain('\n', message);
            }
    }

    [Fact]
    public void Wrappers_that_would_fight_over_the_evaluation_weights_or_nest_are_refused_by_name()
    {
        Assert.Contains("Schedule-Free cannot wrap ema-adam: both keep evaluation weights",
            Assert.Throws<ArgumentException>(() => new ScheduleFreeOptions { Base = new AveragingOptions() }).Message);
        Assert.Contains("weight averaging (ema, swa) cannot wrap swa-adam",
            Assert.Throws<ArgumentException>(() => new AveragingOptions { Base = new AveragingOptions { Mode = WeightAveraging.Swa } }).Message);
        Assert.Contains("Lookahead cannot wrap lookahead-adam",
            Assert.Throws<ArgumentException>(() => new LookaheadOptions { Base = new LookaheadOptions() }).Message);
        Assert.Contains("Lookahead cannot wrap ema-adam",
            Assert.Throws<ArgumentException>(() => new LookaheadOptions { Base = new AveragingOptions() }).Message);
        // the combinations that are meaningful stay allowed: an average over Lookahead, Schedule-Free over a Lookahead base
        Assert.Equal("ema-lookahead-adam", new AveragingOptions { Base = new LookaheadOptions() }.Name);
        Assert.Equal("sf-lookahead-sgd", new ScheduleFreeOptions { Base = new LookaheadOptions { Base = new SgdOptions() } }.Name);
    }

    [Fact]
    public void Every_wrapper_steps_with_the_base_optimizer_of_its_own_path()
    {
        foreach (var (_, wrap) in Wrappers)
        {
            var options = wrap(new LionOptions());
            var reference = Assert.IsAssignableFrom<WrapperOptimizer>(ReferenceOptimizers.For(options));
            var fast = Assert.IsAssignableFrom<WrapperOptimizer>(FastOptimizers.For(options));
            Assert.IsType<Lion>(reference.BaseOptimizer);
            Assert.IsType<FastLion>(fast.BaseOptimizer);
            Assert.Equal(reference.Name, fast.Name);
        }
    }
}
