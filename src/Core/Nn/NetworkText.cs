using System.Globalization;
using System.Text.RegularExpressions;

namespace NetNumerics.Nn;

/// <summary>
/// The text form of a <see cref="NetworkSpec"/>'s layers, comma-separated, e.g. the seed CNN
/// <c>conv32:3,relu,maxpool2,dropout0.25,conv64:3,relu,maxpool2,dropout0.25,flatten,dense256,relu,dense10</c>.
/// Layers: <c>conv&lt;filters&gt;:&lt;k&gt;[x&lt;kw&gt;][:s&lt;stride&gt;][:same]</c> (Conv2D, valid padding and stride 1 unless
/// given), <c>maxpool&lt;pool&gt;[:s&lt;stride&gt;]</c>, <c>dropout&lt;rate&gt;</c>, <c>flatten</c>, <c>relu</c>,
/// <c>dense&lt;units&gt;</c>. The input shape is not part of the text: it comes from the data
/// (<see cref="Parse(string, TensorShape)"/>). <see cref="Print(NetworkSpec)"/> writes the shortest form, so
/// <c>Parse(Print(spec), spec.Input)</c> has the same layers as spec. Numbers are invariant-culture integers
/// (the dropout rate a decimal number); a malformed text or a layer that does not fit its input is one
/// ArgumentException line naming the layer (1-based) and what is allowed.
/// </summary>
public static partial class NetworkText
{
    /// <summary>The layer forms understood, for messages and help.</summary>
    public const string Grammar = "conv<filters>:<k>[x<kw>][:s<stride>][:same], maxpool<pool>[:s<stride>], dropout<rate>, flatten, relu, dense<units>";

    [GeneratedRegex(@"^conv(\d+):(\d+)(?:x(\d+))?((?::(?:s\d+|same|valid))*)$")]
    private static partial Regex ConvForm();

    [GeneratedRegex(@"^maxpool(\d+)(?::s(\d+))?$")]
    private static partial Regex PoolForm();

    [GeneratedRegex(@"^dropout([0-9]*\.?[0-9]+(?:e-?[0-9]+)?)$")]
    private static partial Regex DropoutForm();

    [GeneratedRegex(@"^dense(\d+)$")]
    private static partial Regex DenseForm();

    /// <summary>The layers of a text form (no shapes checked yet: see <see cref="Parse(string, TensorShape)"/>).</summary>
    public static IReadOnlyList<LayerSpec> ParseLayers(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string all = text.Trim();
        if (all.Length == 0) throw Bad(all, "it is empty");
        var tokens = all.Split(',');
        var layers = new LayerSpec[tokens.Length];
        for (int i = 0; i < tokens.Length; i++) layers[i] = Layer(all, i, tokens[i].Trim().ToLowerInvariant());
        return layers;
    }

    /// <summary>The network of a text form on inputs of <paramref name="input"/>; every layer's shape is checked, naming the first that does not fit.</summary>
    public static NetworkSpec Parse(string text, TensorShape input)
    {
        var layers = ParseLayers(text);
        string all = text.Trim();
        var shape = input;
        for (int i = 0; i < layers.Count; i++)
        {
            try { shape = layers[i].OutputShape(shape); }
            catch (ArgumentException e) { throw Bad(all, $"layer {i + 1} '{Print(layers[i])}' does not fit its input {shape}: {Sentence(e)}"); }
        }
        try { return new NetworkSpec(input, layers); }
        catch (ArgumentException e) { throw Bad(all, Sentence(e)); }
    }

    /// <summary>The text form of the layers of <paramref name="spec"/>.</summary>
    public static string Print(NetworkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Print(spec.Layers);
    }

    /// <summary>The text form of a list of layers.</summary>
    public static string Print(IEnumerable<LayerSpec> layers) => string.Join(',', layers.Select(Print));

    /// <summary>The text form of one layer.</summary>
    public static string Print(LayerSpec layer) => layer switch
    {
        Conv2DSpec c => $"conv{I(c.Filters)}:{I(c.KernelHeight)}" + (c.KernelWidth != c.KernelHeight ? $"x{I(c.KernelWidth)}" : "")
            + (c.Stride != 1 ? $":s{I(c.Stride)}" : "") + (c.Padding == Padding.Same ? ":same" : ""),
        MaxPool2DSpec p => $"maxpool{I(p.Pool)}" + (p.Stride != 0 ? $":s{I(p.Stride)}" : ""),
        DropoutSpec d => "dropout" + d.Rate.ToString("R", CultureInfo.InvariantCulture),
        FlattenSpec => "flatten",
        ReluSpec => "relu",
        DenseSpec d => $"dense{I(d.Units)}",
        null => throw new ArgumentNullException(nameof(layer)),
        _ => throw new ArgumentException($"layer type {layer.GetType().Name} has no text form.", nameof(layer)),
    };

    static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    static LayerSpec Layer(string all, int i, string t)
    {
        ArgumentException At(string what) => Bad(all, $"layer {i + 1} '{t}' {what}");
        int Int(string digits, string what)
        {
            if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int v) || v < 1)
                throw At($"has {what} {digits}; it must be an integer >= 1");
            return v;
        }
        if (t is "flatten") return new FlattenSpec();
        if (t is "relu") return new ReluSpec();
        if (DenseForm().Match(t) is { Success: true } d) return new DenseSpec(Int(d.Groups[1].Value, "units"));
        if (PoolForm().Match(t) is { Success: true } p)
            return new MaxPool2DSpec(Int(p.Groups[1].Value, "pool"), p.Groups[2].Success ? Int(p.Groups[2].Value, "stride") : 0);
        if (DropoutForm().Match(t) is { Success: true } r)
        {
            if (!double.TryParse(r.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double rate) || !(rate >= 0 && rate < 1))
                throw At($"has rate {r.Groups[1].Value}; it must be a number in [0, 1)");
            return new DropoutSpec(rate);
        }
        if (ConvForm().Match(t) is { Success: true } c)
        {
            int filters = Int(c.Groups[1].Value, "filters"), kh = Int(c.Groups[2].Value, "kernel");
            int kw = c.Groups[3].Success ? Int(c.Groups[3].Value, "kernel width") : kh;
            int stride = 1;
            var padding = Padding.Valid;
            foreach (string opt in c.Groups[4].Value.Split(':', StringSplitOptions.RemoveEmptyEntries))
            {
                if (opt == "same") padding = Padding.Same;
                else if (opt == "valid") padding = Padding.Valid;
                else stride = Int(opt[1..], "stride");
            }
            return new Conv2DSpec(filters, kh, kw, stride, padding);
        }
        throw At($"is not a layer; layers are {Grammar}");
    }

    static ArgumentException Bad(string all, string what) => new($"Malformed model \"{all}\": {what}.", "text");

    // The record's sentence without ArgumentException's " (Parameter 'x')" tail and without a final period.
    static string Sentence(ArgumentException e)
    {
        string m = e.Message;
        int p = e.ParamName is null ? -1 : m.LastIndexOf($" (Parameter '{e.ParamName}')", StringComparison.Ordinal);
        return (p >= 0 ? m[..p] : m).TrimEnd('.').Replace('\n', ' ');
    }
}
