using System.Collections.Immutable;
using System.Globalization;

namespace FaceDefender.Statistics;

/// <summary>
/// Builds a reference (normal) range from measurements of healthy people with the paper's procedure:
/// (1) Tukey-fence outlier removal (1.5 IQR, type-7 quartiles); (2) Shapiro-Wilk on the kept values;
/// (3) if normality is not rejected (p &gt;= 0.05), the normal method mean ± z·SD; otherwise the bootstrap method
/// (see <see cref="ReferenceIntervalMethod.Bootstrap"/>). Every decision is recorded in the result.
/// The result is a reference interval for individuals, not a confidence interval of the mean.
/// </summary>
public static class ReferenceIntervalBuilder
{
    /// <summary>Builds the interval from a column of healthy measurements.</summary>
    /// <param name="healthy">At least 3 finite values (CLSI EP28 recommends at least 120).</param>
    /// <param name="options">Settings; the paper's defaults when null.</param>
    /// <param name="measurement">Optional name recorded in the result.</param>
    /// <exception cref="ArgumentException">Fewer than 3 values (before or after outlier removal), NaN or infinite values.</exception>
    /// <exception cref="StatisticsException">The chosen method is undefined for the data (e.g. constant data).</exception>
    /// <exception cref="OverflowException">The SD or a normal-method limit lies beyond the double range (values near ±1.8e308).</exception>
    public static ReferenceIntervalResult Build(ReadOnlySpan<double> healthy, ReferenceIntervalOptions? options = null, string? measurement = null)
    {
        options ??= new ReferenceIntervalOptions();
        Guard.Finite(healthy, nameof(healthy), 3);
        var log = ImmutableArray.CreateBuilder<string>();
        int before = healthy.Length;
        log.Add(F($"Input: n = {before} values."));

        double[] kept;
        TukeyFenceResult? fences = null;
        if (options.RemoveOutliers)
        {
            fences = TukeyFences.Apply(healthy, options.FenceMultiplier, options.QuantileType);
            kept = [.. fences.Kept];
            log.Add(F($"Outliers: Tukey fences with k = {options.FenceMultiplier}, quartiles type {(int)options.QuantileType}: Q1 = {fences.FirstQuartile:R}, Q3 = {fences.ThirdQuartile:R}, fences [{fences.LowerFence:R}, {fences.UpperFence:R}]; removed {fences.Removed.Length}, kept {kept.Length} (values on a fence are kept)."));
        }
        else
        {
            kept = healthy.ToArray();
            log.Add("Outliers: removal switched off; all values kept.");
        }

        if (kept.Length < 3)
        {
            throw new ArgumentException($"Only {kept.Length} value(s) remain after outlier removal; a reference interval needs at least 3 (CLSI EP28 recommends 120).", nameof(healthy));
        }

        double mean = Descriptive.MeanUnchecked(kept);
        double sd = Descriptive.StandardDeviationUnchecked(kept);

        ShapiroWilkResult? sw = null;
        if (kept.Length <= ShapiroWilk.MaximumSampleSize && kept.Max() > kept.Min())
        {
            sw = ShapiroWilk.Test(kept);
            log.Add(F($"Normality: Shapiro-Wilk W = {sw.W:R}, p = {sw.PValue:R} (n = {sw.N}); alpha = {options.NormalityAlpha}."));
        }
        else
        {
            log.Add(kept.Length > ShapiroWilk.MaximumSampleSize
                ? F($"Normality: not tested (n = {kept.Length} exceeds Shapiro-Wilk's 5000).")
                : "Normality: not tested (all kept values are identical).");
        }

        ReferenceIntervalMethod method;
        string reason;
        if (options.ForceMethod is { } forced)
        {
            method = forced;
            reason = $"forced by the options ({forced})";
        }
        else if (sw is null)
        {
            method = ReferenceIntervalMethod.Bootstrap;
            reason = "normality could not be tested, so the distribution-free bootstrap method is used";
        }
        else if (sw.PValue >= options.NormalityAlpha)
        {
            method = ReferenceIntervalMethod.Normal;
            reason = F($"normality not rejected (Shapiro-Wilk p = {sw.PValue:G6} >= {options.NormalityAlpha})");
        }
        else
        {
            method = ReferenceIntervalMethod.Bootstrap;
            reason = F($"normality rejected (Shapiro-Wilk p = {sw.PValue:G6} < {options.NormalityAlpha})");
        }

        log.Add($"Method: {method}, because {reason}.");
        double lower;
        double upper;
        Interval? lowerCi = null;
        Interval? upperCi = null;
        int? replicates = null;
        ulong? seed = null;
        if (method == ReferenceIntervalMethod.Normal)
        {
            Interval ri = NormalIntervals.ReferenceInterval(kept, options.Coverage);
            (lower, upper) = (ri.Lower, ri.Upper);
            log.Add(F($"Limits: mean ± qnorm({(1 + options.Coverage) / 2}) × SD = {mean:R} ± {Distributions.Qnorm((1 + options.Coverage) / 2):R} × {sd:R} = [{lower:R}, {upper:R}]."));
        }
        else
        {
            double pLow = (1.0 - options.Coverage) / 2.0;
            double pHigh = (1.0 + options.Coverage) / 2.0;
            QuantileType type = options.QuantileType;
            // Both limits from the same resamples in one pass (as two runs with the same seed would give).
            BootstrapResult[] limits = Bootstrap.RunQuantiles(kept, [pLow, pHigh], type, options.BootstrapReplicates, options.Seed);
            BootstrapResult low = limits[0];
            BootstrapResult high = limits[1];
            lower = Descriptive.MeanUnchecked(low.Replicates.AsSpan());
            upper = Descriptive.MeanUnchecked(high.Replicates.AsSpan());
            lowerCi = PercentileOrNull(low, options.LimitConfidenceLevel, log, "lower");
            upperCi = PercentileOrNull(high, options.LimitConfidenceLevel, log, "upper");
            replicates = options.BootstrapReplicates;
            seed = options.Seed;
            log.Add(F($"Limits: mean of {replicates} bootstrap replicates (seed {seed}) of the type-{(int)type} quantiles at {pLow} and {pHigh} = [{lower:R}, {upper:R}]; plain sample quantiles {low.Original:R} and {high.Original:R}."));
            if (kept.Length < 120)
            {
                log.Add(F($"Caution: n = {kept.Length} is below the 120 that CLSI EP28 recommends for a nonparametric 95 % reference interval."));
            }
        }

        return new ReferenceIntervalResult(
            measurement, lower, upper, options.Coverage, method, reason, before, kept.Length,
            fences?.FirstQuartile, fences?.ThirdQuartile, fences?.LowerFence, fences?.UpperFence,
            fences?.Removed ?? [], sw?.W, sw?.PValue, options.NormalityAlpha, mean, sd,
            replicates, seed, lowerCi, upperCi, log.ToImmutable());
    }

    /// <summary>Reads a column from a cohort CSV (see <see cref="CohortCsv"/>) and builds its interval; missing cells are skipped and recorded.</summary>
    /// <param name="csvPath">Path of the CSV file.</param>
    /// <param name="column">Header name of the measurement column.</param>
    /// <param name="options">Settings; the paper's defaults when null.</param>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Malformed CSV, unknown column, or a non-numeric cell.</exception>
    /// <exception cref="ArgumentException">Too few values.</exception>
    public static ReferenceIntervalResult BuildFromCsv(string csvPath, string column, ReferenceIntervalOptions? options = null)
    {
        CohortColumn data = CohortCsv.ReadColumn(csvPath, column);
        ReferenceIntervalResult result = Build(data.Values.AsSpan(), options, column);
        string note = F($"Read column '{column}': {data.Values.Length} values, {data.MissingRows.Length} missing cell(s) skipped") +
            (data.MissingRows.IsEmpty ? "." : $" (data rows {string.Join(", ", data.MissingRows.Take(20))}{(data.MissingRows.Length > 20 ? ", ..." : string.Empty)}).");
        return result with { Decisions = result.Decisions.Insert(0, note) };
    }

    private static Interval? PercentileOrNull(BootstrapResult b, double level, ImmutableArray<string>.Builder log, string which)
    {
        try
        {
            return b.Percentile(level).ToInterval() with { Kind = IntervalKind.BootstrapConfidenceInterval, Method = $"percentile bootstrap CI of the {which} limit" };
        }
        catch (StatisticsException e)
        {
            log.Add($"No confidence interval for the {which} limit: {e.Message}");
            return null;
        }
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
