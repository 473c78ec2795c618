using NetNumerics.Schedules;
namespace NetNumerics.Reference.Schedules;

/// <summary>
/// Keras <c>PiecewiseConstantDecay(boundaries, values)</c>: <c>values[0]</c> while <c>t &lt;= b[0]</c>,
/// <c>values[i]</c> while <c>b[i-1] &lt; t &lt;= b[i]</c>, <c>values[n]</c> when <c>t &gt; b[n-1]</c>
/// (boundaries are inclusive upper ends, as in Keras).
/// </summary>
public sealed record PiecewiseConstantDecay : ISchedule
{
    /// <summary>Strictly increasing, each &gt;= 0.</summary>
    public IReadOnlyList<long> Boundaries
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(Boundaries));
            for (int i = 0; i < value.Count; i++)
            {
                Guard.NonNegative(value[i], $"{nameof(Boundaries)}[{i}]");
                if (i > 0 && value[i] <= value[i - 1])
                    throw new ArgumentException(
                        $"{nameof(Boundaries)} must be strictly increasing, but {nameof(Boundaries)}[{i}] = {value[i]} follows {value[i - 1]}.",
                        nameof(Boundaries));
            }
            field = value.ToArray();
        }
    } = [];

    /// <summary>One more value than boundaries, each finite and &gt;= 0.</summary>
    public IReadOnlyList<double> Values
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(Values));
            for (int i = 0; i < value.Count; i++) Guard.NonNegativeFinite(value[i], $"{nameof(Values)}[{i}]");
            field = value.ToArray();
        }
    } = [0.01];

    /// <summary>Throws unless <c>Values.Count == Boundaries.Count + 1</c>.</summary>
    public void Validate()
    {
        if (Values.Count != Boundaries.Count + 1)
            throw new ArgumentException(
                $"{nameof(Values)} has {Values.Count} entries but {nameof(Boundaries)} has {Boundaries.Count}; there must be exactly one more value than boundaries.",
                nameof(Values));
    }

    /// <summary>The first i with <c>t &lt;= b[i]</c> (linear scan, as Keras' chain of where's), else n.</summary>
    public double At(long step)
    {
        StepGuard.Check(step);
        Validate();
        for (int i = 0; i < Boundaries.Count; i++)
            if (step <= Boundaries[i]) return Values[i];
        return Values[Boundaries.Count];
    }

    /// <summary>The text form <c>piecewise:boundaries=a/b/...,values=x/y/z</c>, which <see cref="ScheduleParser.Parse"/> reads back.</summary>
    public override string ToString() => ScheduleText.Format("piecewise",
        ("boundaries", ScheduleText.List(Boundaries)), ("values", ScheduleText.List(Values)));
}
