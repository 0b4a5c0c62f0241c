namespace FaceDefender.Statistics;

/// <summary>
/// Sample size and margin of error for estimating a mean with a normal-approximation confidence interval:
/// E = z·σ/√n and n = (z·σ/E)². The paper: E = 1.96 × 3.31 / √50 = 0.92; n = (1.96 × 3.63 / 0.92)² = 59.81.
/// </summary>
public static class SampleSize
{
    /// <summary>The two-sided critical value z = qnorm((1 + level)/2), 1.959964 for 95 % (the paper rounds to 1.96).</summary>
    /// <param name="level">Confidence level in (0, 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">Level outside (0, 1).</exception>
    public static double CriticalValue(double level = 0.95)
    {
        Guard.Level(level, nameof(level));
        return Distributions.Qnorm((1.0 + level) / 2.0);
    }

    /// <summary>Margin of error E = z·σ/√n (half-width of the z confidence interval for a mean).</summary>
    /// <param name="z">Critical value, finite and &gt; 0 (e.g. 1.96 or <see cref="CriticalValue"/>).</param>
    /// <param name="sigma">Population SD (or a pilot estimate), finite and &gt; 0.</param>
    /// <param name="n">Sample size, &gt; 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A non-positive or non-finite argument.</exception>
    public static double MarginOfError(double z, double sigma, double n)
    {
        Guard.PositiveFinite(z, nameof(z));
        Guard.PositiveFinite(sigma, nameof(sigma));
        Guard.PositiveFinite(n, nameof(n));
        return z * sigma / Math.Sqrt(n);
    }

    /// <summary>
    /// Required sample size n = (z·σ/E)², unrounded (round up with <see cref="Math.Ceiling(double)"/> to plan a study).
    /// </summary>
    /// <param name="z">Critical value, finite and &gt; 0.</param>
    /// <param name="sigma">Population SD (or a pilot estimate), finite and &gt; 0.</param>
    /// <param name="marginOfError">Desired margin of error E, finite and &gt; 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A non-positive or non-finite argument.</exception>
    public static double Required(double z, double sigma, double marginOfError)
    {
        Guard.PositiveFinite(z, nameof(z));
        Guard.PositiveFinite(sigma, nameof(sigma));
        Guard.PositiveFinite(marginOfError, nameof(marginOfError));
        double root = z * sigma / marginOfError;
        return root * root;
    }
}
