namespace FaceDefender.Statistics;

/// <summary>Argument checks shared by the public entry points; each message names the value and the fix.</summary>
internal static class Guard
{
    public static void Finite(ReadOnlySpan<double> data, string paramName, int minimumCount)
    {
        if (data.Length < minimumCount)
        {
            throw data.Length == 0
                ? new ArgumentException($"'{paramName}' is empty; at least {minimumCount} value(s) are needed.", paramName)
                : new ArgumentException($"'{paramName}' has {data.Length} value(s); this method needs at least {minimumCount}.", paramName);
        }

        for (int i = 0; i < data.Length; i++)
        {
            if (!double.IsFinite(data[i]))
            {
                throw new ArgumentException(
                    $"'{paramName}'[{i}] is {data[i]}; every value must be finite. Remove missing values (NaN) before calling.",
                    paramName);
            }
        }
    }

    public static void Level(double level, string paramName)
    {
        if (!(level > 0.0 && level < 1.0))
        {
            throw new ArgumentOutOfRangeException(paramName, level, $"'{paramName}' must lie strictly between 0 and 1 (for example 0.95).");
        }
    }

    public static void Probability(double p, string paramName)
    {
        if (!(p >= 0.0 && p <= 1.0))
        {
            throw new ArgumentOutOfRangeException(paramName, p, $"'{paramName}' must lie in [0, 1].");
        }
    }

    public static void PositiveFinite(double value, string paramName)
    {
        if (!(value > 0.0) || !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"'{paramName}' must be a finite number greater than 0.");
        }
    }

    public static double[] SortedCopy(ReadOnlySpan<double> data)
    {
        double[] sorted = data.ToArray();
        Array.Sort(sorted);
        return sorted;
    }
}
