namespace FaceDefender.Statistics;

/// <summary>How a reference interval's limits were estimated.</summary>
public enum ReferenceIntervalMethod
{
    /// <summary>Parametric: mean ± z·SD of the kept values (z = qnorm((1 + coverage)/2)); used when normality is not rejected.</summary>
    Normal,

    /// <summary>
    /// Nonparametric bootstrap: each limit is the mean over B resamples of the type-7 sample quantile at
    /// (1 ∓ coverage)/2, with a percentile bootstrap confidence interval for each limit; used when normality is rejected.
    /// </summary>
    Bootstrap,
}
