using System.Collections.Immutable;

namespace FaceDefender.Statistics;

/// <summary>
/// Outcome of Tukey-fence (IQR) outlier screening: the quartiles, the fences and which values were kept or removed.
/// Immutable.
/// </summary>
/// <param name="FirstQuartile">Q1, the 0.25 sample quantile of the chosen <see cref="QuantileType"/>.</param>
/// <param name="ThirdQuartile">Q3, the 0.75 sample quantile.</param>
/// <param name="Multiplier">The fence multiplier k (1.5 for Tukey's inner fences).</param>
/// <param name="QuantileType">Quantile definition used for Q1 and Q3.</param>
/// <param name="Kept">Values inside or exactly on a fence, in their original order.</param>
/// <param name="Removed">Values strictly outside a fence, in their original order.</param>
public sealed record TukeyFenceResult(
    double FirstQuartile,
    double ThirdQuartile,
    double Multiplier,
    QuantileType QuantileType,
    ImmutableArray<double> Kept,
    ImmutableArray<double> Removed)
{
    /// <summary>Interquartile range Q3 - Q1.</summary>
    public double InterquartileRange => ThirdQuartile - FirstQuartile;

    /// <summary>Lower fence Q1 - k * IQR; a value equal to it is kept.</summary>
    public double LowerFence => FirstQuartile - (Multiplier * InterquartileRange);

    /// <summary>Upper fence Q3 + k * IQR; a value equal to it is kept.</summary>
    public double UpperFence => ThirdQuartile + (Multiplier * InterquartileRange);
}
