namespace NetNumerics.Optimizers;

/// <summary>Checks on a tensor's dimensions shared by the state, the optimizers and the state format.</summary>
internal static class ShapeChecks
{
    /// <summary>The number of elements: the product of the dimensions (1 for rank 0); each must be &gt;= 0 and the product fit an int.</summary>
    public static int Product(ReadOnlySpan<int> shape, string name)
    {
        if (shape.Length > OptimizerState<float>.MaxRank)
            throw new ArgumentException($"{name} has {shape.Length} dimensions; at most {OptimizerState<float>.MaxRank} are allowed.", name);
        long product = 1;
        foreach (int d in shape)
            if (d < 0) throw new ArgumentOutOfRangeException(name, d, $"{name} [{string.Join(", ", shape.ToArray())}] has a negative dimension {d}; dimensions must be >= 0.");
        foreach (int d in shape)
        {
            product *= d;
            if (product > int.MaxValue)
                throw new ArgumentException($"{name} [{string.Join(", ", shape.ToArray())}] has more than {int.MaxValue} elements.", name);
        }
        return (int)product;
    }

    /// <summary>"[32, 1, 3, 3]".</summary>
    public static string Show(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";
}
