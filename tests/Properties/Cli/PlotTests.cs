using System.Buffers.Binary;
using System.Xml.Linq;
using NetNumerics.Cli.Plots;
using NetNumerics.Properties.Training;
using NetNumerics.Training;
using Xunit;

namespace NetNumerics.Properties.Cli;

/// <summary>What a written plot must be: a PNG whose signature and IHDR chunk say it is an image of the expected size, and an SVG that parses as XML with an svg root.</summary>
static class PlotFiles
{
    static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static void AssertPng(string path, int width = LinePlot.Width, int height = LinePlot.Height)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        var b = File.ReadAllBytes(path);
        Assert.True(b.Length > 33, $"{path} has only {b.Length} bytes");
        Assert.Equal(Signature, b[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(b, 12, 4));   // the first chunk, length 13 at offset 8
        Assert.Equal(13, BinaryPrimitives.ReadInt32BigEndian(b.AsSpan(8)));
        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(b.AsSpan(16)));
        Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(b.AsSpan(20)));
        Assert.Equal("IEND", System.Text.Encoding.ASCII.GetString(b, b.Length - 8, 4));
    }

    public static XDocument AssertSvg(string path)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        var doc = XDocument.Load(path);
        Assert.Equal("svg", doc.Root!.Name.LocalName);
        return doc;
    }

    /// <summary>Both files of a plot written under <paramref name="basePath"/>; returns the SVG's text content (titles, labels, legend).</summary>
    public static string AssertPlot(string basePath)
    {
        AssertPng(basePath + ".png");
        return string.Join(" ", AssertSvg(basePath + ".svg").Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value));
    }
}

public class PlotTests
{
    [Fact]
    public void A_line_plot_is_written_as_png_and_svg_with_title_axis_labels_and_legend()
    {
        using var tmp = new TempDir();
        double[] x = [1, 2, 3, 4];
        var files = LinePlot.Save(Path.Combine(tmp.Path, "sub", "curve"), "My title", "epoch", "loss",
            [new Series("first", x, [4, 3, 2, 1]), new Series("second", x, [1, double.NaN, 2, 3])]);
        Assert.Equal([Path.Combine(tmp.Path, "sub", "curve.png"), Path.Combine(tmp.Path, "sub", "curve.svg")], files);
        string text = PlotFiles.AssertPlot(Path.Combine(tmp.Path, "sub", "curve"));
        foreach (var expected in new[] { "My title", "epoch", "loss", "first", "second" }) Assert.Contains(expected, text);
    }

    [Fact]
    public void A_log_axis_labels_decades_and_leaves_out_points_it_cannot_draw()
    {
        using var tmp = new TempDir();
        double[] x = [1e-6, 1e-4, 1e-2, 0, -1];
        LinePlot.Save(Path.Combine(tmp.Path, "log"), "t", "lr", "loss", [new Series("s", x, [1, 2, 3, 4, 5])], logX: true);
        string text = PlotFiles.AssertPlot(Path.Combine(tmp.Path, "log"));
        Assert.Contains("1e-4", text);
        Assert.Contains("lr (log scale)", text);
    }

    [Fact]
    public void Mismatched_series_are_rejected_naming_the_series()
    {
        using var tmp = new TempDir();
        var e = Assert.Throws<ArgumentException>(() => LinePlot.Save(Path.Combine(tmp.Path, "x"), "t", "x", "y", [new Series("bad", [1, 2], [1])]));
        Assert.Contains("bad", e.Message);
    }

    [Fact]
    public void Training_curves_are_loss_accuracy_and_learning_rate_in_png_and_svg()
    {
        using var tmp = new TempDir();
        var history = Enumerable.Range(0, 5).Select(e => new EpochLogs(e, 1.0 / (e + 1), 0.5 + 0.1 * e, 1.1 / (e + 1), 0.45 + 0.1 * e, 0.1 * Math.Pow(0.5, e), 1)).ToArray();
        var files = TrainingCurves.Write(tmp.Path, history, "adam");
        Assert.Equal(6, files.Count);
        Assert.Contains("validation", PlotFiles.AssertPlot(Path.Combine(tmp.Path, "loss")));
        Assert.Contains("Accuracy per epoch", PlotFiles.AssertPlot(Path.Combine(tmp.Path, "accuracy")));
        Assert.Contains("learning rate", PlotFiles.AssertPlot(Path.Combine(tmp.Path, "learning_rate")));
    }

    [Fact]
    public void Train_writes_its_loss_accuracy_and_learning_rate_curves()
    {
        using var tmp = new TempDir();
        string data = TrainCommandTests.WriteDataset(Path.Combine(tmp.Path, "idx"));
        string outDir = Path.Combine(tmp.Path, "run");
        var o = new StringWriter();
        var e = new StringWriter();
        int code = NetNumerics.Cli.Entry.Run(["train", "--data", data, "--out", outDir, "--epochs", "3", "--batch-size", "16", "--quiet"], o, e, TrainCommandTests.Services);
        Assert.True(code == 0, e.ToString());
        Assert.Contains("validation", PlotFiles.AssertPlot(Path.Combine(outDir, "loss")));
        Assert.Contains("accuracy", PlotFiles.AssertPlot(Path.Combine(outDir, "accuracy")));
        Assert.Contains("Learning rate per epoch", PlotFiles.AssertPlot(Path.Combine(outDir, "learning_rate")));
    }
}
