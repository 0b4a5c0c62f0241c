namespace FaceDefender.Statistics;

/// <summary>Result of the Shapiro-Wilk normality test. Immutable.</summary>
/// <param name="W">The W statistic, in (0, 1]; values near 1 are consistent with normality.</param>
/// <param name="PValue">P-value from Royston's (1995) normalising approximation, as R's <c>shapiro.test</c>.</param>
/// <param name="N">Number of values tested.</param>
public sealed record ShapiroWilkResult(double W, double PValue, int N)
{
    /// <summary>True when <see cref="PValue"/> is at least <paramref name="alpha"/>, i.e. normality is not rejected at that level.</summary>
    /// <param name="alpha">Significance level in (0, 1), conventionally 0.05.</param>
    /// <exception cref="ArgumentOutOfRangeException">Alpha outside (0, 1).</exception>
    public bool IsConsistentWithNormal(double alpha = 0.05)
    {
        Guard.Level(alpha, nameof(alpha));
        return PValue >= alpha;
    }
}
