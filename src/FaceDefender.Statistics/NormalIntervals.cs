namespace FaceDefender.Statistics;

/// <summary>
/// Normal-theory and percentile intervals for one sample. Every method states which kind of interval it
/// returns (<see cref="IntervalKind"/>): confidence intervals describe the mean; reference and prediction
/// intervals describe individuals. SD is always the sample standard deviation with the unbiased (n - 1)
/// variance normaliser, as R's <c>sd</c>. Limits that would lie beyond the double range throw
/// <see cref="OverflowException"/> rather than come back infinite.
/// </summary>
public static class NormalIntervals
{
    /// <summary>R's <c>.Machine$double.eps</c>, 2^-52 (not <see cref="double.Epsilon"/>, the smallest subnormal).</summary>
    private const double MachineEpsilon = 2.220446049250313E-16;

    /// <summary>
    /// Confidence interval for the mean from the normal distribution: mean ± z·s/√n, with z = qnorm((1 + level)/2)
    /// and s the sample SD (or <paramref name="knownSigma"/> when the population SD is known).
    /// R: <c>mean(x) + c(-1, 1) * qnorm((1 + level)/2) * sd(x) / sqrt(length(x))</c>.
    /// </summary>
    /// <param name="data">At least 2 finite values (1 when <paramref name="knownSigma"/> is given).</param>
    /// <param name="level">Confidence level in (0, 1), e.g. 0.95.</param>
    /// <param name="knownSigma">Known population SD (&gt; 0), or null to use the sample SD.</param>
    /// <exception cref="ArgumentException">Too few values, NaN or infinite values.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Level outside (0, 1) or a non-positive sigma.</exception>
    /// <exception cref="OverflowException">The SD or a limit lies beyond the double range (values near ±1.8e308).</exception>
    public static Interval MeanConfidenceIntervalZ(ReadOnlySpan<double> data, double level = 0.95, double? knownSigma = null)
    {
        Guard.Finite(data, nameof(data), knownSigma is null ? 2 : 1);
        Guard.Level(level, nameof(level));
        double sigma;
        if (knownSigma is { } s)
        {
            Guard.PositiveFinite(s, nameof(knownSigma));
            sigma = s;
        }
        else
        {
            sigma = Descriptive.StandardDeviation(data);
        }

        double mean = Descriptive.Mean(data);
        double half = HalfWidthOverRootN(Distributions.Qnorm((1.0 + level) / 2.0), sigma, data.Length);
        (double lower, double upper) = Limits(mean, half);
        return new Interval(lower, upper, level, IntervalKind.MeanConfidenceInterval,
            knownSigma is null ? "z interval for the mean, sample SD (mean ± z·s/√n)" : "z interval for the mean, known sigma (mean ± z·σ/√n)");
    }

    /// <summary>
    /// Student-t confidence interval for the mean: mean ± t(n-1)·s/√n. R: <c>t.test(x, conf.level = level)$conf.int</c>.
    /// As R, data that are essentially constant are refused: R's rule, standard error s/√n &lt; 10·eps·|mean| with
    /// eps = 2^-52 (<c>.Machine$double.eps</c>), and also s = 0 when the mean is 0 (where R's rule reads 0 &lt; 0 and
    /// R returns [NaN, NaN]). s is <see cref="Descriptive.StandardDeviation"/>, which neither overflows nor underflows:
    /// where R's <c>var</c> does (spreads beyond about 1e154, or below about 1e-154), R returns [-Inf, Inf] or refuses
    /// the data as constant, and this method gives the interval.
    /// </summary>
    /// <param name="data">At least 2 finite values, not all identical.</param>
    /// <param name="level">Confidence level in (0, 1).</param>
    /// <exception cref="ArgumentException">Too few values, NaN or infinite values.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Level outside (0, 1).</exception>
    /// <exception cref="StatisticsException">The data are essentially constant (R: "data are essentially constant"):
    /// the t statistic and the interval are undefined.</exception>
    /// <exception cref="OverflowException">The SD or a limit lies beyond the double range (values near ±1.8e308).</exception>
    public static Interval MeanConfidenceIntervalT(ReadOnlySpan<double> data, double level = 0.95)
    {
        Guard.Finite(data, nameof(data), 2);
        Guard.Level(level, nameof(level));
        int n = data.Length;
        double mean = Descriptive.Mean(data);
        double sd = Descriptive.StandardDeviation(data);
        double standardError = sd / Math.Sqrt(n);
        double threshold = 10.0 * MachineEpsilon * Math.Abs(mean);
        if (standardError == 0.0 || standardError < threshold)
        {
            throw new StatisticsException(standardError == 0.0
                ? $"The t interval is undefined: the data are essentially constant (their standard deviation is 0; mean {mean:R}), as R's t.test refuses (\"data are essentially constant\"). Report the mean itself, or use MeanConfidenceIntervalZ with a known sigma."
                : $"The t interval is undefined: the data are essentially constant (standard error {standardError:G3} is below R's limit 10*eps*|mean| = {threshold:G3}, eps = 2^-52), as R's t.test refuses (\"data are essentially constant\"). Report the mean itself, or use MeanConfidenceIntervalZ with a known sigma.");
        }

        double half = HalfWidthOverRootN(Distributions.Qt((1.0 + level) / 2.0, n - 1), sd, n);
        (double lower, double upper) = Limits(mean, half);
        return new Interval(lower, upper, level, IntervalKind.MeanConfidenceInterval, "t interval for the mean (mean ± t(n-1)·s/√n)");
    }

    /// <summary>
    /// Normal-method reference interval: mean ± z·s with z = qnorm((1 + coverage)/2) (1.959964 for 95 %).
    /// This is the paper's "normal method" for a normally distributed measurement.
    /// R: <c>mean(x) + c(-1, 1) * qnorm((1 + coverage)/2) * sd(x)</c>.
    /// </summary>
    /// <param name="data">At least 2 finite values.</param>
    /// <param name="coverage">Central fraction of the population to cover, in (0, 1), e.g. 0.95.</param>
    /// <exception cref="ArgumentException">Too few values, NaN or infinite values.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Coverage outside (0, 1).</exception>
    /// <exception cref="OverflowException">The SD or a limit lies beyond the double range (values near ±1.8e308).</exception>
    public static Interval ReferenceInterval(ReadOnlySpan<double> data, double coverage = 0.95)
    {
        Guard.Finite(data, nameof(data), 2);
        Guard.Level(coverage, nameof(coverage));
        double half = Distributions.Qnorm((1.0 + coverage) / 2.0) * Descriptive.StandardDeviation(data);
        double mean = Descriptive.Mean(data);
        (double lower, double upper) = Limits(mean, half);
        return new Interval(lower, upper, coverage, IntervalKind.ReferenceInterval, "normal reference interval (mean ± z·s)");
    }

    /// <summary>
    /// Normal prediction interval for one new observation: mean ± t(n-1)·s·√(1 + 1/n).
    /// R: <c>mean(x) + c(-1, 1) * qt((1 + level)/2, n - 1) * sd(x) * sqrt(1 + 1/n)</c>.
    /// </summary>
    /// <param name="data">At least 2 finite values.</param>
    /// <param name="level">Probability that the new observation falls inside, in (0, 1).</param>
    /// <exception cref="ArgumentException">Too few values, NaN or infinite values.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Level outside (0, 1).</exception>
    /// <exception cref="OverflowException">The SD or a limit lies beyond the double range (values near ±1.8e308).</exception>
    public static Interval PredictionInterval(ReadOnlySpan<double> data, double level = 0.95)
    {
        Guard.Finite(data, nameof(data), 2);
        Guard.Level(level, nameof(level));
        int n = data.Length;
        double half = Distributions.Qt((1.0 + level) / 2.0, n - 1) * Descriptive.StandardDeviation(data) * Math.Sqrt(1.0 + (1.0 / n));
        double mean = Descriptive.Mean(data);
        (double lower, double upper) = Limits(mean, half);
        return new Interval(lower, upper, level, IntervalKind.PredictionInterval, "normal prediction interval (mean ± t(n-1)·s·√(1+1/n))");
    }

    /// <summary>
    /// Nonparametric reference interval: the (1 - coverage)/2 and (1 + coverage)/2 sample quantiles.
    /// R: <c>quantile(x, c((1 - coverage)/2, (1 + coverage)/2), type = type)</c>.
    /// </summary>
    /// <param name="data">At least 1 finite value (CLSI EP28 recommends at least 120 for a 95 % interval).</param>
    /// <param name="coverage">Central fraction in (0, 1).</param>
    /// <param name="type">Quantile definition (R's default type 7 unless given).</param>
    /// <exception cref="ArgumentException">Empty data, NaN or infinite values.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Coverage outside (0, 1).</exception>
    public static Interval PercentileReferenceInterval(ReadOnlySpan<double> data, double coverage = 0.95, QuantileType type = QuantileType.R7)
    {
        Guard.Finite(data, nameof(data), 1);
        Guard.Level(coverage, nameof(coverage));
        double[] sorted = Guard.SortedCopy(data);
        double lower = Quantiles.FromSorted(sorted, (1.0 - coverage) / 2.0, type);
        double upper = Quantiles.FromSorted(sorted, (1.0 + coverage) / 2.0, type);
        return new Interval(lower, upper, coverage, IntervalKind.ReferenceInterval, $"nonparametric percentile reference interval (quantile type {(int)type})");
    }

    /// <summary>quantile·s/√n, in that order (R's); as quantile·(s/√n) when quantile·s alone overflows.</summary>
    private static double HalfWidthOverRootN(double quantile, double sd, int n)
    {
        double half = quantile * sd / Math.Sqrt(n);
        return double.IsFinite(half) ? half : quantile * (sd / Math.Sqrt(n));
    }

    /// <summary>mean ∓ half, or <see cref="OverflowException"/> when a limit (or the half-width) is beyond the double range.</summary>
    private static (double Lower, double Upper) Limits(double mean, double half)
    {
        double lower = mean - half;
        double upper = mean + half;
        if (!double.IsFinite(lower) || !double.IsFinite(upper))
        {
            throw new OverflowException(
                $"The interval's limits lie beyond the double range (±{double.MaxValue:G3}): mean {mean:G6}, half-width {half:G6}. Rescale the data (for example divide by a power of ten) first.");
        }

        return (lower, upper);
    }
}
