namespace FaceDefender.Statistics;

/// <summary>
/// What an interval estimates. These are different things and are easily confused: the paper's published
/// ranges are <see cref="ReferenceInterval"/>s (where most healthy people lie), not confidence intervals of a mean.
/// </summary>
public enum IntervalKind
{
    /// <summary>
    /// Confidence interval for the population mean: covers the true mean in the stated fraction of repeated
    /// samples. Shrinks like 1/sqrt(n); says nothing about where individuals lie.
    /// </summary>
    MeanConfidenceInterval,

    /// <summary>
    /// Reference (population) interval: the central fraction of the population, estimated as
    /// mean ± z·SD (normal method) or by sample percentiles (nonparametric / bootstrap methods).
    /// This is what a clinical "normal range" is.
    /// </summary>
    ReferenceInterval,

    /// <summary>
    /// Prediction interval for one new observation from a normal population, mean ± t(n-1)·SD·sqrt(1 + 1/n):
    /// accounts for the uncertainty of the estimated mean and SD, so it is wider than the z reference interval.
    /// </summary>
    PredictionInterval,

    /// <summary>Bootstrap confidence interval for a statistic (see <see cref="BootstrapIntervalMethod"/>).</summary>
    BootstrapConfidenceInterval,
}
