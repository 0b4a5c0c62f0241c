namespace FaceDefender.Statistics;

/// <summary>A bootstrap confidence interval with the quantities R's <c>boot.ci</c> computed on the way. Immutable.</summary>
/// <param name="Method">Which boot.ci interval this is.</param>
/// <param name="Level">Confidence level in (0, 1).</param>
/// <param name="Lower">Lower limit.</param>
/// <param name="Upper">Upper limit.</param>
/// <param name="UsesExtremeOrderStatistics">True when an endpoint is the smallest or largest replicate
/// (R warns "extreme order statistics used as endpoints"): the interval is unreliable; use more replicates.</param>
/// <param name="BiasCorrection">BCa only: z0 = qnorm(#(t* &lt; t0) / B); null otherwise.</param>
/// <param name="Acceleration">BCa only: a = Σl³ / (6 (Σl²)^1.5) from the empirical influence values l; null otherwise.</param>
public sealed record BootstrapInterval(
    BootstrapIntervalMethod Method,
    double Level,
    double Lower,
    double Upper,
    bool UsesExtremeOrderStatistics,
    double? BiasCorrection = null,
    double? Acceleration = null)
{
    /// <summary>The interval as a general <see cref="Interval"/> of kind <see cref="IntervalKind.BootstrapConfidenceInterval"/>.</summary>
    public Interval ToInterval() => new(Lower, Upper, Level, IntervalKind.BootstrapConfidenceInterval, $"bootstrap {Method} interval (boot.ci)");
}
