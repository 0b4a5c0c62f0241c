namespace FaceDefender.Statistics;

/// <summary>
/// Bootstrap confidence intervals from an estimate t0 and its replicates t*, with the exact semantics of
/// R's <c>boot::boot.ci</c> (boot 1.3): non-finite replicates are dropped; percentile-type limits are order statistics
/// of rank (B + 1)·α, interpolated on the normal quantile scale when (B + 1)·α is not an integer (boot's <c>norm.inter</c>).
/// </summary>
public static class BootstrapIntervals
{
    /// <summary>
    /// Normal interval with bootstrap bias correction: (t0 - b) ± qnorm((1 + level)/2)·sd(t*), with
    /// b = mean(t*) - t0 and sd the unbiased (n - 1) standard deviation. R: <c>boot.ci(b, type = "norm")</c>.
    /// </summary>
    /// <param name="original">The estimate on the original data, t0.</param>
    /// <param name="replicates">Bootstrap replicates t*; at least 2 must be finite and not all equal.</param>
    /// <param name="level">Confidence level in (0, 1).</param>
    /// <exception cref="ArgumentException">Non-finite t0 or fewer than 2 finite replicates.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Level outside (0, 1).</exception>
    /// <exception cref="StatisticsException">All replicates equal (R: "Cannot calculate confidence intervals").</exception>
    /// <exception cref="OverflowException">sd(t*) or a limit lies beyond the double range (replicates near ±1.8e308).</exception>
    public static BootstrapInterval Normal(double original, ReadOnlySpan<double> replicates, double level = 0.95)
    {
        double[] t = Prepare(original, replicates, level);
        double bias = Descriptive.MeanUnchecked(t) - original;
        double merr = Descriptive.StandardDeviationUnchecked(t) * Distributions.Qnorm((1.0 + level) / 2.0);
        double lower = original - bias - merr;
        double upper = original - bias + merr;
        if (!double.IsFinite(lower) || !double.IsFinite(upper))
        {
            throw new OverflowException(
                $"The normal bootstrap interval's limits lie beyond the double range (±{double.MaxValue:G3}): t0 {original:G6}, bias {bias:G6}, margin {merr:G6}. Rescale the statistic first.");
        }

        return new BootstrapInterval(BootstrapIntervalMethod.Normal, level, lower, upper, false);
    }

    /// <summary>Basic (reverse percentile) interval 2·t0 - t*_((B+1)(1 ± level)/2). R: <c>boot.ci(b, type = "basic")</c>.</summary>
    /// <param name="original">The estimate on the original data, t0.</param>
    /// <param name="replicates">Bootstrap replicates t*.</param>
    /// <param name="level">Confidence level in (0, 1).</param>
    /// <exception cref="ArgumentException">Non-finite t0 or fewer than 2 finite replicates.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Level outside (0, 1).</exception>
    /// <exception cref="StatisticsException">All replicates equal.</exception>
    public static BootstrapInterval Basic(double original, ReadOnlySpan<double> replicates, double level = 0.95)
    {
        double[] t = Prepare(original, replicates, level);
        Array.Sort(t);
        (double hi, bool e1) = NormInter(t, (1.0 + level) / 2.0);
        (double lo, bool e2) = NormInter(t, (1.0 - level) / 2.0);
        return new BootstrapInterval(BootstrapIntervalMethod.Basic, level, (2.0 * original) - hi, (2.0 * original) - lo, e1 || e2);
    }

    /// <summary>Percentile interval t*_((B+1)(1 ∓ level)/2). R: <c>boot.ci(b, type = "perc")</c>.</summary>
    /// <param name="original">The estimate on the original data, t0 (used only for validation and the equality check).</param>
    /// <param name="replicates">Bootstrap replicates t*.</param>
    /// <param name="level">Confidence level in (0, 1).</param>
    /// <exception cref="ArgumentException">Non-finite t0 or fewer than 2 finite replicates.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Level outside (0, 1).</exception>
    /// <exception cref="StatisticsException">All replicates equal.</exception>
    public static BootstrapInterval Percentile(double original, ReadOnlySpan<double> replicates, double level = 0.95)
    {
        double[] t = Prepare(original, replicates, level);
        Array.Sort(t);
        (double lo, bool e1) = NormInter(t, (1.0 - level) / 2.0);
        (double hi, bool e2) = NormInter(t, (1.0 + level) / 2.0);
        return new BootstrapInterval(BootstrapIntervalMethod.Percentile, level, lo, hi, e1 || e2);
    }

    /// <summary>
    /// Bias-corrected and accelerated (BCa) interval (Efron 1987): percentile limits at adjusted levels
    /// Φ(z0 + (z0 + z_α)/(1 - a(z0 + z_α))), with z0 = Φ⁻¹(#(t* &lt; t0)/B) and a = Σl³/(6(Σl²)^1.5).
    /// R: <c>boot.ci(b, type = "bca", L = influence)</c>.
    /// </summary>
    /// <param name="original">The estimate on the original data, t0.</param>
    /// <param name="replicates">Bootstrap replicates t*.</param>
    /// <param name="influence">Empirical influence values l_1..l_n (see <see cref="EmpiricalInfluence"/>).</param>
    /// <param name="level">Confidence level in (0, 1).</param>
    /// <exception cref="ArgumentException">Non-finite t0, fewer than 2 finite replicates, empty or non-finite influence values.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Level outside (0, 1).</exception>
    /// <exception cref="StatisticsException">All replicates equal, every replicate on one side of t0 (z0 infinite),
    /// or all influence values 0 (a undefined).</exception>
    public static BootstrapInterval Bca(double original, ReadOnlySpan<double> replicates, ReadOnlySpan<double> influence, double level = 0.95)
    {
        double[] t = Prepare(original, replicates, level);
        Guard.Finite(influence, nameof(influence), 1);
        int below = 0;
        foreach (double v in t)
        {
            if (v < original)
            {
                below++;
            }
        }

        double w = Distributions.Qnorm((double)below / t.Length);
        if (!double.IsFinite(w))
        {
            throw new StatisticsException(
                $"BCa bias correction is infinite: {below} of {t.Length} replicates lie below the estimate. The BCa interval is undefined here; use the percentile interval or more replicates.");
        }

        if (!TryAcceleration(influence, 1.0, out double a))
        {
            // Σl³ or Σl² overflowed (|l| beyond about 1e102) or (Σl²)^1.5 underflowed (|l| below about 1e-102), which gave
            // NaN, infinity or a subnormal denominator: a is scale-free, so repeat on l scaled by a power of two that
            // brings the largest |l| to [1, 2) (at most 2^1023, for subnormal l). All zero stays undefined.
            double largest = 0.0;
            foreach (double l in influence)
            {
                largest = Math.Max(largest, Math.Abs(l));
            }

            if (largest > 0.0)
            {
                TryAcceleration(influence, Math.ScaleB(1.0, Math.Min(1023, -Math.ILogB(largest))), out a);
            }
        }

        if (!double.IsFinite(a))
        {
            throw new StatisticsException("BCa acceleration is undefined: all empirical influence values are 0 (R: \"estimated adjustment 'a' is NA\").");
        }

        Array.Sort(t);
        double zlo = Distributions.Qnorm((1.0 - level) / 2.0);
        double zhi = Distributions.Qnorm((1.0 + level) / 2.0);
        double alo = Distributions.Pnorm(w + ((w + zlo) / (1.0 - (a * (w + zlo)))));
        double ahi = Distributions.Pnorm(w + ((w + zhi) / (1.0 - (a * (w + zhi)))));
        (double lo, bool e1) = NormInter(t, alo);
        (double hi, bool e2) = NormInter(t, ahi);
        return new BootstrapInterval(BootstrapIntervalMethod.Bca, level, lo, hi, e1 || e2, w, a);
    }

    /// <summary>
    /// BCa acceleration a = Σl³ / (6 (Σl²)^1.5) of l·scale (a does not depend on the scale, only its rounding does);
    /// false when a sum overflowed or the denominator is 0 or subnormal.
    /// </summary>
    private static bool TryAcceleration(ReadOnlySpan<double> influence, double scale, out double a)
    {
        double s2 = 0.0;
        double s3 = 0.0;
        foreach (double value in influence)
        {
            double l = value * scale;
            double l2 = l * l;
            s2 += l2;
            s3 += l2 * l;
        }

        double denominator = 6.0 * Math.Pow(s2, 1.5);
        a = s3 / denominator;
        return double.IsFinite(s3) && double.IsNormal(denominator);
    }

    /// <summary>Validates, drops non-finite replicates and applies boot.ci's "all values equal" check.</summary>
    private static double[] Prepare(double original, ReadOnlySpan<double> replicates, double level)
    {
        if (!double.IsFinite(original))
        {
            throw new ArgumentException($"The original estimate t0 is {original}; it must be finite.", nameof(original));
        }

        Guard.Level(level, nameof(level));
        var list = new List<double>(replicates.Length);
        foreach (double v in replicates)
        {
            if (double.IsFinite(v))
            {
                list.Add(v);
            }
        }

        if (list.Count < 2)
        {
            throw new ArgumentException($"Only {list.Count} of {replicates.Length} bootstrap replicates are finite; at least 2 are needed.", nameof(replicates));
        }

        double[] t = [.. list];
        double mean = Descriptive.MeanUnchecked(t);
        double eps = Math.Min(1e-8, mean / 1e6);
        bool constant = true;
        foreach (double v in t)
        {
            if (!(Math.Abs(v - mean) < eps))
            {
                constant = false;
                break;
            }
        }

        if (constant)
        {
            throw new StatisticsException($"All {t.Length} bootstrap replicates equal {mean}; confidence intervals cannot be calculated (as R's boot.ci).");
        }

        return t;
    }

    /// <summary>
    /// boot's norm.inter on sorted replicates: the order statistic of rank (B + 1)α, or, when that rank is not an
    /// integer, interpolation between ranks k and k + 1 on the normal quantile scale.
    /// </summary>
    private static (double Value, bool Extreme) NormInter(double[] sorted, double alpha)
    {
        int r = sorted.Length;
        double rk = (r + 1) * alpha;
        bool extreme = !(rk > 1 && rk < r);
        double k = Math.Truncate(rk);
        if (k == 0)
        {
            return (sorted[0], extreme);
        }

        if (k >= r)
        {
            return (sorted[r - 1], extreme);
        }

        if (k == rk)
        {
            return (sorted[(int)k - 1], extreme);
        }

        double temp1 = Distributions.Qnorm(alpha);
        double temp2 = Distributions.Qnorm(k / (r + 1));
        double temp3 = Distributions.Qnorm((k + 1) / (r + 1));
        double tk = sorted[(int)k - 1];
        double tk1 = sorted[(int)k];
        return (tk + ((temp1 - temp2) / (temp3 - temp2) * (tk1 - tk)), extreme);
    }
}
