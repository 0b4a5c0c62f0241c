namespace FaceDefender.Statistics;

/// <summary>
/// Sample quantiles with R's nine definitions (<see cref="QuantileType"/>), computed with the same
/// floating-point steps as R 4.2's <c>quantile.default</c> so results agree to the last bit in ordinary cases.
/// </summary>
public static class Quantiles
{
    /// <summary>
    /// The sample quantile of <paramref name="data"/> at probability <paramref name="probability"/>
    /// (R: <c>quantile(x, p, type = type)</c>). The input need not be sorted and is not modified.
    /// </summary>
    /// <param name="data">At least one finite value.</param>
    /// <param name="probability">In [0, 1].</param>
    /// <param name="type">Quantile definition; R's default type 7 unless given.</param>
    /// <exception cref="ArgumentException">Empty data, a NaN or infinite value.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Probability outside [0, 1] or an unknown type.</exception>
    public static double Quantile(ReadOnlySpan<double> data, double probability, QuantileType type = QuantileType.R7)
    {
        Guard.Finite(data, nameof(data), 1);
        Guard.Probability(probability, nameof(probability));
        CheckType(type);
        return FromSorted(Guard.SortedCopy(data), probability, type);
    }

    /// <summary>
    /// Several sample quantiles of the same data (R: <c>quantile(x, probs, type = type)</c>), sorting once.
    /// </summary>
    /// <param name="data">At least one finite value.</param>
    /// <param name="probabilities">Each in [0, 1].</param>
    /// <param name="type">Quantile definition; R's default type 7 unless given.</param>
    /// <returns>One quantile per probability, in the same order.</returns>
    /// <exception cref="ArgumentException">Empty data, a NaN or infinite value.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A probability outside [0, 1] or an unknown type.</exception>
    public static double[] Compute(ReadOnlySpan<double> data, ReadOnlySpan<double> probabilities, QuantileType type = QuantileType.R7)
    {
        Guard.Finite(data, nameof(data), 1);
        CheckType(type);
        foreach (double p in probabilities)
        {
            Guard.Probability(p, nameof(probabilities));
        }

        double[] sorted = Guard.SortedCopy(data);
        var result = new double[probabilities.Length];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = FromSorted(sorted, probabilities[i], type);
        }

        return result;
    }

    /// <summary>
    /// The sample quantile of data that is already sorted ascending and finite (not checked, for speed).
    /// </summary>
    /// <param name="sorted">Ascending, finite, non-empty.</param>
    /// <param name="probability">In [0, 1].</param>
    /// <param name="type">Quantile definition.</param>
    /// <exception cref="ArgumentException">Empty data.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Probability outside [0, 1] or an unknown type.</exception>
    public static double FromSorted(ReadOnlySpan<double> sorted, double probability, QuantileType type = QuantileType.R7)
    {
        if (sorted.IsEmpty)
        {
            throw new ArgumentException("'sorted' is empty; a quantile needs at least one value.", nameof(sorted));
        }

        Guard.Probability(probability, nameof(probability));
        CheckType(type);
        int n = sorted.Length;
        double p = probability;

        if (type == QuantileType.R7)
        {
            // R: index <- 1 + (n - 1) * p; interpolate between x[lo] and x[hi] only when they differ.
            double index = 1.0 + ((n - 1) * p);
            double lo = Math.Floor(index);
            double hi = Math.Ceiling(index);
            double qlo = sorted[(int)lo - 1];
            double qhi = sorted[(int)hi - 1];
            if (index > lo && qhi != qlo)
            {
                double h = index - lo;
                return ((1.0 - h) * qlo) + (h * qhi);
            }

            return qlo;
        }

        double nppm;
        double j;
        double hh;
        if ((int)type <= 3)
        {
            nppm = type == QuantileType.R3 ? (n * p) - 0.5 : n * p;
            j = Math.Floor(nppm);
            hh = type switch
            {
                QuantileType.R1 => nppm > j ? 1.0 : 0.0,
                QuantileType.R2 => ((nppm > j ? 1.0 : 0.0) + 1.0) / 2.0,
                _ => (nppm != j || Math.Abs(j % 2.0) == 1.0) ? 1.0 : 0.0,
            };
        }
        else
        {
            (double a, double b) = type switch
            {
                QuantileType.R4 => (0.0, 1.0),
                QuantileType.R5 => (0.5, 0.5),
                QuantileType.R6 => (0.0, 0.0),
                QuantileType.R8 => (1.0 / 3.0, 1.0 / 3.0),
                _ => (3.0 / 8.0, 3.0 / 8.0),
            };
            const double fuzz = 4.0 * 2.220446049250313e-16; // R: 4 * .Machine$double.eps
            nppm = a + (p * (n + 1 - a - b));
            j = Math.Floor(nppm + fuzz);
            hh = nppm - j;
            if (Math.Abs(hh) < fuzz)
            {
                hh = 0.0;
            }
        }

        // R pads the sorted vector as c(x[1], x[1], x, x[n], x[n]) and reads x[j + 2] and x[j + 3].
        double lower = Padded(sorted, j + 2);
        double upper = Padded(sorted, j + 3);
        if (hh == 1.0)
        {
            return upper;
        }

        if (hh > 0.0 && hh < 1.0 && lower != upper)
        {
            return ((1.0 - hh) * lower) + (hh * upper);
        }

        return lower;
    }

    private static double Padded(ReadOnlySpan<double> sorted, double oneBasedPaddedIndex)
    {
        // Padded index k (1-based) maps to sorted[k - 3] clamped to the ends.
        long k = (long)oneBasedPaddedIndex - 3;
        if (k < 0)
        {
            return sorted[0];
        }

        return k >= sorted.Length ? sorted[^1] : sorted[(int)k];
    }

    private static void CheckType(QuantileType type)
    {
        if (type < QuantileType.R1 || type > QuantileType.R9)
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "Quantile type must be one of R1 to R9.");
        }
    }
}
