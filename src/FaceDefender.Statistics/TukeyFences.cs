using System.Collections.Immutable;

namespace FaceDefender.Statistics;

/// <summary>
/// Tukey's fences for outlier screening: a value is an outlier when it lies strictly below
/// Q1 - k * IQR or strictly above Q3 + k * IQR (a value exactly on a fence is kept).
/// R equivalent: <c>q &lt;- quantile(x, c(.25, .75)); iqr &lt;- diff(q); x[x &gt;= q[1] - k*iqr &amp; x &lt;= q[2] + k*iqr]</c>.
/// </summary>
public static class TukeyFences
{
    /// <summary>Tukey's multiplier for the inner fences.</summary>
    public const double DefaultMultiplier = 1.5;

    /// <summary>
    /// Computes the quartiles and fences of <paramref name="data"/> and splits it into kept and removed values.
    /// </summary>
    /// <param name="data">At least one finite value.</param>
    /// <param name="multiplier">Fence multiplier k, finite and &gt;= 0 (1.5 unless given; 3 gives the "far out" fences).</param>
    /// <param name="type">Quantile definition for Q1 and Q3 (R's default type 7 unless given).</param>
    /// <exception cref="ArgumentException">Empty data, a NaN or infinite value.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A negative or non-finite multiplier, or an unknown type.</exception>
    public static TukeyFenceResult Apply(ReadOnlySpan<double> data, double multiplier = DefaultMultiplier, QuantileType type = QuantileType.R7)
    {
        Guard.Finite(data, nameof(data), 1);
        if (!(multiplier >= 0.0) || !double.IsFinite(multiplier))
        {
            throw new ArgumentOutOfRangeException(nameof(multiplier), multiplier, "The fence multiplier must be finite and >= 0 (Tukey: 1.5).");
        }

        double[] sorted = Guard.SortedCopy(data);
        double q1 = Quantiles.FromSorted(sorted, 0.25, type);
        double q3 = Quantiles.FromSorted(sorted, 0.75, type);
        var result = new TukeyFenceResult(q1, q3, multiplier, type, [], []);
        double lower = result.LowerFence;
        double upper = result.UpperFence;

        var kept = ImmutableArray.CreateBuilder<double>(data.Length);
        var removed = ImmutableArray.CreateBuilder<double>();
        foreach (double x in data)
        {
            if (x >= lower && x <= upper)
            {
                kept.Add(x);
            }
            else
            {
                removed.Add(x);
            }
        }

        return result with { Kept = kept.ToImmutable(), Removed = removed.ToImmutable() };
    }
}
