using System.Globalization;

namespace NetNumerics;

/// <summary>
/// The body of a text form <c>name:key=value,key=value</c> (schedules, optimizers): comma-separated pairs, keys
/// case-insensitive, values trimmed, lists separated by '/'. It remembers which keys were read so that
/// <see cref="RejectUnused"/> can name a key nobody asked for. Numbers are read with the invariant culture and
/// <see cref="NumberStyles.Float"/> (sign, decimal point, exponent; no thousands separators, so "0,001" is never a
/// number). Every problem is the ArgumentException the owner's <c>error</c> function builds from a short "what is
/// wrong" phrase, so each grammar keeps its own wording ("Malformed schedule ...", "Malformed optimizer ...").
/// </summary>
internal sealed class KeyValueArgs
{
    readonly Func<string, ArgumentException> _error;
    readonly Dictionary<string, string> _pairs = new();
    readonly HashSet<string> _used = new();

    public KeyValueArgs(string body, Func<string, ArgumentException> error)
    {
        _error = error;
        if (body.Trim().Length == 0) return;
        foreach (string part in body.Split(','))
        {
            int eq = part.IndexOf('=');
            if (eq <= 0)
                throw Error($"'{part.Trim()}' is not of the form key=value");
            string key = part[..eq].Trim().ToLowerInvariant(), value = part[(eq + 1)..].Trim();
            if (!_pairs.TryAdd(key, value))
                throw Error($"key '{key}' is given twice");
        }
    }

    /// <summary>The owner's exception for a "what is wrong" phrase.</summary>
    public ArgumentException Error(string what) => _error(what);

    /// <summary>The keys given, in no particular order.</summary>
    public IEnumerable<string> Keys => _pairs.Keys;

    public bool Has(string key) => _pairs.ContainsKey(key);

    /// <summary>The value as written (trimmed), or null when the key is absent. Does not mark the key as read.</summary>
    public string? Raw(string key) => _pairs.TryGetValue(key, out var v) ? v : null;

    bool TryGet(string key, out string value)
    {
        _used.Add(key);
        return _pairs.TryGetValue(key, out value!);
    }

    public static bool TryNumber(string s, out double value) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    public double Double(string key, double fallback)
    {
        if (!TryGet(key, out var s)) return fallback;
        if (!TryNumber(s, out double v))
            throw Error($"{key}='{s}' is not a number");
        return v;
    }

    public long Long(string key, long fallback)
    {
        if (!TryGet(key, out var s)) return fallback;
        if (!long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v))
            throw Error($"{key}='{s}' is not an integer");
        return v;
    }

    public bool Bool(string key, bool fallback)
    {
        if (!TryGet(key, out var s)) return fallback;
        return s.ToLowerInvariant() switch
        {
            "true" or "1" or "yes" => true,
            "false" or "0" or "no" => false,
            _ => throw Error($"{key}='{s}' is not true or false"),
        };
    }

    public T Choice<T>(string key, T fallback, params (string Text, T Value)[] options)
    {
        if (!TryGet(key, out var s)) return fallback;
        foreach (var (t, v) in options)
            if (string.Equals(t, s, StringComparison.OrdinalIgnoreCase)) return v;
        throw Error($"{key}='{s}' is not one of {string.Join(", ", options.Select(o => o.Text))}");
    }

    public IReadOnlyList<long> LongList(string key, IReadOnlyList<long> fallback)
    {
        if (!TryGet(key, out var s)) return fallback;
        if (s.Length == 0) return [];
        return s.Split('/').Select(x => long.TryParse(x.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long v)
            ? v : throw Error($"{key}='{s}' is not a '/'-separated list of integers")).ToArray();
    }

    public IReadOnlyList<double> DoubleList(string key, IReadOnlyList<double> fallback)
    {
        if (!TryGet(key, out var s)) return fallback;
        if (s.Length == 0) return [];
        return s.Split('/').Select(x => TryNumber(x.Trim(), out double v)
            ? v : throw Error($"{key}='{s}' is not a '/'-separated list of numbers")).ToArray();
    }

    /// <summary>Throws for the first key that was given but never read ("unknown key 'x'").</summary>
    public void RejectUnused()
    {
        foreach (string key in _pairs.Keys)
            if (!_used.Contains(key))
                throw Error($"unknown key '{key}'");
    }
}
