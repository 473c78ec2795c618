namespace NetNumerics.Optimizers;

/// <summary>
/// Whose floating-point operation order an optimizer follows. Every order computes the same formula in
/// exact arithmetic; they differ in how each step is rounded, which is what decides whether a run
/// reproduces another library's bits. The PyTorch orders follow torch 1.13's CPU code element by element
/// (<c>scripts/torch-fixtures/OPERATION-ORDER.md</c>) and are checked against recorded torch trajectories.
/// </summary>
public enum OperationOrder
{
    /// <summary>
    /// This library's order, written as Keras writes the formulas: <c>b*m + (1-b)*g</c>,
    /// <c>p - s*(m/d)</c>, no fused multiply-add. Default.
    /// </summary>
    Keras = 0,

    /// <summary>
    /// torch 1.13's Python functions over its plain IEEE kernels (<c>ATEN_CPU_CAPABILITY=default</c>): for example
    /// <c>addcmul_(g, g, value=1-b)</c> as <c>v*b + ((1-b)*g)*g</c> and <c>addcdiv_(m, d, value=-s)</c> as
    /// <c>p + ((-s)*m)/d</c>; per-step scalars in double, rounded once to the parameter type.
    /// </summary>
    PyTorch = 1,

    /// <summary>
    /// As <see cref="PyTorch"/>, with torch's native vectorized CPU kernels (AVX2/AVX-512 dispatch): <c>add(b, alpha=s)</c>
    /// is <c>fma(b, s, a)</c> and <c>addcmul(t1, t2, value=s)</c> is <c>fma(s*t1, t2, a)</c>, at every element.
    /// Nothing else fuses.
    /// </summary>
    PyTorchFused = 2,
}

/// <summary>
/// Which of torch 1.13's two implementations to follow where they give different bits: <c>foreach=False</c>
/// (the single-tensor functions, torch's default on CPU) or <c>foreach=True</c>. Only Adagrad (lr arithmetic
/// in float32), NAdam (the corrected, later rule) and RAdam (no eps) differ; every other optimizer's two paths
/// give the same bits. Applies only to the PyTorch orders.
/// </summary>
public enum TorchPath
{
    /// <summary>torch's <c>_single_tensor_*</c> functions (<c>foreach=False</c>). Default.</summary>
    SingleTensor = 0,

    /// <summary>torch's <c>_multi_tensor_*</c> functions (<c>foreach=True</c>).</summary>
    Foreach = 1,
}

/// <summary>The combination checks the PyTorch orders share: torch has one formula, so the form options must name it.</summary>
static class OrderChecks
{
    public static bool IsPyTorch(this OperationOrder order) => order != OperationOrder.Keras;

    /// <summary>Throws unless <paramref name="actual"/> is torch's choice when a PyTorch order is selected.</summary>
    public static void Require<TEnum>(OperationOrder order, TEnum actual, TEnum torch, string name, string preset) where TEnum : struct, Enum
    {
        if (order.IsPyTorch() && !actual.Equals(torch))
            throw new ArgumentException(
                $"{name} = {actual} is not torch's formula; Order = {order} needs {name} = {torch} (start from {preset}).", name);
    }

    /// <summary>Throws if a torch-only switch is set with the Keras order.</summary>
    public static void TorchOnly(OperationOrder order, TorchPath path)
    {
        if (!order.IsPyTorch() && path != TorchPath.SingleTensor)
            throw new ArgumentException(
                $"TorchPath = {path} chooses between torch's implementations; it needs Order = PyTorch or PyTorchFused, but Order was {order}.", "TorchPath");
    }
}
