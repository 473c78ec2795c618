using NetNumerics.Optimizers;
using NetNumerics.Nn;
using NetNumerics.Data;
using System.Numerics;

namespace NetNumerics.Properties.Training;

/// <summary>
/// Test fixture: multinomial logistic regression (softmax of W x + b, cross-entropy), with an input dropout
/// (p = 0.1, inverted scaling) whose mask is a pure function of (seed, step, sample, element), so that the
/// trainer's seed and step bookkeeping matters to the result. Parameters "W" [classes x inputs] and "b".
/// </summary>
sealed class SoftmaxRegression : IModel
{
    readonly float[] _w, _b, _gw, _gb;
    public SoftmaxRegression(int inputLength, int classes, ulong initSeed = 7, string weightName = "W")
    {
        InputLength = inputLength; Classes = classes;
        _w = new float[inputLength * classes]; _b = new float[classes];
        _gw = new float[_w.Length]; _gb = new float[classes];
        for (int i = 0; i < _w.Length; i++) _w[i] = (CounterRng.UniformSingle(initSeed, 99, (ulong)i) - 0.5f) * 0.2f;
        Parameters = [new Parameter(weightName, [classes, inputLength], _w, _gw), new Parameter("b", [classes], _b, _gb)];
    }

    public int InputLength { get; }
    public int Classes { get; }
    public IReadOnlyList<Parameter> Parameters { get; }
    public int TrainSteps { get; private set; }

    public BatchResult TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, ulong seed, long step)
    {
        TrainSteps++;
        Array.Clear(_gw); Array.Clear(_gb);
        int n = labels.Length;
        var x = new float[InputLength];
        var p = new float[Classes];
        double loss = 0; int correct = 0;
        for (int s = 0; s < n; s++)
        {
            for (int i = 0; i < InputLength; i++)
            {
                bool drop = CounterRng.UniformSingle(seed, (ulong)step, (ulong)(s * InputLength + i)) < 0.1f;
                x[i] = drop ? 0 : inputs[s * InputLength + i] / 0.9f;
            }
            loss += Forward(x, labels[s], p, ref correct);
            for (int c = 0; c < Classes; c++)
            {
                float d = (p[c] - (c == labels[s] ? 1 : 0)) / n;
                _gb[c] += d;
                for (int i = 0; i < InputLength; i++) _gw[c * InputLength + i] += d * x[i];
            }
        }
        return new BatchResult(loss, correct, n);
    }

    double Forward(ReadOnlySpan<float> x, int label, float[] p, ref int correct)
    {
        float max = float.NegativeInfinity;
        for (int c = 0; c < Classes; c++)
        {
            float z = _b[c];
            for (int i = 0; i < InputLength; i++) z += _w[c * InputLength + i] * x[i];
            p[c] = z; max = MathF.Max(max, z);
        }
        float sum = 0;
        for (int c = 0; c < Classes; c++) { p[c] = MathF.Exp(p[c] - max); sum += p[c]; }
        int arg = 0;
        for (int c = 0; c < Classes; c++) { p[c] /= sum; if (p[c] > p[arg]) arg = c; }
        if (arg == label) correct++;
        return -Math.Log(Math.Max(p[label], 1e-30f));
    }

    public BatchResult Evaluate(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels)
    {
        var p = new float[Classes];
        double loss = 0; int correct = 0;
        for (int s = 0; s < labels.Length; s++) loss += Forward(inputs.Slice(s * InputLength, InputLength), labels[s], p, ref correct);
        return new BatchResult(loss, correct, labels.Length);
    }

    public void Predict(ReadOnlySpan<float> inputs, Span<float> probabilities)
    {
        var p = new float[Classes];
        int dummy = 0;
        for (int s = 0; s * InputLength < inputs.Length; s++)
        {
            Forward(inputs.Slice(s * InputLength, InputLength), 0, p, ref dummy);
            p.CopyTo(probabilities.Slice(s * Classes, Classes));
        }
    }
}

/// <summary>Test fixture: SGD with Keras-form momentum (v = m v - lr g; p += v), one "velocity" slot.</summary>
sealed class MomentumSgd(double momentum = 0.9) : IOptimizer
{
    public string Name => "test-momentum-sgd";

    public OptimizerState<T> Init<T>(int length) where T : unmanaged, IFloatingPointIeee754<T> =>
        new(Name, length, ["velocity"]);

    public OptimizerState<T> Update<T>(OptimizerState<T> state, Span<T> parameters, ReadOnlySpan<T> gradients, double learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var v = state.Slot("velocity").Span;
        T m = T.CreateTruncating(momentum), lr = T.CreateTruncating(learningRate);
        for (int i = 0; i < parameters.Length; i++)
        {
            v[i] = m * v[i] - lr * gradients[i];
            parameters[i] += v[i];
        }
        state.Step++;
        return state;
    }
}

/// <summary>
/// Test fixture: a model that learns nothing but records what the trainer feeds it. Each sample's first float
/// is its index in the dataset (see <see cref="Data.Indexed"/>). Evaluate returns the next value of a scripted
/// loss sequence (one call per epoch when the validation set fits one batch) and records the indices it saw.
/// </summary>
sealed class RecordingModel(int inputLength, int classes, double[]? scriptedValLoss = null, double[]? scriptedValAcc = null) : IModel
{
    readonly float[] _w = new float[3], _g = new float[3];
    int _evals;
    public int InputLength => inputLength;
    public int Classes => classes;
    public IReadOnlyList<Parameter> Parameters => [new Parameter("w", [3], _w, _g)];
    public List<int[]> TrainBatches { get; } = [];
    public List<(ulong Seed, long Step)> Steps { get; } = [];
    public List<int[]> EvalBatches { get; } = [];
    /// <summary>Loss returned by TrainStep per sample, as a function of the step.</summary>
    public Func<long, double> TrainLoss { get; init; } = step => 1.0 / (1 + step);
    public Func<long, float> Gradient { get; init; } = _ => 1f;

    public BatchResult TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, ulong seed, long step)
    {
        var idx = new int[labels.Length];
        for (int s = 0; s < idx.Length; s++) idx[s] = (int)inputs[s * inputLength];
        TrainBatches.Add(idx);
        Steps.Add((seed, step));
        Array.Fill(_g, Gradient(step));
        return new BatchResult(TrainLoss(step) * labels.Length, labels.Length / 2, labels.Length);
    }

    public BatchResult Evaluate(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels)
    {
        var idx = new int[labels.Length];
        for (int s = 0; s < idx.Length; s++) idx[s] = (int)inputs[s * inputLength];
        EvalBatches.Add(idx);
        int k = _evals++;
        double loss = scriptedValLoss is null ? 0.5 : scriptedValLoss[Math.Min(k, scriptedValLoss.Length - 1)];
        double acc = scriptedValAcc is null ? 0.5 : scriptedValAcc[Math.Min(k, scriptedValAcc.Length - 1)];
        return new BatchResult(loss * labels.Length, (int)Math.Round(acc * labels.Length), labels.Length);
    }

    public void Predict(ReadOnlySpan<float> inputs, Span<float> probabilities) => probabilities.Fill(1f / classes);
}

/// <summary>Plain SGD p -= lr g with no slots (test fixture).</summary>
sealed class PlainSgd : IOptimizer
{
    public string Name => "test-sgd";
    public OptimizerState<T> Init<T>(int length) where T : unmanaged, IFloatingPointIeee754<T> => new(Name, length, []);
    public OptimizerState<T> Update<T>(OptimizerState<T> state, Span<T> parameters, ReadOnlySpan<T> gradients, double learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T lr = T.CreateTruncating(learningRate);
        for (int i = 0; i < parameters.Length; i++) parameters[i] -= lr * gradients[i];
        state.Step++;
        return state;
    }
}

static class Data
{
    /// <summary>n samples of 1x2x2, 3 classes; the first float of each sample is its index (for RecordingModel).</summary>
    public static Dataset Indexed(int n)
    {
        var img = new float[n * 4];
        var lab = new int[n];
        for (int i = 0; i < n; i++) { img[i * 4] = i; lab[i] = i % 3; }
        return new Dataset(img, lab, 1, 2, 2, 3);
    }

    /// <summary>n samples of 1x4x4 in [0,1], 3 classes: class c lights up row c, plus uniform noise.</summary>
    public static Dataset Clusters(int n, ulong seed = 3)
    {
        var img = new float[n * 16];
        var lab = new int[n];
        for (int i = 0; i < n; i++)
        {
            lab[i] = (int)(CounterRng.Bits(seed, 1, (ulong)i) % 3);
            for (int j = 0; j < 16; j++)
            {
                float noise = CounterRng.UniformSingle(seed, 2, (ulong)(i * 16 + j)) * 0.6f;
                img[i * 16 + j] = j / 4 == lab[i] ? 0.4f + noise : noise;
            }
        }
        return new Dataset(img, lab, 1, 4, 4, 3);
    }
}

/// <summary>Records the weights at every epoch end (put it before the callback under test).</summary>
sealed class WeightRecorder : NetNumerics.Training.Callback
{
    public List<float[][]> PerEpoch { get; } = [];
    public override void OnEpochEnd(NetNumerics.Training.TrainingContext context, NetNumerics.Training.EpochLogs logs) =>
        PerEpoch.Add(context.GetWeights());
}
