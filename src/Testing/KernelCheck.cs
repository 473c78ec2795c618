using System.Numerics;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using NetNumerics.Optimizers;

namespace NetNumerics.Testing;

/// <summary>
/// A property-based harness for your own span kernels: point it at a scalar reference and a kernel, and it
/// runs both on generated inputs (every IEEE class, every length around the vector widths) with the kernel at
/// every SIMD width (<see cref="SimdWidth.Limit"/>: 512, 256, 128 bits and scalar lanes), compares the results,
/// and throws a <see cref="NumericAssertException"/> describing the first mismatch of the case FsCheck shrank
/// (the width, the buffer, the index, both values with their bits, the ULP distance, the inputs at that index).
/// Stateful checks compare after every step and then re-sync the kernel to the reference, as PyTorch's
/// <c>test_foreach_matches_forloop</c> does, so one difference is reported where it arises instead of compounding.
/// Your kernel sees the width cap through <see cref="SimdWidth.Current"/>; the library's own kernels read it too.
/// </summary>
public static class KernelCheck
{
    /// <summary>
    /// An elementwise kernel over <paramref name="buffers"/> buffers of equal length, updated in place: the
    /// reference is applied to each index in turn, the kernel to whole buffers; every buffer (inputs too, so a kernel
    /// writing where it should only read is caught) must match bit for bit, or within <see cref="KernelCheckOptions{T}.MaxUlps"/>.
    /// </summary>
    /// <exception cref="NumericAssertException">A generated case made the kernel differ from the reference (or either threw).</exception>
    public static void Elementwise<T>(int buffers, ElementReference<T> reference, BufferKernel<T> kernel, KernelCheckOptions<T>? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Positive(buffers, nameof(buffers));
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(kernel);
        var o = options ?? new KernelCheckOptions<T>();
        Run("Elementwise", buffers, 0, o.Values ?? FloatGen.AnyClass<T>(), o, c =>
        {
            T[][] input = Columns(c.Rows, 0, buffers);
            T[][] expected = Clone(input);
            var element = new T[buffers];
            for (int i = 0; i < c.Rows.Length; i++)
            {
                for (int j = 0; j < buffers; j++) element[j] = expected[j][i];
                reference(element);
                for (int j = 0; j < buffers; j++) expected[j][i] = element[j];
            }
            foreach (VectorWidth w in o.Widths)
            {
                T[][] actual = Clone(input);
                using (SimdWidth.Limit(w)) kernel(actual);
                for (int j = 0; j < buffers; j++)
                    if (Compare(expected[j], actual[j], o, $"buffer {j}", out int at) is { } msg)
                        return Describe("Elementwise", w, c.Rows.Length, null, msg, "inputs", input, at);
            }
            return null;
        });
    }

    /// <summary>
    /// A stateful kernel: <paramref name="stateBuffers"/> buffers carried across <see cref="KernelCheckOptions{T}.Steps"/>
    /// steps, and <paramref name="inputBuffers"/> fresh input buffers per step (gradients, say). After each step the
    /// kernel's state (run at every width from the reference's state before the step) must match the reference's;
    /// the next step starts from the reference's state again (re-sync).
    /// </summary>
    /// <exception cref="NumericAssertException">A generated case made the kernel differ from the reference (or either threw).</exception>
    public static void Stateful<T>(int stateBuffers, int inputBuffers, StepReference<T> reference, StepKernel<T> kernel, KernelCheckOptions<T>? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Positive(stateBuffers, nameof(stateBuffers));
        if (inputBuffers < 0) throw new ArgumentOutOfRangeException(nameof(inputBuffers), inputBuffers, $"inputBuffers must be >= 0, but was {inputBuffers}.");
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(kernel);
        var o = options ?? new KernelCheckOptions<T>();
        Positive(o.Steps, nameof(o.Steps));
        Run("Stateful", stateBuffers + o.Steps * inputBuffers, 0, o.Values ?? FloatGen.AnyClass<T>(), o, c =>
        {
            T[][] state = Columns(c.Rows, 0, stateBuffers);
            var s = new T[stateBuffers];
            var x = new T[inputBuffers];
            for (int step = 1; step <= o.Steps; step++)
            {
                T[][] inputs = Columns(c.Rows, stateBuffers + (step - 1) * inputBuffers, inputBuffers);
                T[][] before = Clone(state);
                for (int i = 0; i < c.Rows.Length; i++)
                {
                    for (int j = 0; j < stateBuffers; j++) s[j] = state[j][i];
                    for (int j = 0; j < inputBuffers; j++) x[j] = inputs[j][i];
                    reference(s, x, step);
                    for (int j = 0; j < stateBuffers; j++) state[j][i] = s[j];
                }
                foreach (VectorWidth w in o.Widths)
                {
                    T[][] actual = Clone(before);
                    using (SimdWidth.Limit(w)) kernel(actual, Clone(inputs), step);
                    for (int j = 0; j < stateBuffers; j++)
                        if (Compare(state[j], actual[j], o, $"state buffer {j} after step {step}", out int at) is { } msg)
                            return Describe("Stateful", w, c.Rows.Length, step, msg, "state before the step and inputs", [.. before, .. inputs], at);
                }
            }
            return null;
        });
    }

    /// <summary>
    /// A reduction over <paramref name="inputs"/> buffers of equal length (a dot product, a sum): the kernel's value
    /// must be within <paramref name="bound"/> of the reference's (derive it, e.g. <c>2 * Bounds.Dot(x, y)</c> when both
    /// sides round), and the kernel must leave its inputs unchanged. Values default to <see cref="FloatGen.Moderate{T}"/>.
    /// </summary>
    /// <exception cref="NumericAssertException">A generated case broke the bound (or either side threw, or the kernel wrote to its inputs).</exception>
    public static void Reduction<T>(int inputs, ReductionKernel<T> reference, ReductionKernel<T> kernel, Func<T[][], double> bound, KernelCheckOptions<T>? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Positive(inputs, nameof(inputs));
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(bound);
        var o = options ?? new KernelCheckOptions<T>();
        Run("Reduction", inputs, 0, o.Values ?? FloatGen.Moderate<T>(), o, c =>
        {
            T[][] input = Columns(c.Rows, 0, inputs);
            T expected = reference(Clone(input));
            double b = bound(Clone(input));
            foreach (VectorWidth w in o.Widths)
            {
                T[][] seen = Clone(input);
                T actual;
                using (SimdWidth.Limit(w)) actual = kernel(seen);
                if (Comparison.Check<T>([expected], [actual], Rule.Bound, 0, default, b, o.Nan, SignedZeroPolicy.Equal, "WithinBound", "the reduced value") is { } msg)
                    return Describe("Reduction", w, c.Rows.Length, null, msg, null, input, -1);
                for (int j = 0; j < inputs; j++)
                    if (Comparison.Check<T>(input[j], seen[j], Rule.Bits, 0, default, 0, NanPolicy.PayloadExact, SignedZeroPolicy.Distinct, "BitExact", $"input {j} (the kernel wrote to it)", out int at) is { } changed)
                        return Describe("Reduction", w, c.Rows.Length, null, changed, "inputs", input, at);
            }
            return null;
        });
    }

#pragma warning disable RS0026   // the two Optimizer overloads take a delegate or an IOptimizer as the candidate: no call is ambiguous
    /// <summary>
    /// An optimizer step against a reference optimizer (ours, say <c>new NetNumerics.Reference.Optimizers.Sgd(options)</c>):
    /// both start from the reference's <see cref="IOptimizer.Init{T}(int)"/> state (the candidate gets a copy) and generated parameters, take
    /// <see cref="KernelCheckOptions{T}.Steps"/> steps with generated gradients and learning rates, and after every step
    /// the candidate's parameters and every state slot (run at every width from the reference's state before the
    /// step) must match the reference's.
    /// </summary>
    /// <exception cref="NumericAssertException">A generated case made the candidate differ from the reference (or either threw).</exception>
    public static void Optimizer<T>(IOptimizer reference, OptimizerStep<T> candidate, KernelCheckOptions<T>? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(candidate);
        var o = options ?? new KernelCheckOptions<T>();
        Positive(o.Steps, nameof(o.Steps));
        Run($"Optimizer({reference.Name})", 1 + o.Steps, o.Steps, o.Values ?? FloatGen.AnyClass<T>(), o, c =>
        {
            int n = c.Rows.Length;
            T[][] columns = Columns(c.Rows, 0, 1 + o.Steps);
            T[] p = columns[0];
            OptimizerState<T> state = reference.Init<T>(n);
            for (int step = 1; step <= o.Steps; step++)
            {
                T[] g = columns[step];
                double lr = c.Rates[step - 1];
                T[] pBefore = (T[])p.Clone();
                OptimizerState<T> sBefore = state.Clone();
                reference.Update(state, p.AsSpan(), (ReadOnlySpan<T>)g, lr);
                foreach (VectorWidth w in o.Widths)
                {
                    T[] pc = (T[])pBefore.Clone();
                    OptimizerState<T> sc = sBefore.Clone();
                    using (SimdWidth.Limit(w)) candidate(sc, pc, g, lr);
                    string when = $"after step {step} (lr {lr:R})";
                    T[][] context = [pBefore, g, .. Slots(sBefore)];
                    string contextName = $"parameters, gradients and [{string.Join(", ", sBefore.SlotNames)}] before the step";
                    if (Compare(p, pc, o, $"parameters {when}", out int at) is { } msg)
                        return Describe(reference.Name, w, n, step, msg, contextName, context, at);
                    if (sc.Step != state.Step)
                        return Describe(reference.Name, w, n, step, $"state step is {sc.Step}, but the reference's is {state.Step}", null, context, -1);
                    for (int s = 0; s < state.SlotNames.Count; s++)
                        if (Compare(state.SlotAt(s).ToArray(), sc.SlotAt(s).ToArray(), o, $"slot '{state.SlotNames[s]}' {when}", out at) is { } smsg)
                            return Describe(reference.Name, w, n, step, smsg, contextName, context, at);
                }
            }
            return null;
        });
    }

    /// <summary>
    /// Another <see cref="IOptimizer"/> (a Fast twin, say) against a reference optimizer: as
    /// <see cref="Optimizer{T}(IOptimizer, OptimizerStep{T}, KernelCheckOptions{T})"/> with the candidate's Update.
    /// </summary>
    /// <exception cref="NumericAssertException">A generated case made the candidate differ from the reference (or either threw).</exception>
    public static void Optimizer<T>(IOptimizer reference, IOptimizer candidate, KernelCheckOptions<T>? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(candidate);
        Optimizer(reference, (OptimizerState<T> s, Span<T> p, ReadOnlySpan<T> g, double lr) => candidate.Update(s, p, g, lr), options);
    }

#pragma warning restore RS0026

    /// <summary>One generated case: n rows of values (row i holds element i of every buffer) and the learning rates.</summary>
    sealed class Case<T>(T[][] rows, double[] rates)
    {
        public T[][] Rows { get; } = rows;
        public double[] Rates { get; } = rates;
        public override string ToString() => $"{Rows.Length} elements";
    }

    static void Run<T>(string kind, int rowWidth, int rates, Gen<T> values, KernelCheckOptions<T> o, Func<Case<T>, string?> evaluate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Positive(o.MaxTest, nameof(o.MaxTest));
        if (o.Widths.Count == 0) throw new ArgumentException("options.Widths is empty; give at least one width.", nameof(o));
        var cases =
            from n in o.Lengths
            from rows in values.ArrayOf(rowWidth).ArrayOf(n)
            from lr in o.LearningRates.ArrayOf(rates)
            select new Case<T>(rows, lr);
        IEnumerable<Case<T>> Shrink(Case<T> c) =>
            SpanGen.Shrink(c.Rows, row => ShrinkRow(row)).Select(r => new Case<T>(r, c.Rates));
        string? first = null, last = null;
        Func<Case<T>, bool> property = c =>
        {
            string? message;
            try { message = evaluate(c); }
            catch (Exception e) { message = $"KernelCheck.{kind}: the reference or the kernel threw on {c.Rows.Length} elements: {e.GetType().Name}: {e.Message}"; }
            if (message is not null) { first ??= message; last = message; }
            return message is null;
        };
        try
        {
            Prop.ForAll(Arb.From(cases, c => Shrink(c)), property).Check(Config.QuickThrowOnFailure.WithMaxTest(o.MaxTest).WithQuietOnSuccess(true));
        }
        catch (Exception e) when (last is not null)
        {
            string fsCheck = e.Message.Split('\n').FirstOrDefault(l => l.Contains("Falsifiable", StringComparison.Ordinal))?.Trim() ?? "";
            string original = first!.Split('\n')[0];
            throw new NumericAssertException($"{last}\n(shrunk by FsCheck: {fsCheck}; before shrinking: {original})", e);
        }
    }

    static IEnumerable<T[]> ShrinkRow<T>(T[] row) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int j = 0; j < row.Length; j++)
            foreach (T simpler in FloatGen.Shrink(row[j]))
            {
                var copy = (T[])row.Clone();
                copy[j] = simpler;
                yield return copy;
            }
    }

    static string? Compare<T>(T[] expected, T[] actual, KernelCheckOptions<T> o, string label, out int at) where T : unmanaged, IFloatingPointIeee754<T> =>
        o.MaxUlps == 0
            ? Comparison.Check<T>(expected, actual, Rule.Bits, 0, default, 0, o.Nan, SignedZeroPolicy.Distinct, "BitExact", label, out at)
            : Comparison.Check<T>(expected, actual, Rule.Ulps, o.MaxUlps, default, 0, o.Nan, o.Zero, $"WithinUlps({o.MaxUlps})", label, out at);

    static string Describe<T>(string kind, VectorWidth width, int n, int? step, string message, string? contextName, T[][] context, int index)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var sb = new StringBuilder();
        sb.Append($"KernelCheck.{kind}: the kernel differs from the reference at width {width} on {n} elements{(step is { } s ? $", step {s}" : "")}.\n");
        sb.Append(message);
        if (contextName is not null && index >= 0)
        {
            sb.Append($"\n  {contextName} at index {index}: ");
            sb.Append(string.Join(", ", context.Select((b, j) => $"[{j}] {Comparison.Show(b[index])}")));
        }
        return sb.ToString();
    }

    static IEnumerable<T[]> Slots<T>(OptimizerState<T> s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < s.SlotNames.Count; i++) yield return s.SlotAt(i).ToArray();
    }

    static T[][] Columns<T>(T[][] rows, int first, int count)
    {
        var columns = new T[count][];
        for (int j = 0; j < count; j++)
        {
            columns[j] = new T[rows.Length];
            for (int i = 0; i < rows.Length; i++) columns[j][i] = rows[i][first + j];
        }
        return columns;
    }

    static T[][] Clone<T>(T[][] buffers) => buffers.Select(b => (T[])b.Clone()).ToArray();

    static void Positive(int value, string name)
    {
        if (value <= 0) throw new ArgumentOutOfRangeException(name, value, $"{name} must be > 0, but was {value}.");
    }
}
