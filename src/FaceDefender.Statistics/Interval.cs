namespace FaceDefender.Statistics;

/// <summary>An interval estimate with what it is and how it was computed. Immutable.</summary>
/// <param name="Lower">Lower limit.</param>
/// <param name="Upper">Upper limit.</param>
/// <param name="Level">Nominal confidence level or coverage, in (0, 1).</param>
/// <param name="Kind">What the interval estimates (confidence interval of a mean, reference interval, ...).</param>
/// <param name="Method">How it was computed, in words, with the R equivalent.</param>
public sealed record Interval(double Lower, double Upper, double Level, IntervalKind Kind, string Method)
{
    /// <summary>Upper - Lower.</summary>
    public double Width => Upper - Lower;

    /// <summary>True when <paramref name="value"/> lies in the closed interval [Lower, Upper].</summary>
    /// <param name="value">The value to test.</param>
    public bool Contains(double value) => value >= Lower && value <= Upper;
}
