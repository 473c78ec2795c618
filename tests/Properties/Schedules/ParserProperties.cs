using NetNumerics.Reference.Schedules;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NetNumerics.Schedules;
using Xunit;
using NetNumerics.Testing;

namespace NetNumerics.Properties.Schedules;

/// <summary>ScheduleParser reads back what ToString prints, and rejects malformed strings clearly.</summary>
public class ParserProperties
{
    static Gen<ISchedule> Parseable => Gen.OneOf(ScheduleGens.AnyClosedForm,
        ScheduleGens.CumulativeTime.Select(s => (ISchedule)s), ScheduleGens.ExponentialLr.Select(s => (ISchedule)s),
        ScheduleGens.MultiStep.Select(s => (ISchedule)s), ScheduleGens.CosineAnnealing.Select(s => (ISchedule)s),
        ScheduleGens.Sgdr.Select(s => (ISchedule)s), ScheduleGens.OneCycle.Select(s => (ISchedule)s), ScheduleGens.Combined);

    [Property(MaxTest = 300)]
    public Property Parse_of_ToString_is_the_same_schedule() =>
        Prop.ForAll((from s in Parseable from lr0 in ScheduleGens.LearningRate from t in ScheduleGens.Long(0, 300) select (s, lr0, t)).ToArbitrary(), x =>
        {
            var parsed = ScheduleParser.Parse(x.s.ToString()!, x.lr0);
            bool sameType = parsed.GetType() == x.s.GetType()
                || x.s is JoinedSchedule { Schedules.Count: 1 } j && parsed.GetType() == j.Schedules[0].GetType();
            bool sameText = parsed.ToString() == x.s.ToString();
            bool sameValue = x.s is OneCycle o && x.t > o.TotalSteps
                || Ulp.Distance(parsed.At(x.t), x.s.At(x.t), NanPolicy.PayloadExact, SignedZeroPolicy.Distinct) == 0;
            return (sameType && sameText && sameValue).Label($"{x.s} -> {parsed}");
        });

    [Fact]
    public void Missing_keys_take_the_given_learning_rate_and_the_record_defaults()
    {
        var s = Assert.IsType<StepDecay>(ScheduleParser.Parse("step:drop=0.5,every=10", 0.2));
        Assert.Equal(new StepDecay { InitialLearningRate = 0.2, Drop = 0.5, EpochsDrop = 10 }, s);
        Assert.Equal(new ConstantLearningRate { LearningRate = 0.3 }, ScheduleParser.Parse("constant", 0.3));
        Assert.Equal(new OneCycle { MaxLearningRate = 0.1, TotalSteps = 500 }, ScheduleParser.Parse(" OneCycle : total = 500 ", 0.1));
        var w = Assert.IsType<LinearWarmup>(ScheduleParser.Parse("warmup:steps=50", 0.1));
        Assert.Equal(0.1, w.TargetLearningRate);
        Assert.Equal(0.0, w.InitialLearningRate);
        var m = Assert.IsType<MultiStepDecay>(ScheduleParser.Parse("multistep:milestones=30/80,gamma=0.1", 0.1));
        Assert.Equal([30L, 80L], m.Milestones);
    }

    [Theory]
    [InlineData("stepp:drop=0.5", "Unknown schedule 'stepp'", "known schedules")]
    [InlineData("step:dorp=0.5", "unknown key 'dorp'", "drop, every")]
    [InlineData("step:drop=half", "drop='half' is not a number", "'step' takes keys")]
    [InlineData("step:every=2.5", "every='2.5' is not an integer", "'step' takes keys")]
    [InlineData("step:drop", "'drop' is not of the form key=value", "'step' takes keys")]
    [InlineData("step:drop=0.5,drop=0.1", "key 'drop' is given twice", "'step' takes keys")]
    [InlineData("exp:staircase=maybe", "is not true or false", "staircase")]
    [InlineData("clr:mode=triangle", "not one of triangular, triangular2, exp_range", "'clr' takes keys")]
    [InlineData("multistep:milestones=30/x", "not a '/'-separated list of integers", "milestones")]
    [InlineData("piecewise:lr=0.1", "unknown key 'lr'", "boundaries, values")]
    [InlineData("warmup:steps=5 |5x| cosine", "join boundary '5x' is not an integer", "step")]
    [InlineData("warmup:steps=5 |5| cosine |", "A |boundary| B", "between each pair")]
    [InlineData("warmup * cosine:alpah=0.1", "unknown key 'alpah'", "lr, steps, alpha")]
    [InlineData("wsd:form=cos", "form='cos' is not one of sqrt, linear", "'wsd' takes keys: lr, warmup, stable, decay")]
    [InlineData("wsd:cooldown=10", "unknown key 'cooldown'", "form (sqrt | linear), min")]
    [InlineData("invsqrt:warmup=4k", "warmup='4k' is not an integer", "'invsqrt' takes keys: lr, warmup")]
    public void Malformed_strings_say_what_is_wrong_and_what_is_allowed(string text, string what, string allowed)
    {
        var ex = Assert.Throws<ArgumentException>(() => ScheduleParser.Parse(text, 0.1));
        Assert.Equal("text", ex.ParamName);
        Assert.Contains(what, ex.Message);
        Assert.Contains(allowed, ex.Message);
    }

    [Fact]
    public void Wsd_and_inverse_sqrt_read_their_keys_and_defaults()
    {
        Assert.Equal(new WarmupStableDecay { LearningRate = 0.1, WarmupSteps = 10, StableSteps = 80, DecaySteps = 10, Form = CooldownForm.Linear, MinLearningRate = 0.001 },
            ScheduleParser.Parse("wsd:lr=0.1,warmup=10,stable=80,decay=10,form=linear,min=0.001", 0.5));
        Assert.Equal(new WarmupStableDecay { LearningRate = 0.5 }, ScheduleParser.Parse("wsd", 0.5));
        Assert.Equal(new InverseSqrtDecay { LearningRate = 0.5, WarmupSteps = 400 }, ScheduleParser.Parse("invsqrt:warmup=400", 0.5));
        Assert.Equal("invsqrt:lr=0.5,warmup=400", ScheduleParser.Parse("invsqrt:warmup=400", 0.5).ToString());
        Assert.Equal("wsd:lr=0.5,warmup=0,stable=800,decay=200,form=sqrt,min=0", ScheduleParser.Parse("wsd", 0.5).ToString());
        var ex = Assert.Throws<ArgumentException>(() => ScheduleParser.Parse("wsd:min=0.2", 0.1));
        Assert.Equal("MinLearningRate", ex.ParamName);
        Assert.Contains("must not exceed LearningRate (0.1)", ex.Message);
        var zero = Assert.Throws<ArgumentOutOfRangeException>(() => ScheduleParser.Parse("invsqrt:warmup=0", 0.1));
        Assert.Equal("WarmupSteps", zero.ParamName);
        var big = Assert.Throws<ArgumentException>(() => ScheduleParser.Parse("wsd:stable=9007199254740992,decay=1", 0.1));
        Assert.Contains("at most 2^53", big.Message);
    }

    [Fact]
    public void Joins_and_products_read_as_the_combinators()
    {
        var s = ScheduleParser.Parse("warmup:steps=100 * constant |100| cosine:steps=900,alpha=0.01", 0.1);
        var join = Assert.IsType<JoinedSchedule>(s);
        Assert.Equal([100L], join.Boundaries);
        var product = Assert.IsType<ProductSchedule>(join.Schedules[0]);
        Assert.Equal(new LinearWarmup { TargetLearningRate = 0.1, WarmupSteps = 100 }, product.Factors[0]);
        Assert.Equal(new ConstantLearningRate { LearningRate = 0.1 }, product.Factors[1]);
        Assert.Equal(new CosineDecay { InitialLearningRate = 0.1, DecaySteps = 900, Alpha = 0.01 }, join.Schedules[1]);
    }

    [Fact]
    public void Out_of_range_values_surface_the_records_own_error()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ScheduleParser.Parse("step:drop=1.5", 0.1));
        Assert.Equal("Drop", ex.ParamName);
        Assert.Contains("(0, 1]", ex.Message);
        var pw = Assert.Throws<ArgumentException>(() => ScheduleParser.Parse("piecewise:boundaries=10/20,values=0.1", 0.1));
        Assert.Contains("one more value", pw.Message);
    }
}
