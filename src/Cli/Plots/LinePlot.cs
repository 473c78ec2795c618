using System.Globalization;
using ScottPlot;

namespace NetNumerics.Cli.Plots;

/// <summary>One named curve: y against x, the same number of points.</summary>
public sealed record Series(string Label, IReadOnlyList<double> X, IReadOnlyList<double> Y);

/// <summary>
/// Line charts written as PNG and SVG side by side (ScottPlot 5 on SkiaSharp; headless, no system libraries):
/// a title, labelled axes and a legend. A log axis is drawn as log10 of the values with decade ticks labelled
/// 10^k; points that cannot be drawn (non-finite, or &lt;= 0 on a log axis) are left out.
/// </summary>
public static class LinePlot
{
    public const int Width = 800, Height = 500;

    /// <summary>Writes <c>{basePath}.png</c> (vertical dashed lines at <paramref name="markers"/>, in the legend) and <c>{basePath}.svg</c> and returns their paths.</summary>
    public static string[] Save(string basePath, string title, string xLabel, string yLabel, IReadOnlyList<Series> series,
        bool logX = false, bool logY = false, IReadOnlyList<(double X, string Label)>? markers = null,
        Alignment legend = Alignment.UpperRight, bool integerX = false, (double Min, double Max)? yRange = null, bool legendOutside = false)
    {
        ArgumentNullException.ThrowIfNull(series);
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel(logX ? xLabel + " (log scale)" : xLabel);
        plot.YLabel(logY ? yLabel + " (log scale)" : yLabel);
        foreach (var s in series)
        {
            if (s.X.Count != s.Y.Count)
                throw new ArgumentException($"series '{s.Label}' has {s.X.Count} x values but {s.Y.Count} y values.", nameof(series));
            var xs = new List<double>();
            var ys = new List<double>();
            for (int i = 0; i < s.X.Count; i++)
            {
                double x = s.X[i], y = s.Y[i];
                if (!double.IsFinite(x) || !double.IsFinite(y) || (logX && x <= 0) || (logY && y <= 0)) continue;
                xs.Add(logX ? Math.Log10(x) : x);
                ys.Add(logY ? Math.Log10(y) : y);
            }
            if (xs.Count == 0) continue;
            var line = plot.Add.Scatter(xs.ToArray(), ys.ToArray());
            line.LegendText = s.Label;
            line.LineWidth = 2;
            line.MarkerSize = xs.Count <= 60 ? 5 : 0;
        }
        foreach (var (x, label) in markers ?? [])
        {
            if (!double.IsFinite(x) || (logX && x <= 0)) continue;
            var v = plot.Add.VerticalLine(logX ? Math.Log10(x) : x);
            v.LegendText = label;
            v.LinePattern = LinePattern.Dashed;
        }
        if (logX) plot.Axes.Bottom.TickGenerator = LogTicks();
        else if (integerX) plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        if (logY) plot.Axes.Left.TickGenerator = LogTicks();
        if (yRange is { } r && double.IsFinite(r.Min) && double.IsFinite(r.Max) && r.Max > r.Min)
            plot.Axes.SetLimitsY(logY ? Math.Log10(r.Min) : r.Min, logY ? Math.Log10(r.Max) : r.Max);
        if (legendOutside) plot.ShowLegend(Edge.Right);   // many overlaid curves: keep the legend off the data
        else plot.ShowLegend(legend);
        string? dir = Path.GetDirectoryName(Path.GetFullPath(basePath));
        if (dir is not null) Directory.CreateDirectory(dir);
        string png = basePath + ".png", svg = basePath + ".svg";
        plot.SavePng(png, Width, Height);
        plot.SaveSvg(svg, Width, Height);
        File.WriteAllText(svg, NumberClipIds(File.ReadAllText(svg)));
        return [png, svg];
    }

    /// <summary>
    /// SkiaSharp names SVG clip paths from a process-wide counter (hex: cl_4, ..., cl_8b), so the same plot drawn later in a
    /// process would differ in bytes; renumber them from 1 in order of first appearance so equal plots are equal files.
    /// </summary>
    static string NumberClipIds(string svg)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        return System.Text.RegularExpressions.Regex.Replace(svg, @"\bcl_[0-9a-f]+\b", m =>
        {
            if (!ids.TryGetValue(m.Value, out var id)) ids[m.Value] = id = "cl_" + (ids.Count + 1).ToString(CultureInfo.InvariantCulture);
            return id;
        });
    }

    static ScottPlot.TickGenerators.NumericAutomatic LogTicks() => new()
    {
        MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
        IntegerTicksOnly = true,
        LabelFormatter = v => "1e" + Math.Round(v).ToString(CultureInfo.InvariantCulture),
    };
}
