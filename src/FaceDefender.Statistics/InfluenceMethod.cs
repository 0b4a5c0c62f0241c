namespace FaceDefender.Statistics;

/// <summary>How the empirical influence values behind the BCa acceleration are estimated (R: <c>boot::empinf</c> types).</summary>
public enum InfluenceMethod
{
    /// <summary>
    /// Regression of the replicates on the resampling frequencies (<c>empinf(type = "reg")</c>), which is what
    /// <c>boot.ci(type = "bca")</c> uses by default for an ordinary nonparametric bootstrap. Needs at least as many
    /// finite replicates as data points.
    /// </summary>
    Regression,

    /// <summary>Ordinary jackknife, l_i = (n - 1)(t - t_(-i)) (<c>empinf(type = "jack")</c>). Costs n extra evaluations.</summary>
    Jackknife,
}
