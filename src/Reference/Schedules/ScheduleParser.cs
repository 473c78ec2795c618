using NetNumerics.Schedules;
using System.Globalization;

namespace NetNumerics.Reference.Schedules;

/// <summary>
/// Reads the text form schedules print with ToString(): <c>name</c> or <c>name:key=value,key=value</c>,
/// lists separated by '/', e.g. <c>step:drop=0.5,every=10</c>, <c>multistep:milestones=30/80,gamma=0.1</c>,
/// <c>onecycle:total=5000,pct=0.25</c>. Schedules join in sequence with <c>A |b| B</c> (B starts at step b and
/// sees steps relative to it, see <see cref="JoinedSchedule"/>) and multiply with <c>A * B</c>
/// (<see cref="ProductSchedule"/>); <c>*</c> binds tighter than <c>|b|</c>, there are no parentheses.
/// The learning-rate key (<c>lr</c>) defaults to the
/// <c>initialLearningRate</c> argument; every other key defaults as the record does. A malformed string
/// (unknown name, unknown or repeated key, bad number) is an ArgumentException that says what was wrong
/// and what is allowed; an out-of-range value is the record's own ArgumentOutOfRangeException.
/// </summary>
public static class ScheduleParser
{
    /// <summary>The schedule names understood, with the keys each takes.</summary>
    public static IReadOnlyDictionary<string, string> Names { get; } = new Dictionary<string, string>
    {
        ["constant"] = "lr",
        ["time"] = "lr, k",
        ["cumtime"] = "lr, d",
        ["step"] = "lr, drop, every, form (epoch | epoch+1)",
        ["natexp"] = "lr, k",
        ["exp"] = "lr, steps, rate, staircase",
        ["explr"] = "lr, gamma",
        ["linear"] = "lr, steps, end",
        ["invtime"] = "lr, steps, rate, staircase",
        ["poly"] = "lr, steps, end, power, cycle",
        ["piecewise"] = "boundaries, values",
        ["multistep"] = "lr, milestones, gamma",
        ["cosine"] = "lr, steps, alpha, target, warmup",
        ["cosanneal"] = "lr, tmax, min",
        ["sgdr"] = "lr, t0, tmult, mmul, min",
        ["warmup"] = "start, target, steps",
        ["onecycle"] = "lr, total, pct, anneal (cos | linear), div, finaldiv, threephase",
        ["clr"] = "lr, max, stepsize, mode (triangular | triangular2 | exp_range), gamma",
    };

    /// <summary>Reads a schedule written in the text form (see the type's summary and <see cref="Names"/>).</summary>
    /// <param name="text">E.g. <c>cosine:steps=100</c>, <c>warmup:steps=5,target=1 * cosine:steps=100</c> or <c>constant |10| step:drop=0.5</c>.</param>
    /// <param name="initialLearningRate">The default of every <c>lr</c> key (and of warmup's <c>target</c>), finite and &gt;= 0.</param>
    /// <returns>The Reference record (or a <see cref="JoinedSchedule"/> / <see cref="ProductSchedule"/> of records).</returns>
    /// <exception cref="ArgumentException">The text is malformed; the message says what was wrong and which keys the schedule takes.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of its record's range.</exception>
    public static ISchedule Parse(string text, double initialLearningRate)
    {
        ArgumentNullException.ThrowIfNull(text);
        Guard.NonNegativeFinite(initialLearningRate, nameof(initialLearningRate));
        string[] parts = text.Split('|');
        if (parts.Length == 1) return ParseProduct(text, text, initialLearningRate);
        if (parts.Length % 2 == 0)
            throw new ArgumentException(
                $"Malformed schedule \"{text}\": a join is A |boundary| B |boundary| C, with a boundary step between each pair of '|'.", nameof(text));
        var schedules = new List<ISchedule>();
        var boundaries = new List<long>();
        for (int i = 0; i < parts.Length; i++)
        {
            if (i % 2 == 0) { schedules.Add(ParseProduct(parts[i], text, initialLearningRate)); continue; }
            if (!long.TryParse(parts[i].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long b))
                throw new ArgumentException(
                    $"Malformed schedule \"{text}\": join boundary '{parts[i].Trim()}' is not an integer step.", nameof(text));
            boundaries.Add(b);
        }
        return new JoinedSchedule(schedules, boundaries);
    }

    static ISchedule ParseProduct(string segment, string text, double initialLearningRate)
    {
        string[] factors = segment.Split('*');
        if (factors.Length == 1) return ParseOne(segment, text, initialLearningRate);
        return new ProductSchedule(factors.Select(f => ParseOne(f, text, initialLearningRate)).ToArray());
    }

    static ISchedule ParseOne(string one, string text, double initialLearningRate)
    {
        string trimmed = one.Trim();
        int colon = trimmed.IndexOf(':');
        string name = (colon < 0 ? trimmed : trimmed[..colon]).Trim().ToLowerInvariant();
        if (!Names.ContainsKey(name))
            throw new ArgumentException(
                $"Unknown schedule '{name}' in \"{text}\"; known schedules: {string.Join(", ", Names.Keys)}.", nameof(text));
        var args = new KeyValueArgs(colon < 0 ? "" : trimmed[(colon + 1)..],
            what => new ArgumentException($"Malformed schedule \"{trimmed}\": {what}. '{name}' takes keys: {Names[name]}.", "text"));
        double lr = name is "piecewise" or "warmup" ? initialLearningRate : args.Double("lr", initialLearningRate);
        ISchedule schedule = name switch
        {
            "constant" => new ConstantLearningRate { LearningRate = lr },
            "time" => new TimeBasedDecay { InitialLearningRate = lr, DecayRate = args.Double("k", new TimeBasedDecay().DecayRate) },
            "cumtime" => new CumulativeTimeDecay { InitialLearningRate = lr, Decay = args.Double("d", new CumulativeTimeDecay().Decay) },
            "step" => StepOf(args, lr),
            "natexp" => new NaturalExponentialDecay { InitialLearningRate = lr, DecayRate = args.Double("k", new NaturalExponentialDecay().DecayRate) },
            "exp" => ExpOf(args, lr),
            "explr" => new ExponentialLR { InitialLearningRate = lr, Gamma = args.Double("gamma", new ExponentialLR().Gamma) },
            "linear" => LinearOf(args, lr),
            "invtime" => InvTimeOf(args, lr),
            "poly" => PolyOf(args, lr),
            "piecewise" => PiecewiseOf(args),
            "multistep" => MultiStepOf(args, lr),
            "cosine" => CosineOf(args, lr),
            "cosanneal" => CosAnnealOf(args, lr),
            "sgdr" => SgdrOf(args, lr),
            "warmup" => WarmupOf(args, initialLearningRate),
            "onecycle" => OneCycleOf(args, lr),
            _ => ClrOf(args, lr),
        };
        args.RejectUnused();
        return schedule;
    }

    static StepDecay StepOf(KeyValueArgs a, double lr)
    {
        var d = new StepDecay();
        return new StepDecay
        {
            InitialLearningRate = lr, Drop = a.Double("drop", d.Drop), EpochsDrop = a.Long("every", d.EpochsDrop),
            Form = a.Choice("form", d.Form, ("epoch", StepDecayForm.Epoch), ("epoch+1", StepDecayForm.EpochPlusOne)),
        };
    }

    static ExponentialDecay ExpOf(KeyValueArgs a, double lr)
    {
        var d = new ExponentialDecay();
        return new ExponentialDecay
        {
            InitialLearningRate = lr, DecaySteps = a.Long("steps", d.DecaySteps), DecayRate = a.Double("rate", d.DecayRate),
            Staircase = a.Bool("staircase", d.Staircase),
        };
    }

    static LinearDecay LinearOf(KeyValueArgs a, double lr)
    {
        var d = new LinearDecay();
        return new LinearDecay { InitialLearningRate = lr, DecaySteps = a.Long("steps", d.DecaySteps), EndLearningRate = a.Double("end", d.EndLearningRate) };
    }

    static InverseTimeDecay InvTimeOf(KeyValueArgs a, double lr)
    {
        var d = new InverseTimeDecay();
        return new InverseTimeDecay
        {
            InitialLearningRate = lr, DecaySteps = a.Long("steps", d.DecaySteps), DecayRate = a.Double("rate", d.DecayRate),
            Staircase = a.Bool("staircase", d.Staircase),
        };
    }

    static PolynomialDecay PolyOf(KeyValueArgs a, double lr)
    {
        var d = new PolynomialDecay();
        return new PolynomialDecay
        {
            InitialLearningRate = lr, DecaySteps = a.Long("steps", d.DecaySteps), EndLearningRate = a.Double("end", d.EndLearningRate),
            Power = a.Double("power", d.Power), Cycle = a.Bool("cycle", d.Cycle),
        };
    }

    static PiecewiseConstantDecay PiecewiseOf(KeyValueArgs a)
    {
        var d = new PiecewiseConstantDecay();
        var p = new PiecewiseConstantDecay { Boundaries = a.LongList("boundaries", d.Boundaries), Values = a.DoubleList("values", d.Values) };
        p.Validate();
        return p;
    }

    static MultiStepDecay MultiStepOf(KeyValueArgs a, double lr)
    {
        var d = new MultiStepDecay();
        return new MultiStepDecay { InitialLearningRate = lr, Milestones = a.LongList("milestones", d.Milestones), Gamma = a.Double("gamma", d.Gamma) };
    }

    static CosineDecay CosineOf(KeyValueArgs a, double lr)
    {
        var d = new CosineDecay();
        double? target = a.Has("target") ? a.Double("target", 0) : null;
        return new CosineDecay
        {
            InitialLearningRate = lr, DecaySteps = a.Long("steps", d.DecaySteps), Alpha = a.Double("alpha", d.Alpha),
            WarmupTarget = target, WarmupSteps = a.Long("warmup", d.WarmupSteps),
        };
    }

    static CosineAnnealing CosAnnealOf(KeyValueArgs a, double lr)
    {
        var d = new CosineAnnealing();
        return new CosineAnnealing { InitialLearningRate = lr, TMax = a.Long("tmax", d.TMax), MinLearningRate = a.Double("min", d.MinLearningRate) };
    }

    static CosineWarmRestarts SgdrOf(KeyValueArgs a, double lr)
    {
        var d = new CosineWarmRestarts();
        return new CosineWarmRestarts
        {
            InitialLearningRate = lr, FirstPeriod = a.Long("t0", d.FirstPeriod), PeriodMultiplier = a.Long("tmult", d.PeriodMultiplier),
            AmplitudeMultiplier = a.Double("mmul", d.AmplitudeMultiplier), MinLearningRate = a.Double("min", d.MinLearningRate),
        };
    }

    static LinearWarmup WarmupOf(KeyValueArgs a, double lr0)
    {
        var d = new LinearWarmup();
        return new LinearWarmup
        {
            InitialLearningRate = a.Double("start", d.InitialLearningRate), TargetLearningRate = a.Double("target", lr0),
            WarmupSteps = a.Long("steps", d.WarmupSteps),
        };
    }

    static OneCycle OneCycleOf(KeyValueArgs a, double lr)
    {
        var d = new OneCycle();
        var o = new OneCycle
        {
            MaxLearningRate = lr, TotalSteps = a.Long("total", d.TotalSteps), PctStart = a.Double("pct", d.PctStart),
            Anneal = a.Choice("anneal", d.Anneal, ("cos", AnnealStrategy.Cos), ("linear", AnnealStrategy.Linear)),
            DivFactor = a.Double("div", d.DivFactor), FinalDivFactor = a.Double("finaldiv", d.FinalDivFactor),
            ThreePhase = a.Bool("threephase", d.ThreePhase),
        };
        o.Validate();
        return o;
    }

    static CyclicalLearningRate ClrOf(KeyValueArgs a, double lr)
    {
        var d = new CyclicalLearningRate();
        var c = new CyclicalLearningRate
        {
            BaseLearningRate = lr, MaxLearningRate = a.Double("max", d.MaxLearningRate), StepSize = a.Long("stepsize", d.StepSize),
            Mode = a.Choice("mode", d.Mode, ("triangular", CyclicalMode.Triangular), ("triangular2", CyclicalMode.Triangular2), ("exp_range", CyclicalMode.ExpRange)),
            Gamma = a.Double("gamma", d.Gamma),
        };
        c.Validate();
        return c;
    }
}
