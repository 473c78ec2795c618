using FsCheck;
using FsCheck.Fluent;

namespace NetNumerics.Testing;

/// <summary>
/// Lengths and arrays for span kernels. A vector of 512 bits holds 16 floats or 8 doubles, and kernels run two
/// vectors per iteration, so the interesting lengths are every length from 0 to <see cref="SmallLengthLimit"/>
/// (3 x 64 + 7: every body/tail split of every width, several times over), plus large ones.
/// </summary>
public static class SpanGen
{
    /// <summary>The largest of the "every length" range: 3 x 64 + 7 = 199.</summary>
    public const int SmallLengthLimit = 3 * 64 + 7;

    /// <summary>Lengths: 85% uniform in [0, 199], 15% in [200, 20000].</summary>
    public static Gen<int> Length { get; } = Gen.Frequency(
        (85, Gen.Choose(0, SmallLengthLimit)),
        (15, Gen.Choose(SmallLengthLimit + 1, 20_000)));

    /// <summary>Arrays whose length comes from <see cref="Length"/> and whose elements come from <paramref name="values"/>.</summary>
    public static Gen<T[]> ArrayOf<T>(Gen<T> values) => Length.SelectMany(n => values.ArrayOf(n));

    /// <summary>
    /// Simpler candidates for a failing array, for FsCheck's shrinking: the first or second half, each element
    /// removed (for short arrays), then each element replaced by a simpler one from <paramref name="element"/>.
    /// </summary>
    public static IEnumerable<T[]> Shrink<T>(T[] array, Func<T, IEnumerable<T>> element)
    {
        ArgumentNullException.ThrowIfNull(array);
        ArgumentNullException.ThrowIfNull(element);
        int n = array.Length;
        if (n == 0) yield break;
        if (n > 1)
        {
            yield return array[..(n / 2)];
            yield return array[(n / 2)..];
        }
        if (n <= 64)
            for (int i = 0; i < n; i++)
                yield return [.. array[..i], .. array[(i + 1)..]];
        for (int i = 0; i < n; i++)
            foreach (T simpler in element(array[i]))
            {
                var copy = (T[])array.Clone();
                copy[i] = simpler;
                yield return copy;
            }
    }
}
