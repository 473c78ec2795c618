using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;

namespace NetNumerics.Cli.Parsing;

/// <summary>
/// Numbers on the command line are read one way only, whatever the machine's culture: digits, an optional '.' and
/// fraction, an optional exponent (<c>0.001</c>, <c>1e-3</c>, <c>-2.5E+4</c>); integers are digits with an optional
/// sign. Anything else is a parse error naming the option, the text and the form expected. In particular a comma is
/// never a thousands separator (System.CommandLine's default parse reads <c>--lr 0,001</c> as 1 and <c>1,5</c> as 15).
/// <see cref="Apply"/> installs these parsers on every numeric option of a command tree that has no parser of its own.
/// </summary>
static partial class StrictNumber
{
    [GeneratedRegex(@"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")]
    private static partial Regex Decimal();

    [GeneratedRegex(@"^[+-]?\d+$")]
    private static partial Regex Integer();

    /// <summary>A finite double in the strict form, or null.</summary>
    public static double? ParseDouble(string text) =>
        Decimal().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) ? v : null;

    /// <summary>An integer in [min, max] in the strict form, or null.</summary>
    public static long? ParseInteger(string text, long min, long max) =>
        Integer().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) && v >= min && v <= max ? v : null;

    /// <summary>An unsigned 64-bit integer (digits only), or null.</summary>
    public static ulong? ParseUnsigned(string text) =>
        Integer().IsMatch(text) && text[0] != '-' && ulong.TryParse(text.TrimStart('+'), NumberStyles.None, CultureInfo.InvariantCulture, out ulong v) ? v : null;

    /// <summary>Installs the strict parsers on every numeric option of <paramref name="command"/> and its subcommands.</summary>
    public static void Apply(Command command)
    {
        foreach (var option in command.Options)
        {
            switch (option)
            {
                case Option<double> o when o.CustomParser is null: o.CustomParser = r => Double(r) ?? 0; break;
                case Option<double?> o when o.CustomParser is null: o.CustomParser = Double; break;
                case Option<int> o when o.CustomParser is null: o.CustomParser = r => (int?)Int(r, int.MinValue, int.MaxValue) ?? 0; break;
                case Option<int?> o when o.CustomParser is null: o.CustomParser = r => (int?)Int(r, int.MinValue, int.MaxValue); break;
                case Option<long> o when o.CustomParser is null: o.CustomParser = r => Int(r, long.MinValue, long.MaxValue) ?? 0; break;
                case Option<long?> o when o.CustomParser is null: o.CustomParser = r => Int(r, long.MinValue, long.MaxValue); break;
                case Option<ulong> o when o.CustomParser is null: o.CustomParser = r => Unsigned(r) ?? 0; break;
                case Option<ulong?> o when o.CustomParser is null: o.CustomParser = Unsigned; break;
            }
        }
        foreach (var sub in command.Subcommands) Apply(sub);
    }

    static string Name(ArgumentResult r) => r.Parent is OptionResult o ? o.Option.Name : r.Argument.Name;

    static string Show(string text) => text.Length <= 40 ? text : text[..40] + $"... ({text.Length} characters)";

    static string? Single(ArgumentResult r)
    {
        if (r.Tokens.Count == 1) return r.Tokens[0].Value;
        r.AddError(r.Tokens.Count == 0 ? $"{Name(r)} needs a value." : $"{Name(r)} takes one value, but was given {r.Tokens.Count}.");
        return null;
    }

    static double? Double(ArgumentResult r)
    {
        if (Single(r) is not { } text) return null;
        if (ParseDouble(text) is { } v) return v;
        r.AddError($"{Name(r)} '{Show(text)}' is not a number: write digits with '.' as the decimal point and no thousands separators (0.001 or 1e-3){(Decimal().IsMatch(text) ? "; it is outside the range of a double" : "")}.");
        return null;
    }

    static long? Int(ArgumentResult r, long min, long max)
    {
        if (Single(r) is not { } text) return null;
        if (ParseInteger(text, min, max) is { } v) return v;
        r.AddError(Integer().IsMatch(text)
            ? $"{Name(r)} {Show(text)} is out of range: it must be in [{min}, {max}]."
            : $"{Name(r)} '{Show(text)}' is not an integer: write digits only, without separators or a decimal point (e.g. 250).");
        return null;
    }

    static ulong? Unsigned(ArgumentResult r)
    {
        if (Single(r) is not { } text) return null;
        if (ParseUnsigned(text) is { } v) return v;
        r.AddError(Integer().IsMatch(text) && text[0] != '-'
            ? $"{Name(r)} {Show(text)} is out of range: it must be in [0, {ulong.MaxValue}]."
            : $"{Name(r)} '{Show(text)}' is not a non-negative integer: write digits only (e.g. 1).");
        return null;
    }
}
