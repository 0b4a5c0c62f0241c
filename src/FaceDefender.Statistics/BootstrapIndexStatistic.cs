namespace FaceDefender.Statistics;

/// <summary>
/// A statistic evaluated on a resample given as row indices into data the caller holds (R: <c>statistic(data, i)</c>
/// in <c>boot</c>), for data of any shape: several columns, pairs, records. Called concurrently from several
/// threads, so it must be a pure function of the indices and must not keep the span.
/// </summary>
/// <param name="indices">0-based indices of the resampled rows (length n for a bootstrap resample, n - 1 for a
/// jackknife sample, 0..n-1 in order for the original data).</param>
/// <returns>The statistic; a non-finite result drops that replicate from the intervals, as in R.</returns>
public delegate double BootstrapIndexStatistic(ReadOnlySpan<int> indices);
