using NetNumerics.Schedules;

namespace NetNumerics.Optimizers;

/// <summary>
/// Reads and writes the text form of an optimizer, the grammar of the schedules' text form (ScheduleParser):
/// <c>name</c> or <c>name:key=value,key=value</c>, e.g. <c>adam:beta2=0.99,eps=1e-8,amsgrad=true</c>,
/// <c>sgd:momentum=0.8,decay=0.004</c>, <c>adagrad:preset=keras2</c>. Names: sgd, adagrad, adadelta, rmsprop, adam,
/// adamw, adamax, nadam, radam, lion, lamb, adafactor, muon, sf-sgd, sf-adamw (and the older sgd-momentum, sgd-nesterov, rmsprop-centered, amsgrad). Every
/// optimizer takes <c>preset=</c> (a convention's defaults, applied before the other keys: keras = the records'
/// defaults, keras2 = Keras 2.0.8, pytorch = torch.optim) and <c>decay=</c> (Keras 2's per-iteration decay, see
/// <see cref="OptimizerSpec.Decay"/>); the learning rate is not a key. Numbers are invariant-culture
/// (<c>0.001</c>, <c>1e-3</c>; never <c>0,001</c>). <see cref="Print(OptimizerSpec)"/> writes the name and only the
/// keys that differ from the record's defaults, so <c>Parse(Print(spec)) == spec</c>.
/// A malformed string is one ArgumentException line naming the key, the value and what is allowed.
/// </summary>
public static class OptimizerParser
{
    /// <summary>Every optimizer name understood (the nine families, then the older aliases).</summary>
    public static IReadOnlyList<string> Names { get; } =
        [.. OptimizerFamilies.All.Select(f => f.Name), .. OptimizerFamilies.Aliases.Select(a => a.Alias)];

    /// <summary>The keys <paramref name="name"/> takes, as one line (for help and error messages).</summary>
    public static string KeysOf(string name)
    {
        var (family, _) = Find(name) ?? throw new ArgumentException($"Unknown optimizer '{name}'; known optimizers: {string.Join(", ", Names)}.", nameof(name));
        return string.Join(", ", family.KeyHelp) + ", decay, preset (" + string.Join(" | ", family.Presets) + ")";
    }

    /// <summary>Each preset's default learning rate for <paramref name="name"/>, e.g. "keras 1e-3, keras2 1.0, pytorch 1.0".</summary>
    public static string PresetLearningRates(string name) =>
        Find(name) is { } found ? OptimizerFamilies.PresetRates[found.Family.Name] : throw new ArgumentException($"Unknown optimizer '{name}'.", nameof(name));

    /// <summary>Reads a text form; an ArgumentException (one line, naming the key, value and what is allowed) if it is malformed.</summary>
    public static OptimizerSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        int colon = trimmed.IndexOf(':');
        string name = (colon < 0 ? trimmed : trimmed[..colon]).Trim().ToLowerInvariant();
        var (family, tweak) = Find(name) ?? throw new ArgumentException(
            $"Unknown optimizer '{name}' in \"{trimmed}\"; known optimizers: {string.Join(", ", Names)}.", nameof(text));
        string body = colon < 0 ? "" : trimmed[(colon + 1)..];
        ArgumentException Error(string what) => new($"Malformed optimizer \"{trimmed}\": {what}. '{name}' takes keys: {KeysOf(name)}.", nameof(text));
        RejectDecimalCommas(body, Error);
        var args = new KeyValueArgs(body, Error);
        foreach (string key in args.Keys)
            if (key is "lr" or "learning_rate")
                throw args.Error($"{key}={args.Raw(key)}: the learning rate is not an optimizer key; give it with --lr (or the schedule's lr=)");
        string? preset = args.Has("preset")
            ? args.Choice<string?>("preset", null, family.Presets.Select(p => (p, (string?)p)).ToArray())
            : null;
        var options = family.Read(preset, tweak, args);
        double decay = args.Double("decay", 0);
        if (!double.IsFinite(decay) || decay < 0)
            throw args.Error($"decay={args.Raw("decay")} is out of range; allowed: a number >= 0 (Keras 2: lr / (1 + decay * iterations))");
        args.RejectUnused();
        try { options.Validate(); }
        catch (ArgumentException e) { throw args.Error(FirstLine(e)); }
        return new OptimizerSpec(options) { Decay = decay };
    }

    /// <summary>The text form of <paramref name="spec"/>: the name, then the keys whose values differ from the record's defaults.</summary>
    public static string Print(OptimizerSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var family = OptimizerFamilies.All.FirstOrDefault(f => f.Prints(spec.Options))
            ?? throw new ArgumentException($"options of type {spec.Options.GetType().Name} have no text form.", nameof(spec));
        var pairs = family.Differences(spec.Options).ToList();
        if (spec.Decay != 0) pairs.Add(("decay", ScheduleText.Num(spec.Decay)));
        return pairs.Count == 0 ? family.Name : ScheduleText.Format(family.Name, [.. pairs]);
    }

    /// <summary>The text form of <paramref name="options"/> without Keras 2 decay.</summary>
    public static string Print(IOptimizerOptions options) => Print(new OptimizerSpec(options));

    static (OptimizerFamily Family, Func<IOptimizerOptions, IOptimizerOptions> Tweak)? Find(string name)
    {
        string n = name.Trim().ToLowerInvariant();
        foreach (var f in OptimizerFamilies.All)
            if (f.Name == n) return (f, o => o);
        foreach (var (alias, f, tweak) in OptimizerFamilies.Aliases)
            if (alias == n) return (f, tweak);
        return null;
    }

    /// <summary>"eps=0,001": ',' separates keys, so a decimal comma would split a number; say so instead of "'001' is not key=value".</summary>
    static void RejectDecimalCommas(string body, Func<string, ArgumentException> error)
    {
        var parts = body.Split(',');
        for (int i = 1; i < parts.Length; i++)
        {
            string digits = parts[i].Trim();
            int eq = parts[i - 1].IndexOf('=');
            if (digits.Length == 0 || !digits.All(char.IsAsciiDigit) || eq <= 0) continue;
            string key = parts[i - 1][..eq].Trim().ToLowerInvariant(), v = parts[i - 1][(eq + 1)..].Trim();
            if (v.TrimStart('+', '-').Length > 0 && v.TrimStart('+', '-').All(char.IsAsciiDigit))
                throw error($"{key}='{v},{digits}' uses ',' as a decimal point; write {v}.{digits} (numbers use '.', and ',' separates keys)");
        }
    }

    // ArgumentException.Message appends " (Parameter 'x')"; the record's own sentence is what the user needs.
    static string FirstLine(ArgumentException e)
    {
        string m = e.Message;
        int p = e.ParamName is null ? -1 : m.LastIndexOf($" (Parameter '{e.ParamName}')", StringComparison.Ordinal);
        return (p >= 0 ? m[..p] : m).TrimEnd('.').Replace('\n', ' ');
    }
}
