using System.Collections.Immutable;

namespace FaceDefender.Statistics;

/// <summary>
/// The estimate and replicates of a bootstrap run (R: a <c>boot</c> object), with the boot.ci intervals.
/// Immutable and thread-safe; it keeps the data (or the index statistic) and the statistic so that influence
/// values and resample indices can be recomputed.
/// </summary>
public sealed class BootstrapResult
{
    private readonly ResampleEvaluator evaluator;
    private readonly ResampleSource source;

    internal BootstrapResult(double original, ImmutableArray<double> replicates, ResampleEvaluator evaluator, ResampleSource source)
    {
        Original = original;
        Replicates = replicates;
        this.evaluator = evaluator;
        this.source = source;
    }

    /// <summary>The statistic on the original data, t0 (R: <c>b$t0</c>).</summary>
    public double Original { get; }

    /// <summary>The replicates t*_1..t*_B in resample order (R: <c>b$t</c>); may contain non-finite values.</summary>
    public ImmutableArray<double> Replicates { get; }

    /// <summary>Number of data points n.</summary>
    public int SampleSize => evaluator.N;

    /// <summary>The seed, or null when the resamples were given explicitly.</summary>
    public ulong? Seed => source.Seed;

    /// <summary>Bootstrap estimate of bias, mean(t*) - t0, over finite replicates.</summary>
    public double Bias
    {
        get
        {
            double[] finite = Replicates.Where(double.IsFinite).ToArray();
            return Descriptive.MeanUnchecked(finite) - Original;
        }
    }

    /// <summary>Bootstrap standard error, the unbiased SD of the finite replicates (overflow-safe, as <see cref="Descriptive.StandardDeviation"/>).</summary>
    /// <exception cref="OverflowException">The SD of the replicates exceeds the double range.</exception>
    public double StandardError => Descriptive.StandardDeviationUnchecked(Replicates.Where(double.IsFinite).ToArray());

    /// <summary>Writes the 0-based data indices of resample <paramref name="replicate"/> (R: a row of <c>boot.array(b, TRUE)</c> - 1).</summary>
    /// <param name="replicate">0 .. B - 1.</param>
    /// <param name="destination">Span of length n.</param>
    /// <exception cref="ArgumentOutOfRangeException">Replicate out of range.</exception>
    /// <exception cref="ArgumentException">Destination length differs from n.</exception>
    public void FillIndices(int replicate, Span<int> destination)
    {
        if ((uint)replicate >= (uint)Replicates.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(replicate), replicate, $"Replicate must be in [0, {Replicates.Length}).");
        }

        if (destination.Length != SampleSize)
        {
            throw new ArgumentException($"'destination' must have length n = {SampleSize}.", nameof(destination));
        }

        source.Fill(replicate, destination);
    }

    /// <summary>Normal interval (boot.ci type "norm").</summary>
    /// <param name="level">Confidence level in (0, 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">Level outside (0, 1).</exception>
    /// <exception cref="StatisticsException">All replicates equal.</exception>
    /// <exception cref="OverflowException">The SD of the replicates or a limit exceeds the double range.</exception>
    public BootstrapInterval Normal(double level = 0.95) => BootstrapIntervals.Normal(Original, Replicates.AsSpan(), level);

    /// <summary>Basic interval (boot.ci type "basic").</summary>
    /// <param name="level">Confidence level in (0, 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">Level outside (0, 1).</exception>
    /// <exception cref="StatisticsException">All replicates equal.</exception>
    public BootstrapInterval Basic(double level = 0.95) => BootstrapIntervals.Basic(Original, Replicates.AsSpan(), level);

    /// <summary>Percentile interval (boot.ci type "perc").</summary>
    /// <param name="level">Confidence level in (0, 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">Level outside (0, 1).</exception>
    /// <exception cref="StatisticsException">All replicates equal.</exception>
    public BootstrapInterval Percentile(double level = 0.95) => BootstrapIntervals.Percentile(Original, Replicates.AsSpan(), level);

    /// <summary>BCa interval (boot.ci type "bca") with influence values estimated by <paramref name="influence"/>
    /// (R's default is <see cref="InfluenceMethod.Regression"/>).</summary>
    /// <param name="level">Confidence level in (0, 1).</param>
    /// <param name="influence">How to estimate the empirical influence values.</param>
    /// <exception cref="ArgumentOutOfRangeException">Level outside (0, 1) or unknown method.</exception>
    /// <exception cref="StatisticsException">BCa undefined for these replicates (see <see cref="BootstrapIntervals.Bca"/>),
    /// or regression impossible (fewer replicates than data points).</exception>
    public BootstrapInterval Bca(double level = 0.95, InfluenceMethod influence = InfluenceMethod.Regression)
    {
        double[] l = InfluenceValues(influence);
        return BootstrapIntervals.Bca(Original, Replicates.AsSpan(), l, level);
    }

    /// <summary>Empirical influence values by the chosen method.</summary>
    /// <param name="method">Regression (R's default for BCa) or jackknife.</param>
    /// <exception cref="ArgumentOutOfRangeException">Unknown method.</exception>
    /// <exception cref="StatisticsException">See <see cref="EmpiricalInfluence"/>.</exception>
    public double[] InfluenceValues(InfluenceMethod method = InfluenceMethod.Regression) => method switch
    {
        InfluenceMethod.Regression => EmpiricalInfluence.Regression(this),
        InfluenceMethod.Jackknife => EmpiricalInfluence.Jackknife(evaluator),
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown influence method."),
    };

    /// <summary>All four boot.ci intervals at one level (influence values computed once).</summary>
    /// <param name="level">Confidence level in (0, 1).</param>
    /// <param name="influence">Influence method for BCa.</param>
    /// <returns>Normal, basic, percentile and BCa intervals, in that order.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Level outside (0, 1).</exception>
    /// <exception cref="StatisticsException">An interval is undefined for these replicates.</exception>
    public IReadOnlyList<BootstrapInterval> AllIntervals(double level = 0.95, InfluenceMethod influence = InfluenceMethod.Regression) =>
        [Normal(level), Basic(level), Percentile(level), Bca(level, influence)];
}
