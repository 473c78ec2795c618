using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NetNumerics.Bench.Peer;

/// <summary>
/// The same CNN in TorchSharp (libtorch CPU): Conv2d(1,32,3), ReLU, MaxPool2d(2), Dropout(.25), Conv2d(32,64,3), ReLU,
/// MaxPool2d(2), Dropout(.25), Flatten, Linear(1600,256), ReLU, Linear(256,10); CrossEntropyLoss on the logits (the
/// softmax is fused into its log-softmax, as PyTorch users write it); torch.optim.Adam(lr 1e-3, b1 .9, b2 .999, eps 1e-7).
/// The batches are views (narrow) of one tensor built before timing, so no data is copied in a step.
/// </summary>
sealed class TorchTrainer : IDisposable
{
    readonly TorchSharp.Modules.Sequential model;
    readonly TorchSharp.Modules.CrossEntropyLoss loss;
    readonly optim.Optimizer optimizer;
    readonly Tensor images, labels;

    /// <summary>Sets libtorch's intra-op and inter-op thread counts; call once per process, before any torch work.</summary>
    public static void SetThreads(int threads)
    {
        LibTorchSharpCompat.EnsureLoadable();
        torch.set_num_threads(threads);
        torch.set_num_interop_threads(threads);
    }

    public TorchTrainer(float[] images, int[] labels)
    {
        torch.manual_seed(1);
        model = Sequential(
            Conv2d(1, 32, 3), ReLU(), MaxPool2d(2), Dropout(0.25),
            Conv2d(32, 64, 3), ReLU(), MaxPool2d(2), Dropout(0.25),
            Flatten(), Linear(64 * 5 * 5, 256), ReLU(), Linear(256, 10));
        model.train();
        loss = CrossEntropyLoss();
        optimizer = optim.Adam(model.parameters(), lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-7);
        int n = labels.Length;
        this.images = torch.tensor(images, new long[] { n, 1, 28, 28 }, ScalarType.Float32);
        this.labels = torch.tensor(labels.Select(l => (long)l).ToArray(), new long[] { n }, ScalarType.Int64);
    }

    public long ParameterCount => model.parameters().Sum(p => p.numel());

    /// <summary>One step on the batch starting at sample <paramref name="start"/>: zero_grad, forward, loss, backward, Adam.</summary>
    public double Step(int start)
    {
        using var scope = torch.NewDisposeScope();
        optimizer.zero_grad();
        var x = images.narrow(0, start, SyntheticMnist.Batch);
        var y = labels.narrow(0, start, SyntheticMnist.Batch);
        var l = loss.forward(model.forward(x), y);
        l.backward();
        optimizer.step();
        return l.item<float>();
    }

    public void Dispose()
    {
        images.Dispose(); labels.Dispose();
        model.Dispose(); loss.Dispose();
    }
}
