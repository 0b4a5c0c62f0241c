using System.Globalization;
using FaceDefender.Abstractions;
using FaceDefender.Statistics;

namespace FaceDefender.Diagnostics;

/// <summary>
/// Builds a <see cref="ReferenceStandard"/> from healthy people's measurements with the statistics
/// package's <see cref="ReferenceIntervalBuilder"/> (the paper's procedure: Tukey 1.5 IQR outlier
/// removal, Shapiro-Wilk, normal method if normality holds, else bootstrap), one range per column.
/// Thread-safe: no state.
/// </summary>
public static class ReferenceStandardBuilder
{
    /// <summary>Builds a standard from a cohort CSV (header row; one healthy person a row).</summary>
    /// <param name="csvPath">The CSV file.</param>
    /// <param name="columns">Which columns hold which measure; null to use every header that follows the
    /// <see cref="MeasureCatalog.ColumnName"/> convention (e.g. <c>mrd1_right_mm</c>).</param>
    /// <param name="name">Name of the standard.</param>
    /// <param name="source">Where the cohort comes from (recorded in every range).</param>
    /// <param name="options">Reference-interval options; the paper's defaults (B = 10,000) when null.</param>
    /// <exception cref="ArgumentException">Empty path, name or source; no usable column.</exception>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Malformed CSV or a missing column (from <see cref="CohortCsv"/>).</exception>
    public static BuiltReferenceStandard FromCohortCsv(string csvPath, IReadOnlyList<CohortMeasureColumn>? columns, string name, string source,
        ReferenceIntervalOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(csvPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        if (columns is null)
        {
            string header = File.ReadLines(csvPath).FirstOrDefault() ?? string.Empty;
            columns = [.. header.Split(',').Select(h => h.Trim().Trim('"')).Select(CohortMeasureColumn.TryParse).OfType<CohortMeasureColumn>()];
        }

        if (columns.Count == 0)
        {
            throw new ArgumentException("No measure column: pass the columns, or name them by the convention (e.g. mrd1_right_mm).", nameof(columns));
        }

        var data = new List<(CohortMeasureColumn, double[])>();
        foreach (CohortMeasureColumn c in columns)
        {
            CohortColumn col = CohortCsv.ReadColumn(csvPath, c.Column);
            data.Add((c, [.. col.Values]));
        }

        return Build(data, name, $"{source} (file {Path.GetFileName(csvPath)})", options);
    }

    /// <summary>Builds a standard directly from healthy people's measurements.</summary>
    /// <param name="healthy">One measurement set per healthy person.</param>
    /// <param name="columns">Which measures to build ranges for; null for <see cref="CohortMeasureColumn.Standard"/>.</param>
    /// <param name="name">Name of the standard.</param>
    /// <param name="source">Where the cohort comes from.</param>
    /// <param name="options">Reference-interval options; the paper's defaults when null.</param>
    /// <exception cref="ArgumentNullException">Null <paramref name="healthy"/>.</exception>
    /// <exception cref="ArgumentException">Empty name or source, or too few people (at least 3).</exception>
    public static BuiltReferenceStandard FromMeasurements(IEnumerable<OcularMeasurements> healthy, IReadOnlyList<CohortMeasureColumn>? columns, string name, string source,
        ReferenceIntervalOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(healthy);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        OcularMeasurements[] people = [.. healthy];
        columns ??= CohortMeasureColumn.Standard;
        var data = columns.Select(c => (c, people.Select(p => MeasureCatalog.Value(p, c.Measure, c.Eye, c.Unit)).ToArray())).ToList();
        return Build(data, name, source, options);
    }

    /// <summary>Writes measurements as a cohort CSV (an <c>id</c> column, then the given columns) that <see cref="FromCohortCsv"/> reads.</summary>
    /// <exception cref="ArgumentNullException">A null argument.</exception>
    public static void WriteCohortCsv(TextWriter writer, IEnumerable<(string Id, OcularMeasurements Measurements)> people, IReadOnlyList<CohortMeasureColumn>? columns = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(people);
        columns ??= CohortMeasureColumn.Standard;
        writer.WriteLine("id," + string.Join(",", columns.Select(c => c.Column)));
        foreach ((string id, OcularMeasurements m) in people)
        {
            string safeId = id.Contains(',') || id.Contains('"') ? "\"" + id.Replace("\"", "\"\"") + "\"" : id;
            writer.WriteLine(safeId + "," + string.Join(",", columns.Select(c => MeasureCatalog.Value(m, c.Measure, c.Eye, c.Unit).ToString("R", CultureInfo.InvariantCulture))));
        }
    }

    private static BuiltReferenceStandard Build(List<(CohortMeasureColumn Column, double[] Values)> data, string name, string source, ReferenceIntervalOptions? options)
    {
        var ranges = new List<ReferenceRange>();
        var results = new List<ReferenceIntervalResult>();
        foreach ((CohortMeasureColumn c, double[] all) in data)
        {
            // A value the benchmark could not measure (NaN: e.g. no corneal reflex, so no alignment) is not a person's
            // value; a column with none measured (a cohort photographed without a light at the camera) gets no range.
            double[] values = [.. all.Where(double.IsFinite)];
            if (values.Length == 0)
            {
                continue;
            }

            ReferenceIntervalResult r = ReferenceIntervalBuilder.Build(values, options, c.Column);
            results.Add(r);
            string method = r.Method == ReferenceIntervalMethod.Normal
                ? F($"normal method, mean ± {(r.Upper - r.Mean) / r.StandardDeviation:0.00} SD ({r.MethodReason}); Tukey fences removed {r.CountBefore - r.CountAfter} of {r.CountBefore}")
                : F($"bootstrap method, mean of B = {r.BootstrapReplicates} resampled {r.Coverage:P0} percentile limits, seed {r.Seed} ({r.MethodReason}); Tukey fences removed {r.CountBefore - r.CountAfter} of {r.CountBefore}");
            ranges.Add(new ReferenceRange(c.Measure, c.Eye, c.Unit, r.Lower, r.Upper, method, r.CountAfter, F($"{source}, column {c.Column}"), r.Coverage));
        }

        string description = F($"Built with the paper's reference-interval procedure from {source}: {ranges.Count} ranges.");
        return new BuiltReferenceStandard(new ReferenceStandard(name, description, ranges), results);
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A standard built from a cohort, with the statistics package's full record of each range. Immutable.</summary>
/// <param name="Standard">The standard.</param>
/// <param name="Intervals">One interval result per range, in order, with every decision logged.</param>
public sealed record BuiltReferenceStandard(ReferenceStandard Standard, IReadOnlyList<ReferenceIntervalResult> Intervals);
