using FaceDefender.Statistics;

namespace FaceDefender.Privacy;

/// <summary>A proportion with its Wilson score interval (95 %).</summary>
/// <param name="Successes">Count of successes.</param>
/// <param name="Trials">Count of trials.</param>
/// <param name="Value">Successes / trials (0 when there are no trials).</param>
/// <param name="Low">Lower bound of the 95 % Wilson interval.</param>
/// <param name="High">Upper bound of the 95 % Wilson interval.</param>
public sealed record ProportionEstimate(int Successes, int Trials, double Value, double Low, double High)
{
    /// <summary>The estimate for <paramref name="successes"/> out of <paramref name="trials"/>, with the Wilson interval (z = 1.959964).</summary>
    /// <param name="successes">Successes, 0..trials.</param>
    /// <param name="trials">Trials, 0 or more.</param>
    /// <exception cref="ArgumentOutOfRangeException">Counts out of range.</exception>
    public static ProportionEstimate Wilson(int successes, int trials)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trials);
        if (successes < 0 || successes > trials)
        {
            throw new ArgumentOutOfRangeException(nameof(successes), successes, $"Successes must be between 0 and {trials}.");
        }

        if (trials == 0)
        {
            return new ProportionEstimate(0, 0, 0, 0, 1);
        }

        const double z = 1.959963984540054;
        double n = trials, p = successes / n;
        double denom = 1 + (z * z / n);
        double centre = (p + (z * z / (2 * n))) / denom;
        double half = z * Math.Sqrt((p * (1 - p) / n) + (z * z / (4 * n * n))) / denom;
        return new ProportionEstimate(successes, trials, p, Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}

/// <summary>Summary of a sample of similarity scores, with a percentile-bootstrap 95 % interval of the mean.</summary>
/// <param name="Count">Sample size.</param>
/// <param name="Mean">Mean.</param>
/// <param name="MeanLow">Lower bound of the 95 % percentile-bootstrap interval of the mean (<see cref="Bootstrap"/>, 2,000
/// resamples, fixed seed; R's <c>boot.ci(type = "perc")</c>); the mean itself when there is one value or all are equal.</param>
/// <param name="MeanHigh">Upper bound of that interval.</param>
/// <param name="Median">Median (R type 7).</param>
/// <param name="StandardDeviation">Sample standard deviation (N - 1 normaliser; 0 when Count is 1).</param>
/// <param name="Min">Smallest value.</param>
/// <param name="Max">Largest value.</param>
public sealed record ScoreSummary(int Count, double Mean, double MeanLow, double MeanHigh, double Median, double StandardDeviation, double Min, double Max)
{
    /// <summary>Summarises <paramref name="values"/>.</summary>
    /// <param name="values">At least one finite value.</param>
    /// <param name="seed">Seed of the bootstrap resampler (its bits, as the statistics package's unsigned seed).</param>
    /// <exception cref="ArgumentException">No values.</exception>
    public static ScoreSummary Of(IReadOnlyList<double> values, int seed = 20251127)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new ArgumentException("Cannot summarise an empty sample: the audit had no scores for this figure.", nameof(values));
        }

        double[] sorted = [.. values.Order()];
        int n = sorted.Length;
        double mean = sorted.Average();
        double sd = n > 1 ? Math.Sqrt(sorted.Sum(v => (v - mean) * (v - mean)) / (n - 1)) : 0;
        (double low, double high) = (mean, mean);
        if (n > 1 && sorted[0] != sorted[^1])
        {
            // The statistics package's counter-based bootstrap (one thread: the audit parallelises over methods), and
            // its percentile interval, R's boot.ci(type = "perc").
            BootstrapInterval ci = Bootstrap.Run(sorted, static sample => Descriptive.Mean(sample), 2000, unchecked((ulong)seed), maxDegreeOfParallelism: 1)
                .Percentile(0.95);
            (low, high) = (ci.Lower, ci.Upper);
        }

        return new ScoreSummary(n, mean, low, high, Quantile7(sorted, 0.5), sd, sorted[0], sorted[^1]);
    }

    /// <summary>R's type-7 quantile of sorted data (<see cref="Quantiles.FromSorted"/>).</summary>
    internal static double Quantile7(double[] sorted, double p) => Quantiles.FromSorted(sorted, p, QuantileType.R7);
}
