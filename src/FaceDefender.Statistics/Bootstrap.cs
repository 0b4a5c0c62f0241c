using System.Collections.Immutable;

namespace FaceDefender.Statistics;

/// <summary>
/// Ordinary nonparametric bootstrap of a one-sample statistic (R: <c>boot(x, function(d, i) stat(d[i]), R = B)</c>).
/// Resamples are seeded and counter-based: replicate b depends only on (seed, b), so results are identical
/// for any number of threads. Explicit resample indices can be supplied instead (for example R's
/// <c>boot.array(b, indices = TRUE)</c>) to reproduce R on the same resamples.
/// </summary>
public static class Bootstrap
{
    /// <summary>
    /// Draws <paramref name="replicates"/> resamples of size n with replacement from <paramref name="data"/> and
    /// evaluates <paramref name="statistic"/> on each, in parallel.
    /// </summary>
    /// <param name="data">At least 2 finite values.</param>
    /// <param name="statistic">Pure, thread-safe statistic (see <see cref="BootstrapStatistic"/>).</param>
    /// <param name="replicates">Number of resamples B, at least 2 (R's <c>R</c>); 10,000 is a good default for BCa.</param>
    /// <param name="seed">Seed of the counter-based generator; the same seed gives the same result everywhere.</param>
    /// <param name="maxDegreeOfParallelism">Threads to use; -1 (default) for all cores. Does not change the result.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <exception cref="ArgumentNullException">No statistic.</exception>
    /// <exception cref="ArgumentException">Fewer than 2 values, NaN or infinite values.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than 2 replicates or an invalid degree of parallelism.</exception>
    /// <exception cref="StatisticsException">The statistic is not finite on the original data.</exception>
    public static BootstrapResult Run(
        ReadOnlySpan<double> data,
        BootstrapStatistic statistic,
        int replicates,
        ulong seed,
        int maxDegreeOfParallelism = -1,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(statistic);
        Guard.Finite(data, nameof(data), 2);
        CheckParallelism(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        CheckReplicates(replicates);
        double[] copy = data.ToArray();
        var source = new ResampleSource(copy.Length, replicates, seed, null);
        return Evaluate(new ValueEvaluator(copy, statistic), source, maxDegreeOfParallelism, cancellationToken);
    }

    /// <summary>
    /// Like <see cref="Run"/> for data of any shape: the statistic receives the resampled row indices and reads
    /// the caller's data itself (R: <c>boot(data, function(d, i) ..., R = B)</c> with a data frame).
    /// </summary>
    /// <param name="n">Number of rows (observations), at least 2.</param>
    /// <param name="statistic">Pure, thread-safe statistic of the row indices.</param>
    /// <param name="replicates">Number of resamples B, at least 2.</param>
    /// <param name="seed">Seed of the counter-based generator.</param>
    /// <param name="maxDegreeOfParallelism">Threads to use; -1 (default) for all cores. Does not change the result.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <exception cref="ArgumentNullException">No statistic.</exception>
    /// <exception cref="ArgumentOutOfRangeException">n &lt; 2, fewer than 2 replicates or an invalid degree of parallelism.</exception>
    /// <exception cref="StatisticsException">The statistic is not finite on the original data.</exception>
    public static BootstrapResult RunIndexed(
        int n,
        BootstrapIndexStatistic statistic,
        int replicates,
        ulong seed,
        int maxDegreeOfParallelism = -1,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(statistic);
        CheckN(n);
        CheckParallelism(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        CheckReplicates(replicates);
        var source = new ResampleSource(n, replicates, seed, null);
        return Evaluate(new IndexEvaluator(n, statistic), source, maxDegreeOfParallelism, cancellationToken);
    }

    /// <summary>
    /// Like <see cref="FromIndices"/> for data of any shape: evaluates an index statistic on the given resamples.
    /// </summary>
    /// <param name="n">Number of rows, at least 2.</param>
    /// <param name="statistic">Pure, thread-safe statistic of the row indices.</param>
    /// <param name="indices">B x n matrix of 0-based indices, B &gt;= 2.</param>
    /// <param name="maxDegreeOfParallelism">Threads to use; -1 (default) for all cores.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <exception cref="ArgumentNullException">No statistic or indices.</exception>
    /// <exception cref="ArgumentOutOfRangeException">n &lt; 2.</exception>
    /// <exception cref="ArgumentException">Wrong row length or an index outside [0, n).</exception>
    /// <exception cref="StatisticsException">The statistic is not finite on the original data.</exception>
    public static BootstrapResult FromIndicesIndexed(
        int n,
        BootstrapIndexStatistic statistic,
        int[,] indices,
        int maxDegreeOfParallelism = -1,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(statistic);
        ArgumentNullException.ThrowIfNull(indices);
        CheckN(n);
        CheckParallelism(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        var source = CopyIndices(indices, n);
        return Evaluate(new IndexEvaluator(n, statistic), source, maxDegreeOfParallelism, cancellationToken);
    }

    /// <summary>
    /// Evaluates <paramref name="statistic"/> on the given resamples (row b of <paramref name="indices"/> holds the
    /// 0-based indices of resample b; R's <c>boot.array(b, indices = TRUE) - 1</c>).
    /// </summary>
    /// <param name="data">At least 2 finite values.</param>
    /// <param name="statistic">Pure, thread-safe statistic.</param>
    /// <param name="indices">B x n matrix of 0-based indices, B &gt;= 2, each row of length n = data length.</param>
    /// <param name="maxDegreeOfParallelism">Threads to use; -1 (default) for all cores.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <exception cref="ArgumentNullException">No statistic or indices.</exception>
    /// <exception cref="ArgumentException">Data invalid, wrong row length, or an index outside [0, n).</exception>
    /// <exception cref="StatisticsException">The statistic is not finite on the original data.</exception>
    public static BootstrapResult FromIndices(
        ReadOnlySpan<double> data,
        BootstrapStatistic statistic,
        int[,] indices,
        int maxDegreeOfParallelism = -1,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(statistic);
        ArgumentNullException.ThrowIfNull(indices);
        Guard.Finite(data, nameof(data), 2);
        CheckParallelism(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        var source = CopyIndices(indices, data.Length);
        return Evaluate(new ValueEvaluator(data.ToArray(), statistic), source, maxDegreeOfParallelism, cancellationToken);
    }

    /// <summary>
    /// Several order-based statistics (quantiles, median, trimmed means) on the same seeded resamples in one
    /// pass: exactly the results of one <see cref="Run"/> per statistic with the same seed and a statistic that
    /// sorts its resample first, but each resample is put in order by counting (the data are ranked once), so
    /// no resample is sorted by comparison and the resamples are drawn once for all statistics.
    /// </summary>
    /// <param name="data">At least 2 finite values.</param>
    /// <param name="statistics">Statistics of an ascending-sorted sample (pure, thread-safe).</param>
    /// <param name="replicates">Number of resamples B, at least 2.</param>
    /// <param name="seed">Seed of the counter-based generator (resample b is the same as in <see cref="Run"/>).</param>
    /// <param name="maxDegreeOfParallelism">Threads to use; -1 for all cores. Does not change the result.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>One result per statistic, in order.</returns>
    internal static BootstrapResult[] RunSortedStatistics(
        ReadOnlySpan<double> data,
        SortedSampleStatistic[] statistics,
        int replicates,
        ulong seed,
        int maxDegreeOfParallelism = -1,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        (double[] copy, double[] sorted, int[] rank) = PrepareRanked(data, replicates, maxDegreeOfParallelism);
        int n = copy.Length;
        var source = new ResampleSource(n, replicates, seed, null);
        double[][] t = ReplicateTable(statistics.Length, replicates);

        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, CancellationToken = cancellationToken };
        Parallel.For(
            0,
            replicates,
            options,
            () => (Counts: new int[n], Sample: new double[n]),
            (b, _, state) =>
            {
                Array.Clear(state.Counts);
                ResampleGenerator.AddCounts(seed, b, n, n, rank, state.Counts);
                Expand(state.Counts, sorted, state.Sample);
                for (int k = 0; k < statistics.Length; k++)
                {
                    t[k][b] = statistics[k](state.Sample);
                }

                return state;
            },
            _ => { });

        return Results(copy, sorted, statistics, t, source);
    }

    /// <summary>The checks and set-up shared by the rank-based runs: the data copied, sorted, and each value's rank.</summary>
    private static (double[] Copy, double[] Sorted, int[] Rank) PrepareRanked(ReadOnlySpan<double> data, int replicates, int maxDegreeOfParallelism)
    {
        Guard.Finite(data, nameof(data), 2);
        CheckParallelism(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        CheckReplicates(replicates);
        double[] copy = data.ToArray();
        (double[] sorted, int[] rank) = Rank(copy);
        return (copy, sorted, rank);
    }

    /// <summary>One array of <paramref name="replicates"/> values per statistic.</summary>
    private static double[][] ReplicateTable(int statistics, int replicates)
    {
        var t = new double[statistics][];
        for (int k = 0; k < statistics; k++)
        {
            t[k] = new double[replicates];
        }

        return t;
    }

    /// <summary>
    /// Sample quantiles (<see cref="Quantiles.FromSorted"/>) at several probabilities on the same seeded
    /// resamples: exactly the results of <see cref="RunSortedStatistics"/> with those quantiles (and so of one
    /// sorting <see cref="Run"/> per probability with the same seed), faster: of each counting-sorted resample
    /// only the few order statistics around n x p are placed, found by summing counts from the nearer end.
    /// </summary>
    /// <param name="data">At least 2 finite values.</param>
    /// <param name="probabilities">Probabilities in [0, 1].</param>
    /// <param name="type">Quantile definition (R's types 1-9).</param>
    /// <param name="replicates">Number of resamples B, at least 2.</param>
    /// <param name="seed">Seed of the counter-based generator.</param>
    /// <param name="maxDegreeOfParallelism">Threads to use; -1 for all cores. Does not change the result.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>One result per probability, in order.</returns>
    internal static BootstrapResult[] RunQuantiles(
        ReadOnlySpan<double> data,
        double[] probabilities,
        QuantileType type,
        int replicates,
        ulong seed,
        int maxDegreeOfParallelism = -1,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        (double[] copy, double[] sorted, int[] rank) = PrepareRanked(data, replicates, maxDegreeOfParallelism);
        int n = copy.Length;
        var statistics = new SortedSampleStatistic[probabilities.Length];
        var windows = new (int Lo, int Hi)[probabilities.Length];
        for (int k = 0; k < probabilities.Length; k++)
        {
            double p = probabilities[k];
            Guard.Probability(p, nameof(probabilities));
            statistics[k] = s => Quantiles.FromSorted(s, p, type);

            // Every quantile type reads order statistics within a position or two of n x p (0-based); a margin of 3
            // covers them all. Positions outside every window stay NaN, so a read outside would show (then the
            // whole resample is expanded instead), never give a wrong value silently.
            windows[k] = (Math.Max(0, (int)Math.Floor(n * p) - 3), Math.Min(n, (int)Math.Ceiling(n * p) + 4));
        }

        double[][] t = ReplicateTable(probabilities.Length, replicates);
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, CancellationToken = cancellationToken };
        Parallel.For(
            0,
            replicates,
            options,
            () =>
            {
                var sample = new double[n];
                Array.Fill(sample, double.NaN);
                return (Counts: new int[n], Sample: sample, Full: (double[]?)null);
            },
            (b, _, state) =>
            {
                Array.Clear(state.Counts);
                ResampleGenerator.AddCounts(seed, b, n, n, rank, state.Counts);
                foreach ((int lo, int hi) in windows)
                {
                    FillWindow(state.Counts, sorted, state.Sample, lo, hi);
                }

                for (int k = 0; k < statistics.Length; k++)
                {
                    double value = statistics[k](state.Sample);
                    if (double.IsNaN(value))
                    {
                        state.Full ??= new double[n];
                        Expand(state.Counts, sorted, state.Full);
                        value = statistics[k](state.Full);
                    }

                    t[k][b] = value;
                }

                return state;
            },
            _ => { });

        return Results(copy, sorted, statistics, t, new ResampleSource(n, replicates, seed, null));
    }

    /// <summary>The data sorted, and each value's position in it (sorted[rank[i]] == data[i]; ties get distinct ranks).</summary>
    private static (double[] Sorted, int[] Rank) Rank(double[] data)
    {
        int n = data.Length;
        double[] sorted = (double[])data.Clone();
        int[] order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }

        Array.Sort(sorted, order);
        int[] rank = new int[n];
        for (int r = 0; r < n; r++)
        {
            rank[order[r]] = r;
        }

        return (sorted, rank);
    }

    /// <summary>Writes the counting-sorted resample: value sorted[r] counts[r] times, in rank order.</summary>
    private static void Expand(int[] counts, double[] sorted, double[] sample)
    {
        int pos = 0;
        for (int r = 0; r < counts.Length; r++)
        {
            int c = counts[r];
            if (c != 0)
            {
                sample.AsSpan(pos, c).Fill(sorted[r]);
                pos += c;
            }
        }
    }

    /// <summary>Writes positions [lo, hi) of the counting-sorted resample, summing counts from the nearer end.</summary>
    private static void FillWindow(int[] counts, double[] sorted, double[] sample, int lo, int hi)
    {
        int n = counts.Length;
        if (lo < n - hi)
        {
            int start = 0; // first position holding rank r
            for (int r = 0; r < n && start < hi; r++)
            {
                int end = start + counts[r];
                for (int pos = Math.Max(start, lo); pos < Math.Min(end, hi); pos++)
                {
                    sample[pos] = sorted[r];
                }

                start = end;
            }
        }
        else
        {
            int end = n; // one past the last position holding rank r
            for (int r = n - 1; r >= 0 && end > lo; r--)
            {
                int start = end - counts[r];
                for (int pos = Math.Max(start, lo); pos < Math.Min(end, hi); pos++)
                {
                    sample[pos] = sorted[r];
                }

                end = start;
            }
        }
    }

    private static BootstrapResult[] Results(double[] data, double[] sorted, SortedSampleStatistic[] statistics, double[][] t, ResampleSource source)
    {
        var results = new BootstrapResult[statistics.Length];
        for (int k = 0; k < statistics.Length; k++)
        {
            SortedSampleStatistic statistic = statistics[k];
            double t0 = statistic(sorted);
            if (!double.IsFinite(t0))
            {
                throw new StatisticsException($"The statistic is {t0} on the original data; a bootstrap needs a finite estimate.");
            }

            // The evaluator (used by BCa's influence values and by re-evaluation) sorts its resample itself.
            BootstrapStatistic general = s =>
            {
                double[] ordered = s.ToArray();
                Array.Sort(ordered);
                return statistic(ordered);
            };
            results[k] = new BootstrapResult(t0, ImmutableArray.Create(t[k]), new ValueEvaluator(data, general), source);
        }

        return results;
    }

    private static ResampleSource CopyIndices(int[,] indices, int n)
    {
        if (indices.GetLength(0) < 2)
        {
            throw new ArgumentException($"'indices' has {indices.GetLength(0)} row(s); at least 2 resamples are needed.", nameof(indices));
        }

        if (indices.GetLength(1) != n)
        {
            throw new ArgumentException($"Each row of 'indices' must have n = {n} entries (one resample of the data); it has {indices.GetLength(1)}.", nameof(indices));
        }

        int rows = indices.GetLength(0);
        var copy = new int[rows * n];
        for (int b = 0; b < rows; b++)
        {
            for (int i = 0; i < n; i++)
            {
                int k = indices[b, i];
                if ((uint)k >= (uint)n)
                {
                    throw new ArgumentException($"indices[{b}, {i}] = {k} is outside [0, {n}); indices are 0-based (subtract 1 from R's boot.array).", nameof(indices));
                }

                copy[(b * n) + i] = k;
            }
        }

        return new ResampleSource(n, rows, null, copy);
    }

    private static BootstrapResult Evaluate(ResampleEvaluator evaluator, ResampleSource source, int dop, CancellationToken ct)
    {
        int n = evaluator.N;
        int[] identity = new int[n];
        for (int i = 0; i < n; i++)
        {
            identity[i] = i;
        }

        double t0 = evaluator.Evaluate(identity, evaluator.CreateScratch());
        if (!double.IsFinite(t0))
        {
            throw new StatisticsException($"The statistic is {t0} on the original data; a bootstrap needs a finite estimate.");
        }

        var t = new double[source.Replicates];
        var options = new ParallelOptions { MaxDegreeOfParallelism = dop, CancellationToken = ct };
        try
        {
            Parallel.For(
                0,
                source.Replicates,
                options,
                () => (Indices: new int[n], Scratch: evaluator.CreateScratch()),
                (b, _, state) =>
                {
                    source.Fill(b, state.Indices);
                    t[b] = evaluator.Evaluate(state.Indices, state.Scratch);
                    return state;
                },
                _ => { });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            // Surface the statistic's own exception, not the parallel loop's wrapper.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            throw;
        }

        return new BootstrapResult(t0, ImmutableArray.Create(t), evaluator, source);
    }

    private static void CheckReplicates(int replicates)
    {
        if (replicates < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(replicates), replicates, "The number of bootstrap replicates must be at least 2 (10,000 is typical for BCa intervals).");
        }
    }

    private static void CheckN(int n)
    {
        if (n < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, "A bootstrap needs at least 2 observations.");
        }
    }

    private static void CheckParallelism(int dop, string paramName)
    {
        if (dop == 0 || dop < -1)
        {
            throw new ArgumentOutOfRangeException(paramName, dop, "maxDegreeOfParallelism must be -1 (all cores) or a positive number of threads.");
        }
    }
}

/// <summary>A statistic of a sample sorted in ascending order (for <see cref="Bootstrap.RunSortedStatistics"/>).</summary>
/// <param name="sortedSample">The sample, ascending.</param>
internal delegate double SortedSampleStatistic(ReadOnlySpan<double> sortedSample);

/// <summary>Where resample b's indices come from: the seeded generator or an explicit matrix.</summary>
internal sealed class ResampleSource(int n, int replicates, ulong? seed, int[]? explicitIndices)
{
    public int N { get; } = n;

    public int Replicates { get; } = replicates;

    public ulong? Seed { get; } = seed;

    public void Fill(int replicate, Span<int> destination)
    {
        if (explicitIndices is null)
        {
            ResampleGenerator.Fill(Seed!.Value, replicate, destination, N);
        }
        else
        {
            explicitIndices.AsSpan(replicate * N, N).CopyTo(destination);
        }
    }
}
