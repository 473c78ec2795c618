using System.Numerics.Tensors;

namespace NetNumerics.Training.Callbacks;

/// <summary>
/// Stops the run on the first batch whose loss or any gradient is NaN or infinite, BEFORE its update is
/// applied (so the weights stay finite), with a message naming the epoch, the batch, the global step and
/// the first parameter whose gradient is not finite. (Keras' TerminateOnNaN checks only the loss, after the update.)
/// </summary>
public sealed class TerminateOnNaN : Callback
{
    /// <summary>Requests a stop, naming the batch and the first non-finite value, when the loss or any gradient is NaN or infinite.</summary>
    /// <param name="context">The run (its model's gradients are checked).</param>
    /// <param name="batch">The batch whose update is about to be applied.</param>
    public override void OnGradients(TrainingContext context, BatchLogs batch)
    {
        double loss = batch.Result.MeanLoss;
        string? bad = null;
        foreach (var p in context.Model.Parameters)
        {
            var g = p.Gradients.Span;
            if (g.Length > 0 && !float.IsFinite(TensorPrimitives.MaxMagnitude(g)))   // NaN or ±Inf propagates to the max magnitude
            {
                int i = 0;
                while (float.IsFinite(g[i])) i++;
                bad = $"gradient of '{p.Name}' is {g[i]} at index {i}";
                break;
            }
        }
        if (double.IsFinite(loss) && bad is null) return;
        string what = double.IsFinite(loss) ? bad! : bad is null ? $"loss is {loss}" : $"loss is {loss}, {bad}";
        context.RequestStop($"TerminateOnNaN: epoch {batch.Epoch + 1}, batch {batch.Batch + 1}/{batch.Batches} (step {batch.Iteration}): {what}; the update was not applied.");
    }
}
