using System.Globalization;

namespace NetNumerics.Cli.Parsing;

/// <summary>
/// The --lookahead value: <c>K</c> (e.g. <c>5</c>, alpha 0.5) or <c>key=value,...</c> with the keys <c>k</c> (updates between
/// synchronisations, an integer &gt;= 1, default 5) and <c>alpha</c> (the slow weights' step, in [0, 1], default 0.5),
/// e.g. <c>k=5,alpha=0.8</c>. A malformed value is one UsageException line naming it and what is allowed.
/// </summary>
static class LookaheadText
{
    public const int DefaultK = 5;
    public const double DefaultAlpha = 0.5;
    const string Allowed = "K (an integer >= 1) or key=value pairs k=K,alpha=A (k an integer >= 1, default 5; alpha in [0, 1], default 0.5), e.g. 5 or k=5,alpha=0.8";

    public static (int K, double Alpha) Parse(string text)
    {
        UsageException Bad(string why) => new($"--lookahead '{Commands.CommandKit.Shorten(text)}': {why}; allowed: {Allowed}.");
        string t = text.Trim();
        if (!t.Contains('='))
            // any integer here: one below 1 gets the settings' own message ("--lookahead must be >= 1 ...")
            return StrictNumber.ParseInteger(t, int.MinValue, int.MaxValue) is { } whole ? ((int)whole, DefaultAlpha) : throw Bad("not an integer >= 1");
        int k = DefaultK;
        double alpha = DefaultAlpha;
        var seen = new HashSet<string>();
        foreach (string part in t.Split(','))
        {
            int eq = part.IndexOf('=');
            if (eq < 0) throw Bad($"'{part.Trim()}' is not key=value");
            string key = part[..eq].Trim().ToLowerInvariant(), value = part[(eq + 1)..].Trim();
            if (!seen.Add(key)) throw Bad($"key '{key}' given twice");
            switch (key)
            {
                case "k":
                    k = StrictNumber.ParseInteger(value, 1, int.MaxValue) is { } kk ? (int)kk : throw Bad($"k={value} is not an integer >= 1");
                    break;
                case "alpha":
                    alpha = StrictNumber.ParseDouble(value) is { } a && a >= 0 && a <= 1 ? a : throw Bad($"alpha={value} is not a number in [0, 1]");
                    break;
                default:
                    throw Bad($"unknown key '{key}'");
            }
        }
        return (k, alpha);
    }

    /// <summary>The printed form, as the run summary shows it: <c>k=5,alpha=0.5</c>.</summary>
    public static string Print(int k, double alpha) =>
        $"k={k.ToString(CultureInfo.InvariantCulture)},alpha={alpha.ToString("R", CultureInfo.InvariantCulture)}";
}
