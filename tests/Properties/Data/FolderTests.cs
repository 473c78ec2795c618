using NetNumerics.Data;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace NetNumerics.Properties.Data;

public class FolderTests
{
    static readonly string[] Mnist = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    /// <summary>Writes train (3 images) and test (2 images) sets of 4x5 under the chosen spellings.</summary>
    static (IdxSample Train, IdxSample Test) WriteMnist(string dir, bool[] dotted, bool[] gzipped, int testRows = 4)
    {
        var train = new IdxSample(3, 4, 5, 10, DataFiles.Bytes(1, 0, 60), [3, 1, 4]);
        var test = new IdxSample(2, testRows, 5, 10, DataFiles.Bytes(1, 1, 2 * testRows * 5), [9, 0]);
        byte[][] contents = [train.ImageFile, train.LabelFile, test.ImageFile, test.LabelFile];
        for (int f = 0; f < 4; f++)
        {
            string name = dotted[f] ? Mnist[f].Replace("-idx", ".idx") : Mnist[f];
            File.WriteAllBytes(Path.Combine(dir, gzipped[f] ? name + ".gz" : name), gzipped[f] ? DataFiles.Gzip(contents[f]) : contents[f]);
        }
        return (train, test);
    }

    [Property(MaxTest = 30)]
    public Property Mnist_folder_reads_every_spelling_raw_or_gzip() =>
        Prop.ForAll(ArbMap.Default.GeneratorFor<bool>().ArrayOf(8).ToArbitrary(), flags =>
        {
            using var dir = new TempDir();
            var (train, test) = WriteMnist(dir.Path, flags[..4], flags[4..]);
            var data = MnistFolder.Load(dir.Path);
            Assert.Equal(train.Labels.Select(b => (int)b), data.Train.Labels);
            Assert.Equal(test.Labels.Select(b => (int)b), data.Test.Labels);
            Assert.Equal(train.Pixels.Select(b => b / 255f), data.Train.Images);
            Assert.Equal(test.Pixels.Select(b => b / 255f), data.Test.Images);
            Assert.Empty(MnistFolder.Missing(dir.Path));
        });

    [Fact]
    public void Mnist_folder_names_every_missing_file()
    {
        using var dir = new TempDir();
        WriteMnist(dir.Path, new bool[4], new bool[4]);
        File.Delete(Path.Combine(dir.Path, Mnist[0]));
        File.Delete(Path.Combine(dir.Path, Mnist[3]));
        var e = Assert.Throws<FileNotFoundException>(() => MnistFolder.Load(dir.Path));
        Assert.Contains($"{Mnist[0]}, {Mnist[3]}", e.Message);
        Assert.Contains(dir.Path, e.Message);
        Assert.Equal([Mnist[0], Mnist[3]], MnistFolder.Missing(dir.Path));
        Assert.Throws<DirectoryNotFoundException>(() => MnistFolder.Load(Path.Combine(dir.Path, "absent")));
    }

    [Fact]
    public void Mnist_folder_rejects_test_images_of_another_size_naming_both_files()
    {
        using var dir = new TempDir();
        WriteMnist(dir.Path, new bool[4], new bool[4], testRows: 6);
        var e = Assert.Throws<InvalidDataException>(() => MnistFolder.Load(dir.Path));
        Assert.Contains(Path.Combine(dir.Path, Mnist[2]), e.Message);
        Assert.Contains(Path.Combine(dir.Path, Mnist[0]), e.Message);
        Assert.Contains("6x5", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Cifar_folder_reads_the_archive_layout_and_names_missing_batches(bool nested)
    {
        using var dir = new TempDir();
        string root = nested ? Directory.CreateDirectory(Path.Combine(dir.Path, "cifar-10-batches-bin")).FullName : dir.Path;
        var batches = Enumerable.Range(0, 6).Select(i => new CifarSample([(byte)i, (byte)(9 - i)], DataFiles.Bytes(7, (ulong)i, 2 * 3072))).ToArray();
        string[] names = ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin"];
        for (int i = 0; i < 6; i++) File.WriteAllBytes(Path.Combine(root, names[i]), batches[i].File);
        var data = Cifar10Folder.Load(dir.Path);
        Assert.Equal(batches[..5].SelectMany(b => b.Labels).Select(b => (int)b), data.Train.Labels);
        Assert.Equal(batches[5].Labels.Select(b => (int)b), data.Test.Labels);
        Assert.Equal(batches[5].Pixels.Select(b => b / 255f), data.Test.Images);

        File.Delete(Path.Combine(root, names[2]));
        File.Delete(Path.Combine(root, names[5]));
        var e = Assert.Throws<FileNotFoundException>(() => Cifar10Folder.Load(dir.Path));
        Assert.Contains("data_batch_3.bin, test_batch.bin", e.Message);
    }
}
