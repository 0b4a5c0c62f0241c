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
        if (replicates < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(replicates), replicates, "The number of bootstrap replicates must be at least 2 (10,000 is typical for BCa intervals).");
        }

        CheckParallelism(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        double[] copy = data.ToArray();
        int n = copy.Length;
        var source = new ResampleSource(n, replicates, seed, null);
        return Evaluate(copy, statistic, source, maxDegreeOfParallelism, cancellationToken);
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
        int n = data.Length;
        if (indices.GetLength(0) < 2)
        {
            throw new ArgumentException($"'indices' has {indices.GetLength(0)} row(s); at least 2 resamples are needed.", nameof(indices));
        }

        if (indices.GetLength(1) != n)
        {
            throw new ArgumentException($"Each row of 'indices' must have n = {n} entries (one resample of the data); it has {indices.GetLength(1)}.", nameof(indices));
        }

        int rows = indices.GetLength(0);
        var copyIndices = new int[rows * n];
        for (int b = 0; b < rows; b++)
        {
            for (int i = 0; i < n; i++)
            {
                int k = indices[b, i];
                if ((uint)k >= (uint)n)
                {
                    throw new ArgumentException($"indices[{b}, {i}] = {k} is outside [0, {n}); indices are 0-based (subtract 1 from R's boot.array).", nameof(indices));
                }

                copyIndices[(b * n) + i] = k;
            }
        }

        var source = new ResampleSource(n, rows, null, copyIndices);
        return Evaluate(data.ToArray(), statistic, source, maxDegreeOfParallelism, cancellationToken);
    }

    private static BootstrapResult Evaluate(double[] data, BootstrapStatistic statistic, ResampleSource source, int dop, CancellationToken ct)
    {
        double t0 = statistic(data);
        if (!double.IsFinite(t0))
        {
            throw new StatisticsException($"The statistic is {t0} on the original data; a bootstrap needs a finite estimate.");
        }

        int n = data.Length;
        var t = new double[source.Replicates];
        var options = new ParallelOptions { MaxDegreeOfParallelism = dop, CancellationToken = ct };
        Parallel.For(
            0,
            source.Replicates,
            options,
            () => (Indices: new int[n], Sample: new double[n]),
            (b, _, buffers) =>
            {
                source.Fill(b, buffers.Indices);
                for (int i = 0; i < n; i++)
                {
                    buffers.Sample[i] = data[buffers.Indices[i]];
                }

                t[b] = statistic(buffers.Sample);
                return buffers;
            },
            _ => { });

        return new BootstrapResult(t0, ImmutableArray.Create(t), data, statistic, source);
    }

    private static void CheckParallelism(int dop, string paramName)
    {
        if (dop == 0 || dop < -1)
        {
            throw new ArgumentOutOfRangeException(paramName, dop, "maxDegreeOfParallelism must be -1 (all cores) or a positive number of threads.");
        }
    }
}

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
