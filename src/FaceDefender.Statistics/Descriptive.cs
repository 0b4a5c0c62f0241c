namespace FaceDefender.Statistics;

/// <summary>
/// Mean and sample standard deviation with R's numerics: R's <c>mean</c> refines the sum with a second pass
/// (mean + mean of residuals), and <c>sd</c> uses the two-pass unbiased (n - 1) variance.
/// </summary>
public static class Descriptive
{
    /// <summary>Arithmetic mean with R's two-pass refinement. R: <c>mean(x)</c>.</summary>
    /// <param name="data">At least one finite value.</param>
    /// <exception cref="ArgumentException">Empty data, NaN or infinite values.</exception>
    public static double Mean(ReadOnlySpan<double> data)
    {
        Guard.Finite(data, nameof(data), 1);
        return MeanUnchecked(data);
    }

    /// <summary>Sample standard deviation, unbiased (n - 1) variance normaliser. R: <c>sd(x)</c>.</summary>
    /// <param name="data">At least two finite values.</param>
    /// <exception cref="ArgumentException">Fewer than two values, NaN or infinite values.</exception>
    public static double StandardDeviation(ReadOnlySpan<double> data)
    {
        Guard.Finite(data, nameof(data), 2);
        return Math.Sqrt(VarianceUnchecked(data));
    }

    /// <summary>Sample variance, unbiased (n - 1) normaliser. R: <c>var(x)</c>.</summary>
    /// <param name="data">At least two finite values.</param>
    /// <exception cref="ArgumentException">Fewer than two values, NaN or infinite values.</exception>
    public static double Variance(ReadOnlySpan<double> data)
    {
        Guard.Finite(data, nameof(data), 2);
        return VarianceUnchecked(data);
    }

    internal static double MeanUnchecked(ReadOnlySpan<double> data)
    {
        double sum = 0.0;
        foreach (double x in data)
        {
            sum += x;
        }

        double mean = sum / data.Length;
        double correction = 0.0;
        foreach (double x in data)
        {
            correction += x - mean;
        }

        return mean + (correction / data.Length);
    }

    internal static double VarianceUnchecked(ReadOnlySpan<double> data)
    {
        double mean = MeanUnchecked(data);
        double ss = 0.0;
        foreach (double x in data)
        {
            double d = x - mean;
            ss += d * d;
        }

        return ss / (data.Length - 1);
    }
}
