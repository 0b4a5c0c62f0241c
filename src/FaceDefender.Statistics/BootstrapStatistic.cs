namespace FaceDefender.Statistics;

/// <summary>
/// A statistic evaluated on one bootstrap resample (R: the <c>statistic</c> argument of <c>boot</c>, applied to
/// <c>data[indices]</c>). It is called concurrently from several threads with different buffers, so it must be
/// a pure function of its input; it must not keep the span.
/// </summary>
/// <param name="sample">The resampled values (length n).</param>
/// <returns>The statistic; a non-finite result drops that replicate from the intervals, as in R.</returns>
public delegate double BootstrapStatistic(ReadOnlySpan<double> sample);
