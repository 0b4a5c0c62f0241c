namespace FaceDefender.Statistics;

/// <summary>
/// Mean and sample standard deviation with R's numerics: R's <c>mean</c> refines the sum with a second pass
/// (mean + mean of residuals), and <c>sd</c> uses the two-pass unbiased (n - 1) variance.
/// R accumulates these sums in long double, whose range (about 1e4932) keeps them from overflowing; here they are
/// double sums, so when a sum overflows (the mean of values near 1e308, squared deviations beyond about 1e154) the
/// same passes are repeated on the data scaled by a power of two (an exact scaling) and the result is scaled back.
/// The variance does the same when its sum of squares is tiny (below 2^-900, where squared deviations smaller than
/// about 1e-154 may have underflowed to 0; R's <c>var</c>, which squares in double, returns 0 there).
/// Data whose sums stay in range never take that path and give the plain two-pass results bit for bit (constant data
/// take it for the variance and get exactly 0 again). A result that itself lies beyond the double range (a variance
/// or SD above 1.8e308) throws <see cref="OverflowException"/>: never NaN or infinity.
/// </summary>
public static class Descriptive
{
    /// <summary>
    /// Data scaled by this power of two have magnitudes below 2^481, so their sums (n &lt; 2^31 terms) stay below
    /// 2^512 and their sums of squared deviations below 2^995: far from the double limit 2^1024.
    /// </summary>
    private const int ScaledExponent = 480;

    /// <summary>
    /// 2^-900: a sum of squared deviations at least this large is accurate (squares below 2^-1022 lose bits as
    /// subnormals, at most 2^-1075 each, under 2^-1044 for any n &lt; 2^31); a smaller one, 0 included, may hide
    /// underflowed squares, and the variance is recomputed on scaled data.
    /// </summary>
    private const double SmallestReliableSumOfSquares = 1.1830521861667747E-271;

    /// <summary>Arithmetic mean with R's two-pass refinement. R: <c>mean(x)</c>.</summary>
    /// <param name="data">At least one finite value.</param>
    /// <returns>The mean; always finite (it lies between the smallest and the largest value), also when the values'
    /// sum overflows the double range.</returns>
    /// <exception cref="ArgumentException">Empty data, NaN or infinite values.</exception>
    public static double Mean(ReadOnlySpan<double> data)
    {
        Guard.Finite(data, nameof(data), 1);
        return MeanUnchecked(data);
    }

    /// <summary>Sample standard deviation, unbiased (n - 1) variance normaliser. R: <c>sd(x)</c>.</summary>
    /// <param name="data">At least two finite values.</param>
    /// <returns>The SD, finite also when the sum of squared deviations overflows (R returns Inf there).</returns>
    /// <exception cref="ArgumentException">Fewer than two values, NaN or infinite values.</exception>
    /// <exception cref="OverflowException">The SD exceeds <see cref="double.MaxValue"/> (values of both signs near 1e308).</exception>
    public static double StandardDeviation(ReadOnlySpan<double> data)
    {
        Guard.Finite(data, nameof(data), 2);
        return StandardDeviationUnchecked(data);
    }

    /// <summary>Sample variance, unbiased (n - 1) normaliser. R: <c>var(x)</c>.</summary>
    /// <param name="data">At least two finite values.</param>
    /// <returns>The variance, finite also when the sum of squared deviations overflows (R returns Inf there).</returns>
    /// <exception cref="ArgumentException">Fewer than two values, NaN or infinite values.</exception>
    /// <exception cref="OverflowException">The variance exceeds <see cref="double.MaxValue"/> (a spread beyond about 1.3e154);
    /// <see cref="StandardDeviation"/> is still defined there.</exception>
    public static double Variance(ReadOnlySpan<double> data)
    {
        Guard.Finite(data, nameof(data), 2);
        return VarianceUnchecked(data);
    }

    /// <summary>The mean of finite data (at least one value), overflow-safe; see <see cref="Mean"/>.</summary>
    internal static double MeanUnchecked(ReadOnlySpan<double> data)
    {
        double mean = TwoPassMean(data, 1.0);
        if (double.IsFinite(mean))
        {
            return mean;
        }

        // The sum (or a residual x - mean in the correction pass) overflowed: the same passes on the scaled data.
        double scale = ScaleFor(data);
        return TwoPassMean(data, scale) / scale;
    }

    /// <summary>The sample variance of finite data (at least two values); see <see cref="Variance"/>.</summary>
    /// <exception cref="OverflowException">The variance exceeds the double range.</exception>
    internal static double VarianceUnchecked(ReadOnlySpan<double> data)
    {
        (double scaledVariance, double scale) = ScaledVariance(data);
        double variance = scaledVariance / scale / scale;
        if (double.IsInfinity(variance))
        {
            throw new OverflowException(
                $"The sample variance exceeds the largest double ({double.MaxValue:G3}): the data spread further than about 1.3e154 from their mean. Use StandardDeviation, or rescale the data (for example divide by a power of ten) first.");
        }

        return variance;
    }

    /// <summary>The sample SD of finite data (at least two values); see <see cref="StandardDeviation"/>.</summary>
    /// <exception cref="OverflowException">The SD exceeds the double range.</exception>
    internal static double StandardDeviationUnchecked(ReadOnlySpan<double> data)
    {
        (double scaledVariance, double scale) = ScaledVariance(data);
        double sd = Math.Sqrt(scaledVariance) / scale;
        if (double.IsInfinity(sd))
        {
            throw new OverflowException(
                $"The sample standard deviation exceeds the largest double ({double.MaxValue:G3}). Rescale the data (for example divide by a power of ten) first.");
        }

        return sd;
    }

    /// <summary>R's two passes on x·scale: the mean of the sum, then plus the mean of the residuals.</summary>
    private static double TwoPassMean(ReadOnlySpan<double> data, double scale)
    {
        double sum = 0.0;
        foreach (double x in data)
        {
            sum += x * scale;
        }

        double mean = sum / data.Length;
        double correction = 0.0;
        foreach (double x in data)
        {
            correction += (x * scale) - mean;
        }

        return mean + (correction / data.Length);
    }

    /// <summary>
    /// The two-pass variance of x·scale and that scale: scale 1 (the plain arithmetic) unless the sum of squared
    /// deviations overflows or is below <see cref="SmallestReliableSumOfSquares"/>, then the power of two of
    /// <see cref="ScaleFor"/>. The variance of x is the first item / scale². Constant data (sum 0) take the scaled
    /// path too and get 0 again: the scaled passes round exactly as the plain ones.
    /// </summary>
    private static (double ScaledVariance, double Scale) ScaledVariance(ReadOnlySpan<double> data)
    {
        double ss = SumOfSquaredDeviations(data, MeanUnchecked(data), 1.0);
        if (double.IsFinite(ss) && ss >= SmallestReliableSumOfSquares)
        {
            return (ss / (data.Length - 1), 1.0);
        }

        double scale = ScaleFor(data);
        ss = SumOfSquaredDeviations(data, TwoPassMean(data, scale), scale);
        return (ss / (data.Length - 1), scale);
    }

    private static double SumOfSquaredDeviations(ReadOnlySpan<double> data, double scaledMean, double scale)
    {
        double ss = 0.0;
        foreach (double x in data)
        {
            double d = (x * scale) - scaledMean;
            ss += d * d;
        }

        return ss;
    }

    /// <summary>
    /// 2^(480 - e), e the binary exponent of the largest magnitude (at most 2^1023, for data below about 2^-543).
    /// Multiplying and dividing by a power of two is exact, so the scaled passes round exactly as the plain ones would
    /// with an unbounded exponent (only values below 2^-1500 times the largest lose bits, as subnormals).
    /// </summary>
    private static double ScaleFor(ReadOnlySpan<double> data)
    {
        double largest = 0.0;
        foreach (double x in data)
        {
            largest = Math.Max(largest, Math.Abs(x));
        }

        return largest == 0.0 ? 1.0 : Math.ScaleB(1.0, Math.Min(1023, ScaledExponent - Math.ILogB(largest)));
    }
}
