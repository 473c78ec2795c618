using NetNumerics.Nn;

namespace NetNumerics.Training;

/// <summary>
/// Which tensors a <see cref="ParameterGroup"/> takes: by name glob, by rank (<see cref="Parameter.Shape"/> length) or by any
/// predicate. A rule is a pure function of the tensor's name and shape, so routing is the same on every run and path.
/// </summary>
public sealed class ParameterRule
{
    readonly Func<Parameter, bool> _matches;

    ParameterRule(string description, Func<Parameter, bool> matches)
    {
        Description = description;
        _matches = matches;
    }

    /// <summary>What the rule selects, e.g. <c>name ~ layer*.bias</c> or <c>rank &lt;= 1</c>.</summary>
    public string Description { get; }

    /// <summary>True when the rule takes <paramref name="parameter"/>.</summary>
    public bool Matches(Parameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return _matches(parameter);
    }

    /// <summary>
    /// Tensors whose whole name matches <paramref name="glob"/>: <c>*</c> is any run of characters (also none, also dots),
    /// <c>?</c> one character, everything else itself (ordinal, case-sensitive). E.g. <c>*.bias</c>, <c>layer9.dense.*</c>.
    /// </summary>
    public static ParameterRule NameGlob(string glob)
    {
        ArgumentException.ThrowIfNullOrEmpty(glob);
        return new ParameterRule($"name ~ {glob}", p => Glob.Matches(glob, p.Name));
    }

    /// <summary>Tensors of rank at most <paramref name="maxRank"/> (rank 1: biases, norm scales and shifts; rank 0: scalars).</summary>
    public static ParameterRule MaxRank(int maxRank)
    {
        Guard.NonNegative(maxRank, nameof(maxRank));
        return new ParameterRule($"rank <= {maxRank}", p => p.Shape.Length <= maxRank);
    }

    /// <summary>Tensors of rank exactly <paramref name="rank"/> (2: dense weights, 4: convolution kernels).</summary>
    public static ParameterRule Rank(int rank)
    {
        Guard.NonNegative(rank, nameof(rank));
        return new ParameterRule($"rank == {rank}", p => p.Shape.Length == rank);
    }

    /// <summary>Any predicate of the tensor (it should depend on name and shape only, so routing is reproducible).</summary>
    public static ParameterRule Where(string description, Func<Parameter, bool> predicate)
    {
        ArgumentException.ThrowIfNullOrEmpty(description);
        ArgumentNullException.ThrowIfNull(predicate);
        return new ParameterRule(description, predicate);
    }

    /// <inheritdoc/>
    public override string ToString() => Description;
}

/// <summary>Shell-style glob over a whole string: '*' any run, '?' one character (iterative, backtracking to the last '*').</summary>
internal static class Glob
{
    public static bool Matches(string pattern, string text)
    {
        int p = 0, t = 0, star = -1, resume = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t])) { p++; t++; }
            else if (p < pattern.Length && pattern[p] == '*') { star = p++; resume = t; }
            else if (star >= 0) { p = star + 1; t = ++resume; }
            else return false;
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }
}
