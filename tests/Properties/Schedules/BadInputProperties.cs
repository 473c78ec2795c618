using NetNumerics.Reference.Schedules;
using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NetNumerics.Fast.Schedules;
using NetNumerics.Schedules;
using Xunit;

namespace NetNumerics.Properties.Schedules;

/// <summary>Bad input is an ArgumentException naming the argument, its value and what is allowed.</summary>
public class BadInputProperties
{
    static Gen<ISchedule> Any => Gen.OneOf(ScheduleGens.AnyClosedForm, ScheduleGens.Combined,
        ScheduleGens.CumulativeTime.Select(s => (ISchedule)s), ScheduleGens.ExponentialLr.Select(s => (ISchedule)s),
        ScheduleGens.MultiStep.Select(s => (ISchedule)s), ScheduleGens.CosineAnnealing.Select(s => (ISchedule)s),
        ScheduleGens.Sgdr.Select(s => (ISchedule)s), ScheduleGens.OneCycle.Select(s => (ISchedule)s));

    [Property(MaxTest = 200)]
    public Property A_negative_step_is_rejected_by_Reference_and_Fast_naming_step_and_value() =>
        Prop.ForAll((from s in Any from step in ScheduleGens.Long(1, long.MaxValue - 1) select (s, step: -step)).ToArbitrary(), x =>
        {
            string value = x.step.ToString(CultureInfo.InvariantCulture);
            var r = Assert.Throws<ArgumentOutOfRangeException>(() => x.s.At(x.step));
            var f = Assert.Throws<ArgumentOutOfRangeException>(() => FastSchedule.From(x.s).At(x.step));
            var fill = Assert.Throws<ArgumentOutOfRangeException>(() => FastSchedule.From(x.s).Fill(x.step, new double[3]));
            return (r.ParamName == "step" && r.Message.Contains(value) && r.Message.Contains(">= 0")
                    && f.ParamName == "step" && f.Message.Contains(value)
                    && fill.ParamName == "firstStep" && fill.Message.Contains(value)).Label($"{x.s} at {x.step}: {r.Message} / {fill.Message}");
        });

    static Gen<double> BadRate => Gen.OneOf(
        Gen.Elements(double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.1, -double.Epsilon),
        ScheduleGens.LogUniform(-6, 6).Select(v => -v));

    /// <summary>Each record's learning-rate property rejects negative or non-finite values, naming itself and the value.</summary>
    [Property(MaxTest = 200)]
    public Property Negative_or_non_finite_learning_rates_are_rejected_naming_the_property() =>
        Prop.ForAll(BadRate.ToArbitrary(), v =>
        {
            (string Name, Action Build)[] builders =
            [
                ("LearningRate", () => _ = new ConstantLearningRate { LearningRate = v }),
                ("InitialLearningRate", () => _ = new TimeBasedDecay { InitialLearningRate = v }),
                ("InitialLearningRate", () => _ = new StepDecay { InitialLearningRate = v }),
                ("InitialLearningRate", () => _ = new CosineDecay { InitialLearningRate = v }),
                ("MinLearningRate", () => _ = new CosineAnnealing { MinLearningRate = v }),
                ("MaxLearningRate", () => _ = new OneCycle { MaxLearningRate = v }),
                ("BaseLearningRate", () => _ = new CyclicalLearningRate { BaseLearningRate = v }),
                ("EndLearningRate", () => _ = new PolynomialDecay { EndLearningRate = v }),
                ("TargetLearningRate", () => _ = new LinearWarmup { TargetLearningRate = v }),
                ("Values[0]", () => _ = new PiecewiseConstantDecay { Values = [v] }),
            ];
            string shown = v.ToString("R", CultureInfo.InvariantCulture);
            foreach (var (name, build) in builders)
            {
                var ex = Assert.Throws<ArgumentOutOfRangeException>(build);
                if (ex.ParamName != name || !ex.Message.Contains(shown) || !ex.Message.Contains(">= 0"))
                    return false.Label($"{name} = {shown}: {ex.ParamName}: {ex.Message}");
            }
            return true.ToProperty();
        });

    [Property(MaxTest = 100)]
    public Property Periods_and_step_counts_must_be_positive() =>
        Prop.ForAll(ScheduleGens.Long(0, 1000).Select(v => -v).ToArbitrary(), v =>
        {
            (string Name, Action Build)[] builders =
            [
                ("EpochsDrop", () => _ = new StepDecay { EpochsDrop = v }),
                ("DecaySteps", () => _ = new ExponentialDecay { DecaySteps = v }),
                ("DecaySteps", () => _ = new CosineDecay { DecaySteps = v }),
                ("TMax", () => _ = new CosineAnnealing { TMax = v }),
                ("FirstPeriod", () => _ = new CosineWarmRestarts { FirstPeriod = v }),
                ("StepSize", () => _ = new CyclicalLearningRate { StepSize = v }),
                ("TotalSteps", () => _ = new OneCycle { TotalSteps = v }),
                ("WarmupSteps", () => _ = new LinearWarmup { WarmupSteps = v }),
            ];
            foreach (var (name, build) in builders)
            {
                var ex = Assert.Throws<ArgumentOutOfRangeException>(build);
                if (ex.ParamName != name || !ex.Message.Contains($"was {v}") || !ex.Message.Contains("> 0"))
                    return false.Label($"{name} = {v}: {ex.Message}");
            }
            return true.ToProperty();
        });

    [Fact]
    public void Cross_field_rules_are_checked_with_clear_messages()
    {
        var clr = Assert.Throws<ArgumentOutOfRangeException>(() => new CyclicalLearningRate { BaseLearningRate = 0.1, MaxLearningRate = 0.01 }.At(0));
        Assert.Equal("MaxLearningRate", clr.ParamName);
        Assert.Contains("BaseLearningRate", clr.Message);

        var pw = Assert.Throws<ArgumentException>(() => new PiecewiseConstantDecay { Boundaries = [10, 20], Values = [0.1, 0.01] }.At(0));
        Assert.Contains("one more value than boundaries", pw.Message);
        var inc = Assert.Throws<ArgumentException>(() => new PiecewiseConstantDecay { Boundaries = [10, 10] });
        Assert.Contains("strictly increasing", inc.Message);

        var oc = Assert.Throws<ArgumentOutOfRangeException>(() => new OneCycle { TotalSteps = 10, PctStart = 0.05 }.At(0));
        Assert.Equal("PctStart", oc.ParamName);
        var past = Assert.Throws<ArgumentOutOfRangeException>(() => new OneCycle { TotalSteps = 10 }.At(11));
        Assert.Equal("step", past.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => FastSchedule.From(new OneCycle { TotalSteps = 10 }).Fill(5, new double[7]));

        var join = Assert.Throws<ArgumentException>(() => new JoinedSchedule([new ConstantLearningRate()], [5L]));
        Assert.Contains("one more schedule than boundaries", join.Message);

        var func = Assert.Throws<InvalidOperationException>(() => new FunctionSchedule(t => t == 3 ? double.NaN : 0.1, "mine").At(3));
        Assert.Contains("'mine'", func.Message);
        Assert.Contains("NaN", func.Message);
        Assert.Contains("step 3", func.Message);
    }
}
