namespace FaceDefender.Statistics;

/// <summary>
/// The nine sample-quantile definitions of Hyndman and Fan (1996), numbered as R's
/// <c>quantile(x, probs, type = k)</c>. R's default, and the one the paper used, is <see cref="R7"/>.
/// (MathNet.Numerics' plain <c>Quantile</c> uses type 8.)
/// </summary>
public enum QuantileType
{
    /// <summary>Type 1: inverse of the empirical distribution function (discontinuous).</summary>
    R1 = 1,

    /// <summary>Type 2: like type 1 but averaging at discontinuities (the median convention).</summary>
    R2 = 2,

    /// <summary>Type 3: nearest even order statistic (SAS definition 2).</summary>
    R3 = 3,

    /// <summary>Type 4: linear interpolation of the empirical CDF, p(k) = k / n.</summary>
    R4 = 4,

    /// <summary>Type 5: piecewise linear, p(k) = (k - 0.5) / n.</summary>
    R5 = 5,

    /// <summary>Type 6: p(k) = k / (n + 1) (Minitab, SPSS).</summary>
    R6 = 6,

    /// <summary>Type 7: p(k) = (k - 1) / (n - 1); R's and Excel's default.</summary>
    R7 = 7,

    /// <summary>Type 8: p(k) = (k - 1/3) / (n + 1/3), approximately median-unbiased.</summary>
    R8 = 8,

    /// <summary>Type 9: p(k) = (k - 3/8) / (n + 1/4), approximately unbiased for normal data.</summary>
    R9 = 9,
}
