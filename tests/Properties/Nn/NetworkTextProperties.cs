using NetNumerics.Nn;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace NetNumerics.Properties.Nn;

/// <summary>NetworkText: the seed CNN's text, Parse of Print gives the same layers, bad texts and shapes are one line naming the layer.</summary>
public class NetworkTextProperties
{
    const string Seed = "conv32:3,relu,maxpool2,dropout0.25,conv64:3,relu,maxpool2,dropout0.25,flatten,dense256,relu,dense10";

    static readonly Gen<LayerSpec> Hidden = Gen.OneOf(
        from f in Gen.Choose(1, 8) from kh in Gen.Choose(1, 4) from kw in Gen.Choose(1, 4) from s in Gen.Choose(1, 3) from same in Gen.Elements(false, true)
        select (LayerSpec)new Conv2DSpec(f, kh, kw, s, same ? Padding.Same : Padding.Valid),
        from p in Gen.Choose(1, 3) from s in Gen.Choose(0, 2) select (LayerSpec)new MaxPool2DSpec(p, s),
        Gen.Elements(0.0, 0.25, 0.5, 0.1, 1.0 / 3).Select(r => (LayerSpec)new DropoutSpec(r)),
        Gen.Constant((LayerSpec)new ReluSpec()));

    /// <summary>Random networks that fit their input: hidden layers on an image, flatten, optional dense + relu, a dense head of >= 2 classes.</summary>
    static readonly Gen<NetworkSpec> Networks =
        (from c in Gen.Choose(1, 3) from h in Gen.Choose(6, 20) from w in Gen.Choose(6, 20)
         from hidden in Gen.ListOf(Hidden).Select(l => l.Take(6).ToArray())
         from mid in Gen.Elements(0, 0, 5, 17)
         from classes in Gen.Choose(2, 12)
         select Build(new TensorShape(c, h, w), [.. hidden, new FlattenSpec(), .. mid > 0 ? new LayerSpec[] { new DenseSpec(mid), new ReluSpec() } : [], new DenseSpec(classes)]))
        .Where(n => n is not null).Select(n => n!);

    static NetworkSpec? Build(TensorShape input, LayerSpec[] layers)
    {
        try { return new NetworkSpec(input, layers); }
        catch (ArgumentException) { return null; }   // a layer that does not fit: not a network
    }

    [Property(MaxTest = 300)]
    public Property Parse_of_Print_has_the_same_layers_and_shapes() =>
        Prop.ForAll(Networks.ToArbitrary(), spec =>
        {
            string text = NetworkText.Print(spec);
            var back = NetworkText.Parse(text, spec.Input);
            return (back.Layers.SequenceEqual(spec.Layers) && back.Shapes.SequenceEqual(spec.Shapes) && NetworkText.Print(back) == text).Label(text);
        });

    [Fact]
    public void The_seed_cnn_prints_as_the_issue_writes_it_and_reads_back_on_mnist_and_cifar10_shapes()
    {
        Assert.Equal(Seed, NetworkText.Print(NetworkSpec.MnistSeed()));
        Assert.Equal(Seed, NetworkText.Print(NetworkSpec.Cifar10Seed()));
        Assert.Equal(NetworkSpec.MnistSeed().Layers, NetworkText.Parse(Seed, new TensorShape(1, 28, 28)).Layers);
        Assert.Equal(NetworkSpec.Cifar10Seed().Shapes, NetworkText.Parse(" CONV32:3 , relu,maxpool2,dropout0.25,conv64:3,relu,maxpool2,dropout0.25,flatten,dense256,relu,dense10 ",
            new TensorShape(3, 32, 32)).Shapes);
        Assert.Equal(new Conv2DSpec(8, 3, 5, 2, Padding.Same), NetworkText.ParseLayers("conv8:3x5:s2:same")[0]);
        Assert.Equal("conv8:3x5:s2:same,maxpool3:s1,dropout0.5", NetworkText.Print(NetworkText.ParseLayers("conv8:3x5:same:s2,maxpool3:s1,dropout0.5")));
    }

    [Theory]
    [InlineData("", "it is empty")]
    [InlineData("conv32:3,relu,pool2,flatten,dense10", "layer 3 'pool2' is not a layer; layers are conv<filters>:<k>")]
    [InlineData("conv0:3,flatten,dense10", "layer 1 'conv0:3' has filters 0; it must be an integer >= 1")]
    [InlineData("conv32:3,dropout1.5,flatten,dense10", "layer 2 'dropout1.5' has rate 1.5; it must be a number in [0, 1)")]
    [InlineData("conv32:3,dropout0,5,flatten,dense10", "layer 3 '5' is not a layer")]
    [InlineData("conv8:3,relu,maxpool2,conv8:3,flatten,dense10", "layer 4 'conv8:3' does not fit its input 8x2x2: Conv2D kernel 3x3")]
    [InlineData("conv32:3,dense10", "layer 2 'dense10' does not fit its input 32x4x4: Dense needs a flat input")]
    [InlineData("conv32:3,relu", "the last layer's output is 32x4x4; softmax needs a flat output")]
    [InlineData("flatten,dense1", "softmax needs a flat output with at least 2 classes")]
    public void Bad_texts_and_layers_that_do_not_fit_are_one_line_naming_the_layer(string text, string what)
    {
        var ex = Assert.Throws<ArgumentException>(() => NetworkText.Parse(text, new TensorShape(1, 6, 6)));
        Assert.DoesNotContain('\n', ex.Message);
        Assert.StartsWith("Malformed model \"", ex.Message);
        Assert.Contains(what, ex.Message);
    }
}
