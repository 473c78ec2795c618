using System.CommandLine;

namespace NetNumerics.Cli.Parsing;

/// <summary>
/// An unknown first word (<c>numerics trian</c>, <c>numerics bench --help</c>) is named, with the nearest command by
/// edit distance when one is close (at most a third of the word's letters changed, and at least 2 allowed), and the
/// list of commands; System.CommandLine alone says only "Required command was not provided." or prints the root help.
/// </summary>
static class CommandSuggestion
{
    /// <summary>The one-line error for <paramref name="args"/>, or null when the first word is a command or an option.</summary>
    public static string? Check(RootCommand root, string[] args)
    {
        if (args.Length == 0)
            return $"numerics: give a command: {string.Join(", ", root.Subcommands.Select(c => c.Name))} (numerics --help, or numerics COMMAND --help).";
        string first = args[0];
        if (first.StartsWith('-')) return null;   // --help, --version, or an option the parser will name
        var names = root.Subcommands.SelectMany(c => c.Aliases.Prepend(c.Name)).ToArray();
        if (names.Contains(first, StringComparer.Ordinal)) return null;
        string list = string.Join(", ", root.Subcommands.Select(c => c.Name));
        string shown = first.Length <= 40 ? first : first[..40] + "...";
        var nearest = first.Length > 64 ? (Name: "", Distance: int.MaxValue)
            : names.Select(n => (Name: n, Distance: Distance(first.ToLowerInvariant(), n))).OrderBy(x => x.Distance).First();
        return nearest.Distance <= Math.Max(2, first.Length / 3)
            ? $"numerics: unknown command '{shown}'; did you mean '{nearest.Name}'? (commands: {list})"
            : $"numerics: unknown command '{shown}'; the commands are {list} (numerics --help).";
    }

    /// <summary>Levenshtein distance with adjacent transpositions counted as one edit (optimal string alignment).</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }
}
